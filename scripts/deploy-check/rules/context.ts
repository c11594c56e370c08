/** What every rule sees: the project, the Metadata API schema, the standard objects, and a way to report. */
import type { MetaFile, Project, Problem } from '../project.js';
import type { Schema } from '../schema.js';
import type { StandardObjects } from '../standard-objects.js';
import type { XmlElement } from '../xml.js';

export type Family =
  | 'structure'
  | 'references'
  | 'permissions'
  | 'fields and objects'
  | 'icons and styles'
  | 'custom metadata, connected apps, flows'
  | 'apex';

export interface Context {
  project: Project;
  schema: Schema;
  std: StandardObjects;
  /** Run apex-ls (a few seconds); tests of other rules turn it off. */
  apex: boolean;
  report(file: string, line: number, message: string): void;
}

export interface Rule {
  id: string;
  family: Family;
  /** One line: what the platform rejects (shown in the README and `--list-rules`). */
  description: string;
  run(ctx: Context): void | Promise<void>;
}

export type { Problem, XmlElement };

/** A rule of `family` (for the rule factories: one check applied to many items). */
export function ruleOf(family: Family, id: string, description: string, run: Rule['run']): Rule {
  return { id, family, description, run };
}

/** The files that grant access: permission sets, profiles and muting permission sets. */
export const PERMS = ['PermissionSet', 'Profile', 'MutingPermissionSet'];

/** Elements reached from `root` by a path of child names, e.g. `['objectPermissions', 'object']`. */
export function select(root: XmlElement, names: string[]): XmlElement[] {
  let level = [root];
  for (const n of names) level = level.flatMap((e) => e.children.filter((c) => c.name === n));
  return level;
}

/** Each element at `path` (as `select`) in the files of the given metadata types, with its file. */
export function elementsIn(ctx: Context, types: readonly string[], path: string[]): { f: MetaFile; el: XmlElement }[] {
  return ctx.project.files
    .filter((f) => types.includes(f.type))
    .flatMap((f) => select(f.root, path).map((el) => ({ f, el })));
}

const CUSTOM_SUFFIX = /__(c|mdt|e|x|b|kav|ka|share|history|feed|chgevent)$/i;

/** `ns__Name__c` where ns is another package's namespace: defined by an installed package, not checkable here. */
export function foreignNamespace(ctx: Context, name: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9]*)__[A-Za-z0-9_]+__[A-Za-z]+$/.exec(name);
  return !!m && m[1].toLowerCase() !== ctx.project.namespace.toLowerCase();
}

/** Does the object exist in the project, among standard objects, or in another namespace? */
export function objectExists(ctx: Context, object: string): boolean {
  if (ctx.project.has('CustomObject', object)) return true;
  if (foreignNamespace(ctx, object)) return true;
  if (CUSTOM_SUFFIX.test(object) && /__c$|__mdt$|__e$|__x$|__b$/i.test(object)) return false;
  return ctx.std.has(object);
}

/** Fields every custom object has (Object Reference, "System Fields" and "Custom Objects"). */
const SYSTEM_FIELDS = new Set(
  [
    'Id',
    'Name',
    'OwnerId',
    'CreatedById',
    'CreatedDate',
    'LastModifiedById',
    'LastModifiedDate',
    'SystemModstamp',
    'IsDeleted',
    'RecordTypeId',
    'CurrencyIsoCode',
    'LastActivityDate',
    'LastViewedDate',
    'LastReferencedDate',
    'DeveloperName',
    'MasterLabel',
    'Label',
    'Language',
    'NamespacePrefix',
    'QualifiedApiName',
    'IsProtected',
    'ReplayId',
    'EventUuid',
  ].map((f) => f.toLowerCase()),
);

/**
 * Does `object.field` exist? Unknown objects answer true (the object reference is reported on its own), so are
 * fields of other packages' namespaces.
 */
export async function fieldExists(ctx: Context, object: string, field: string): Promise<boolean> {
  if (!objectExists(ctx, object) || foreignNamespace(ctx, object) || foreignNamespace(ctx, field)) return true;
  if (ctx.project.field(object, field)) return true;
  if (/__c$/i.test(field)) return false;
  if (/__pc$/i.test(field)) return !!ctx.project.field('Contact', field.replace(/__pc$/i, '__c'));
  // Custom objects and custom metadata types have only their system fields besides the custom ones; other kinds
  // (external objects, knowledge, big objects) have standard fields of their own and are not checked.
  if (/__(c|mdt)$/i.test(object) && !ctx.std.has(object)) return SYSTEM_FIELDS.has(field.toLowerCase());
  if (!ctx.std.has(object)) return true;
  const fields = await ctx.std.fields(object);
  return !fields || fields.has(field.toLowerCase()) || SYSTEM_FIELDS.has(field.toLowerCase());
}
