/** Name resolution of SOQL field paths against the schema, with the platform's error messages. */
import { UnsupportedFeature } from '../../core/errors.js';
import type { FieldDef } from '../../core/runtime.js';
import type { LocalFieldDef, LocalObjectDef, LocalSchemaApi } from '../../metadata/types.js';
import type { FieldsGroup } from './ast.js';
import { queryError } from './lexer.js';

export interface Step {
  field: LocalFieldDef; // the lookup field on the current object
  relationshipName: string; // canonical
  targets: LocalObjectDef[];
}

export interface ResolvedPath {
  steps: Step[];
  field: LocalFieldDef;
  /** The object that owns `field`. */
  owner: LocalObjectDef;
  /** Lower-cased key of the final field. */
  key: string;
}

/** Messages: SOQL errors as the platform words them (QueryException). */
export function noSuchColumn(field: string, obj: string): Error {
  return queryError(
    `No such column '${field}' on entity '${obj}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}
export function badRelationship(rel: string): Error {
  return queryError(
    `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}
export function unknownObject(name: string): Error {
  return queryError(
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function resolveObject(schema: LocalSchemaApi, name: string): LocalObjectDef {
  const def = schema.getObject(name);
  if (!def) throw unknownObject(name);
  if (def.kind === 'platformEvent') throw new UnsupportedFeature(`SOQL on platform event ${def.name}`);
  return def;
}

function relationshipField(obj: LocalObjectDef, seg: string): LocalFieldDef | undefined {
  const s = seg.toLowerCase();
  for (const f of obj.fields.values())
    if ((f.type === 'reference' || f.metadataRelationship) && f.relationshipName?.toLowerCase() === s) return f;
  return undefined;
}

export function resolvePath(
  schema: LocalSchemaApi,
  root: LocalObjectDef,
  rawPath: string[],
  alias?: string,
): ResolvedPath {
  let path = rawPath;
  // A path may start with the FROM alias or the object name itself.
  if (path.length > 1) {
    const first = path[0].toLowerCase();
    if (
      (alias && first === alias.toLowerCase()) ||
      (first === root.name.toLowerCase() && !relationshipField(root, path[0]))
    )
      path = path.slice(1);
  }
  const steps: Step[] = [];
  let candidates: LocalObjectDef[] = [root];
  for (let i = 0; i < path.length - 1; i++) {
    let found: { f: LocalFieldDef; owner: LocalObjectDef } | undefined;
    for (const c of candidates) {
      const f = relationshipField(c, path[i]);
      if (f) {
        found = { f, owner: c };
        break;
      }
    }
    if (!found) throw badRelationship(path[i]);
    const targets = (found.f.referenceTo ?? []).map((n) => schema.getObject(n)).filter((x): x is LocalObjectDef => !!x);
    if (!targets.length) throw badRelationship(path[i]);
    steps.push({ field: found.f, relationshipName: found.f.relationshipName!, targets });
    candidates = targets;
  }
  const last = path[path.length - 1];
  for (const c of candidates) {
    const f = c.fields.get(last.toLowerCase());
    if (f) {
      if (f.formula !== undefined || f.summary)
        throw new UnsupportedFeature(`formula or roll-up summary field ${c.name}.${f.name} in SOQL`);
      return { steps, field: f, owner: c, key: f.name.toLowerCase() };
    }
  }
  throw noSuchColumn(last, candidates[0].name);
}

/** A custom field's API name ends in __c (namespaced ones too: ns__Field__c). */
export function isCustomField(f: Pick<FieldDef, 'name'>): boolean {
  return /__c$/i.test(f.name);
}

/**
 * The fields `FIELDS(group)` selects on an object, standard fields first (SOQL and SOSL Reference, FIELDS():
 * "FIELDS(ALL) — select all the fields of an object", "FIELDS(CUSTOM) — all the custom fields",
 * "FIELDS(STANDARD) — all the standard fields").
 */
export function fieldsInGroup<F extends FieldDef>(fields: Iterable<F>, group: FieldsGroup): F[] {
  const out = [...fields].filter((f) => group === 'ALL' || (group === 'CUSTOM') === isCustomField(f));
  return out.sort((a, b) => Number(isCustomField(a)) - Number(isCustomField(b)));
}
