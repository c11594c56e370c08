/** Reads permissionsets/*.permissionset-meta.xml and customPermissions/*.customPermission-meta.xml. */
import type { PermissionSetDef, RemoteSiteDef } from '../core/runtime.js';
import type { CustomPermissionInfo } from './types.js';
import { bool, list, readXml, text, textOf, type XmlNode } from './xml.js';

/** A permission set group (permissionsetgroups/NAME.permissionsetgroup-meta.xml): its permission sets by name. */
export interface PermissionSetGroupDef {
  name: string;
  label: string;
  status: string;
  permissionSets: string[];
}

export function parsePermissionSetGroup(file: string, name: string): PermissionSetGroupDef {
  const x = readXml(file).PermissionSetGroup as XmlNode | undefined;
  if (!x) throw new Error(`${file}: not a PermissionSetGroup`);
  const sets = (x as Record<string, unknown>).permissionSets;
  return {
    name,
    label: text(x, 'label') ?? name,
    status: text(x, 'status') ?? 'Updated',
    permissionSets: (Array.isArray(sets) ? sets : sets === undefined ? [] : [sets])
      .map((v) => textOf(v) ?? '')
      .filter((v) => v !== ''),
  };
}

export function parsePermissionSet(file: string, name: string): PermissionSetDef {
  const x = readXml(file).PermissionSet as XmlNode | undefined;
  if (!x) throw new Error(`${file}: not a PermissionSet`);
  const ps: PermissionSetDef = {
    name,
    label: text(x, 'label') ?? name,
    objects: new Map(),
    fields: new Map(),
    customPermissions: new Set(),
    classes: new Set(),
    tabs: new Set(),
  };
  for (const o of list(x, 'objectPermissions')) {
    const obj = text(o, 'object');
    if (!obj) continue;
    const modifyAll = bool(o, 'modifyAllRecords');
    const viewAll = bool(o, 'viewAllRecords') || modifyAll;
    ps.objects.set(obj.toLowerCase(), {
      read: bool(o, 'allowRead') || viewAll,
      create: bool(o, 'allowCreate'),
      edit: bool(o, 'allowEdit') || modifyAll,
      delete: bool(o, 'allowDelete') || modifyAll,
      viewAll,
      modifyAll,
    });
  }
  for (const f of list(x, 'fieldPermissions')) {
    const field = text(f, 'field');
    if (!field) continue;
    const edit = bool(f, 'editable');
    ps.fields.set(field.toLowerCase(), { read: bool(f, 'readable') || edit, edit });
  }
  for (const c of list(x, 'customPermissions'))
    if (bool(c, 'enabled')) ps.customPermissions.add((text(c, 'name') ?? '').toLowerCase());
  for (const c of list(x, 'classAccesses'))
    if (bool(c, 'enabled')) ps.classes.add((text(c, 'apexClass') ?? '').toLowerCase());
  for (const t of list(x, 'tabSettings')) {
    const vis = text(t, 'visibility');
    if (vis && vis !== 'None') ps.tabs.add((text(t, 'tab') ?? '').toLowerCase());
  }
  // Custom setting access (customSettingAccesses) grants read of the setting's records; recorded as object read access.
  for (const c of list(x, 'customSettingAccesses')) {
    if (!bool(c, 'enabled')) continue;
    const n = (text(c, 'name') ?? '').toLowerCase();
    ps.objects.set(n, { read: true, create: false, edit: false, delete: false, viewAll: true, modifyAll: false });
  }
  for (const c of list(x, 'customMetadataTypeAccesses')) {
    if (!bool(c, 'enabled')) continue;
    const n = (text(c, 'name') ?? '').toLowerCase();
    ps.objects.set(n, { read: true, create: false, edit: false, delete: false, viewAll: true, modifyAll: false });
  }
  return ps;
}

/** remoteSiteSettings/NAME.remoteSite-meta.xml */
export function parseRemoteSite(file: string, name: string): RemoteSiteDef {
  const x = readXml(file).RemoteSiteSetting as XmlNode | undefined;
  const url = x ? text(x, 'url') : undefined;
  if (!x || !url) throw new Error(`${file}: not a RemoteSiteSetting with a <url>`);
  return {
    name,
    url,
    isActive: bool(x, 'isActive'),
    disableProtocolSecurity: bool(x, 'disableProtocolSecurity'),
  };
}

export function parseCustomPermission(file: string, name: string): CustomPermissionInfo {
  const x = readXml(file).CustomPermission as XmlNode | undefined;
  if (!x) throw new Error(`${file}: not a CustomPermission`);
  return { name, label: text(x, 'label') ?? name, description: text(x, 'description') };
}
