/** Small builders for field and object definitions (standard schema and loader share them). */
import type { FieldType } from '../core/runtime.js';
import type { LocalFieldDef, LocalObjectDef, SharingModel } from './types.js';

export function fld(name: string, type: FieldType, opts: Partial<LocalFieldDef> = {}): LocalFieldDef {
  const d: LocalFieldDef = {
    name,
    label: opts.label ?? labelFromName(name),
    type,
    createable: true,
    updateable: true,
    ...opts,
  };
  if (d.type === 'reference' && !d.relationshipName && name.toLowerCase().endsWith('id') && name.length > 2) {
    d.relationshipName = name.slice(0, -2);
  }
  return d;
}

/** A field the platform maintains: never writeable by DML. */
export function sys(name: string, type: FieldType, opts: Partial<LocalFieldDef> = {}): LocalFieldDef {
  return fld(name, type, { systemManaged: true, createable: false, updateable: false, ...opts });
}

export function labelFromName(name: string): string {
  let n = name.replace(/__c$|__r$|__mdt$|__e$/i, '');
  if (/Id$/.test(n) && n.length > 2 && n !== 'Id') n = n.slice(0, -2) + ' ID';
  return n.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** Id, audit fields and IsDeleted, present on every object that stores records (standard and custom). */
export function auditFields(): LocalFieldDef[] {
  return [
    sys('Id', 'id', { label: 'Record ID', length: 18 }),
    sys('IsDeleted', 'boolean', { label: 'Deleted' }),
    sys('CreatedDate', 'datetime', { label: 'Created Date' }),
    sys('CreatedById', 'reference', { label: 'Created By ID', referenceTo: ['User'], relationshipName: 'CreatedBy' }),
    sys('LastModifiedDate', 'datetime', { label: 'Last Modified Date' }),
    sys('LastModifiedById', 'reference', {
      label: 'Last Modified By ID',
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy',
    }),
    sys('SystemModstamp', 'datetime', { label: 'System Modstamp' }),
  ];
}

/** OwnerId: writeable, defaults to the running user on insert. Polymorphic (User/Group) on the platform; here User only. */
export function ownerField(): LocalFieldDef {
  return fld('OwnerId', 'reference', { label: 'Owner ID', referenceTo: ['User'], relationshipName: 'Owner' });
}

export function makeObject(
  name: string,
  keyPrefix: string,
  fields: LocalFieldDef[],
  opts: Partial<LocalObjectDef> & { label?: string } = {},
): LocalObjectDef {
  const map = new Map<string, LocalFieldDef>();
  for (const f of fields) map.set(f.name.toLowerCase(), f);
  const sharing: SharingModel = opts.sharingModel ?? 'ReadWrite';
  return {
    name,
    label: opts.label ?? labelFromName(name),
    labelPlural: opts.labelPlural ?? (opts.label ?? labelFromName(name)) + 's',
    keyPrefix,
    custom: opts.custom ?? false,
    kind: opts.kind ?? 'standard',
    fields: map,
    childRelationships: [],
    sharingModel: sharing,
    dmlAllowed: opts.dmlAllowed ?? { insert: true, update: true, delete: true, undelete: true },
    hasOwner: map.has('ownerid'),
    source: opts.source ?? 'standard',
    ...Object.fromEntries(
      Object.entries(opts).filter(
        ([k]) =>
          !['label', 'fields', 'sharingModel', 'dmlAllowed', 'source', 'custom', 'kind', 'labelPlural'].includes(k),
      ),
    ),
  };
}
