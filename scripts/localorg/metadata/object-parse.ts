/**
 * Reads objects/<Obj>/<Obj>.object-meta.xml plus fields/*.field-meta.xml into a LocalObjectDef.
 * Standard fields added per kind (Object Reference, "System Fields"; custom metadata: "Custom Metadata Type fields";
 * custom settings: SetupOwnerId for hierarchy settings, Name for list settings).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { auditFields, fld, makeObject, ownerField, sys } from './fields.js';
import { parseField } from './field-parse.js';
import type { LocalFieldDef, LocalObjectDef, SharingModel } from './types.js';
import { bool, readXml, text, type XmlNode } from './xml.js';

export type ObjectKind = LocalObjectDef['kind'];

export function kindOf(name: string, obj: XmlNode | undefined): ObjectKind {
  const n = name.toLowerCase();
  if (n.endsWith('__mdt')) return 'customMetadata';
  if (n.endsWith('__e')) return 'platformEvent';
  if (obj && text(obj, 'customSettingsType')) return 'customSetting';
  if (n.endsWith('__c')) return 'custom';
  return 'standard';
}

export interface ParsedObjectDir {
  name: string;
  dir: string;
  kind: ObjectKind;
  xml: XmlNode | undefined;
  fields: LocalFieldDef[];
  files: number;
}

export function readObjectDir(dir: string, name: string): ParsedObjectDir {
  const file = join(dir, `${name}.object-meta.xml`);
  let files = 0;
  let xml: XmlNode | undefined;
  if (existsSync(file)) {
    xml = readXml(file).CustomObject as XmlNode | undefined;
    files++;
  }
  const fields: LocalFieldDef[] = [];
  const fdir = join(dir, 'fields');
  if (existsSync(fdir)) {
    for (const f of readdirSync(fdir).sort()) {
      if (!f.endsWith('.field-meta.xml')) continue;
      const fx = readXml(join(fdir, f)).CustomField as XmlNode | undefined;
      files++;
      if (!fx) throw new Error(`${join(fdir, f)}: not a CustomField`);
      if (!text(fx, 'fullName')) fx.fullName = f.replace(/\.field-meta\.xml$/, '');
      fields.push(parseField(name, fx, join(fdir, f)));
    }
  }
  return { name, dir, kind: kindOf(name, xml), xml, fields, files };
}

function nameFieldOf(xml: XmlNode | undefined, label: string): LocalFieldDef {
  const nf = (xml?.nameField ?? undefined) as XmlNode | undefined;
  const t = text(nf, 'type');
  if (t === 'AutoNumber') {
    return fld('Name', 'autonumber', {
      label: text(nf, 'label') ?? `${label} Name`,
      autoNumberFormat: text(nf, 'displayFormat') ?? '{0}',
      createable: false,
      updateable: false,
      nameField: true,
      length: 80,
    });
  }
  return fld('Name', 'string', {
    label: text(nf, 'label') ?? `${label} Name`,
    length: 80,
    required: true,
    nameField: true,
  });
}

/** Builds a metadata-defined object (custom object, setting, __mdt, __e). */
export function buildCustomObject(p: ParsedObjectDir, keyPrefix: string): LocalObjectDef {
  const xml = p.xml;
  const label = text(xml, 'label') ?? p.name.replace(/__\w+$/, '').replace(/_/g, ' ');
  const plural = text(xml, 'pluralLabel') ?? label + 's';
  const std: LocalFieldDef[] = [];
  let sharing: SharingModel = (text(xml, 'sharingModel') as SharingModel | undefined) ?? 'ReadWrite';
  const dml = { insert: true, update: true, delete: true, undelete: true };
  let customSettingType: 'Hierarchy' | 'List' | undefined;
  let visibility: 'Public' | 'Protected' | undefined;
  const visText = text(xml, 'visibility');
  if (visText === 'Protected' || visText === 'Public') visibility = visText;
  switch (p.kind) {
    case 'custom': {
      std.push(...auditFields(), nameFieldOf(xml, label));
      const isDetail = p.fields.some((f) => f.masterDetail);
      if (isDetail) sharing = 'ControlledByParent';
      else std.push(ownerField());
      break;
    }
    case 'customSetting': {
      customSettingType = text(xml, 'customSettingsType') === 'List' ? 'List' : 'Hierarchy';
      std.push(...auditFields());
      // One record per name (list) or per owner (hierarchy: org default, profile or user).
      if (customSettingType === 'List')
        std.push(fld('Name', 'string', { length: 38, required: true, nameField: true, unique: true }));
      else {
        std.push(fld('Name', 'string', { length: 80, nameField: true }));
        std.push(
          fld('SetupOwnerId', 'reference', {
            referenceTo: ['Organization', 'Profile', 'User'],
            relationshipName: 'SetupOwner',
            label: 'Location',
            unique: true,
          }),
        );
      }
      sharing = 'ReadWrite';
      break;
    }
    case 'customMetadata': {
      std.push(
        sys('Id', 'id', { length: 18 }),
        sys('DeveloperName', 'string', { length: 40, label: 'Custom Metadata Record Name' }),
        sys('MasterLabel', 'string', { length: 40, label: 'Label', nameField: true }),
        sys('Label', 'string', { length: 40 }),
        sys('Language', 'picklist', { length: 40 }),
        sys('NamespacePrefix', 'string', { length: 15 }),
        sys('QualifiedApiName', 'string', { length: 70 }),
        sys('SystemModstamp', 'datetime'),
      );
      // Custom metadata records cannot be changed with DML: "System.TypeException: DML operation INSERT not allowed on X__mdt"
      // (see database/dml/rules.ts). Source: Apex Developer Guide, Custom Metadata Types, and common platform behaviour.
      dml.insert = dml.update = dml.delete = dml.undelete = false;
      sharing = 'Read';
      break;
    }
    case 'platformEvent': {
      std.push(
        sys('ReplayId', 'string', { length: 255 }),
        sys('CreatedDate', 'datetime'),
        sys('CreatedById', 'reference', { referenceTo: ['User'], relationshipName: 'CreatedBy' }),
        sys('EventUuid', 'string', { length: 36 }),
      );
      dml.update = dml.delete = dml.undelete = false;
      break;
    }
    default:
      break;
  }
  // Custom fields of custom metadata are read-only to DML as well; their values come from records.
  const all = [...std, ...p.fields];
  return makeObject(p.name, keyPrefix, all, {
    label,
    labelPlural: plural,
    custom: true,
    kind: p.kind,
    sharingModel: sharing,
    dmlAllowed: dml,
    customSettingType,
    visibility,
    description: text(xml, 'description'),
    source: p.dir,
    setupObject: p.kind === 'customSetting' ? false : undefined,
    // Platform Events Developer Guide, "Platform Event Fields" / publishBehavior: PublishAfterCommit (the default) or
    // PublishImmediately.
    publishImmediately: p.kind === 'platformEvent' ? text(xml, 'publishBehavior') === 'PublishImmediately' : undefined,
    ...(bool(xml, 'enableHistory') ? {} : {}),
  });
}
