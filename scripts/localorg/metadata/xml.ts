/** XML reading for Salesforce source-format metadata (fast-xml-parser), with the list-valued tags forced to arrays. */
import { XMLParser } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';

/** Tags that may repeat in the metadata we read; always parsed as arrays so one element and many look alike. */
const ARRAY_TAGS = new Set([
  'fields',
  'value',
  'values',
  'objectPermissions',
  'fieldPermissions',
  'customPermissions',
  'classAccesses',
  'tabSettings',
  'referenceTo',
  'customSettingAccesses',
  'customMetadataTypeAccesses',
  'pageAccesses',
  'userPermissions',
  'recordTypeVisibilities',
  'applicationVisibilities',
  'valueSettings',
  'controllingFieldValue',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false, // keep text as text; we type values ourselves
  trimValues: true,
  isArray: (name, jpath) => {
    // <values> inside a CustomMetadata record and <value> inside a picklist valueSet are lists;
    // <value> inside a CustomMetadata <values> entry is a single typed value.
    if (name === 'value' && String(jpath).endsWith('values.value')) return false;
    return ARRAY_TAGS.has(name);
  },
});

export type XmlNode = Record<string, unknown>;

export function readXml(file: string): XmlNode {
  const text = readFileSync(file, 'utf8');
  try {
    return parser.parse(text) as XmlNode;
  } catch (e) {
    throw new Error(`Cannot parse XML ${file}: ${(e as Error).message}`);
  }
}

/** Text of a child element (undefined when absent). */
export function text(node: unknown, key: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[key];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.length ? textOf(v[0]) : undefined;
  return textOf(v);
}

export function textOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') {
    const t = (v as XmlNode)['#text'];
    return t === undefined ? '' : String(t);
  }
  return String(v);
}

export function bool(node: unknown, key: string, dflt = false): boolean {
  const t = text(node, key);
  return t === undefined ? dflt : t.trim().toLowerCase() === 'true';
}

export function num(node: unknown, key: string): number | undefined {
  const t = text(node, key);
  if (t === undefined || t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export function list(node: unknown, key: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[key];
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as XmlNode[];
}
