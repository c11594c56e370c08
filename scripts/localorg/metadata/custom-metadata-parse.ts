/**
 * Reads customMetadata/<Type>.<Record>.md-meta.xml records, typing each value by the field's definition
 * (falling back to the xsi:type of the value). Source: Metadata API Developer Guide, CustomMetadata.
 */
import { ApexDate, ApexDatetime, ApexDecimal, type ApexValue } from '../core/values.js';
import type { CustomMetadataRecordDef, LocalObjectDef } from './types.js';
import { bool, list, readXml, text, type XmlNode } from './xml.js';

export function parseCustomMetadataRecord(
  file: string,
  baseName: string,
  typeDef: LocalObjectDef | undefined,
): CustomMetadataRecordDef {
  const dot = baseName.indexOf('.');
  if (dot < 0) throw new Error(`${file}: custom metadata file name must be Type.Record.md-meta.xml`);
  const typeName = `${baseName.slice(0, dot)}__mdt`;
  const developerName = baseName.slice(dot + 1);
  if (!typeDef) throw new Error(`${file}: custom metadata type ${typeName} is not defined in objects/`);
  const x = readXml(file).CustomMetadata as XmlNode | undefined;
  if (!x) throw new Error(`${file}: not a CustomMetadata record`);
  const values = new Map<string, { name: string; value: ApexValue }>();
  for (const v of list(x, 'values')) {
    const field = text(v, 'field');
    if (!field) continue;
    const def = typeDef.fields.get(field.toLowerCase());
    if (!def) throw new Error(`${file}: field ${field} is not defined on ${typeDef.name}`);
    const raw = v.value as unknown;
    values.set(def.name.toLowerCase(), { name: def.name, value: convert(raw, def.type, file, field) });
  }
  return {
    type: typeDef.name,
    developerName,
    label: text(x, 'label') ?? developerName,
    protected: bool(x, 'protected'),
    values,
  };
}

function convert(raw: unknown, type: string, file: string, field: string): ApexValue {
  if (raw === undefined || raw === null) return null;
  let textValue: string;
  let xsiType: string | undefined;
  if (typeof raw === 'object') {
    const o = raw as XmlNode;
    if (String(o['@_xsi:nil'] ?? '') === 'true') return null;
    textValue = o['#text'] === undefined ? '' : String(o['#text']);
    xsiType = o['@_xsi:type'] as string | undefined;
  } else textValue = String(raw);
  switch (type) {
    case 'boolean':
      return textValue.trim().toLowerCase() === 'true';
    case 'double':
    case 'currency':
    case 'percent':
      if (textValue.trim() === '') return null;
      return ApexDecimal.of(textValue.trim());
    case 'int':
      return textValue.trim() === '' ? null : Number(textValue.trim());
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(textValue.trim());
      if (!m) throw new Error(`${file}: ${field}: bad date '${textValue}'`);
      return new ApexDate(+m[1], +m[2], +m[3]);
    }
    case 'datetime': {
      const ms = Date.parse(textValue.trim());
      if (Number.isNaN(ms)) throw new Error(`${file}: ${field}: bad dateTime '${textValue}'`);
      return new ApexDatetime(ms);
    }
    default:
      if (xsiType === 'xsd:boolean' && type !== 'string') return textValue === 'true';
      return textValue;
  }
}
