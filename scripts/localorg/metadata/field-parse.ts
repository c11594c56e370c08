/** Reads one <CustomField> (a fields/*.field-meta.xml file) into a LocalFieldDef. */
import type { FieldType } from '../core/runtime.js';
import { UnsupportedFeature } from '../core/errors.js';
import { ApexDecimal, type ApexValue } from '../core/values.js';
import { fld } from './fields.js';
import type { LocalFieldDef } from './types.js';
import { bool, list, num, text, type XmlNode } from './xml.js';

/** Metadata API <type> -> describe type. Source: Metadata API Developer Guide, CustomField "type" (FieldType enum). */
const TYPE_MAP: Record<string, FieldType> = {
  text: 'string',
  textarea: 'textarea',
  longtextarea: 'longtextarea',
  html: 'longtextarea',
  encryptedtext: 'encryptedstring',
  email: 'email',
  phone: 'phone',
  url: 'url',
  picklist: 'picklist',
  multiselectpicklist: 'multipicklist',
  checkbox: 'boolean',
  number: 'double',
  currency: 'currency',
  percent: 'percent',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
  lookup: 'reference',
  masterdetail: 'reference',
  hierarchy: 'reference',
  // A metadata relationship (to EntityDefinition, FieldDefinition or another custom metadata type) holds the target's
  // API name as text: describe reports it as a STRING field (Help: "Custom Metadata Relationships"); its __r traversal
  // leads in SOQL to the target row with that API name (metadataRelationship below).
  metadatarelationship: 'string',
  externallookup: 'reference',
  autonumber: 'autonumber',
};

/** Fixed lengths of types that have no <length> in metadata (describe values). */
const FIXED_LENGTH: Partial<Record<FieldType, number>> = {
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
  textarea: 255,
  multipicklist: 4099,
  autonumber: 30,
};

export function parseField(objectName: string, x: XmlNode, file: string): LocalFieldDef {
  const name = text(x, 'fullName');
  if (!name) throw new Error(`${file}: field without fullName`);
  const rawType = (text(x, 'type') ?? '').trim();
  const formula = text(x, 'formula');
  const summary = rawType.toLowerCase() === 'summary';
  let type = TYPE_MAP[rawType.toLowerCase()];
  if (!type && summary) type = 'double';
  if (!type) {
    // Geolocation, Location, IndirectLookup, ...: loading must not fail for a field the code never touches.
    type = 'string';
  }
  const length =
    num(x, 'length') ?? FIXED_LENGTH[type] ?? (rawType.toLowerCase() === 'metadatarelationship' ? 255 : undefined);
  const def = fld(name, type, {
    label: text(x, 'label') ?? name,
    length:
      type === 'double' ||
      type === 'currency' ||
      type === 'percent' ||
      type === 'boolean' ||
      type === 'date' ||
      type === 'datetime' ||
      type === 'reference'
        ? undefined
        : length,
    precision: num(x, 'precision'),
    scale: num(x, 'scale'),
    required: bool(x, 'required') || rawType.toLowerCase() === 'masterdetail',
    unique: bool(x, 'unique'),
    caseSensitive: bool(x, 'caseSensitive'),
    externalId: bool(x, 'externalId'),
    description: text(x, 'description'),
    inlineHelpText: text(x, 'inlineHelpText'),
  });
  if (!TYPE_MAP[rawType.toLowerCase()] && !summary) {
    def.formula = `<unsupported field type ${rawType}>`;
    def.calculated = true;
  }
  if (rawType.toLowerCase() === 'masterdetail') {
    def.masterDetail = true;
    def.deleteConstraint = 'Cascade';
    def.updateable = bool(x, 'reparentableMasterDetail');
  } else if (def.type === 'reference') {
    const dc = text(x, 'deleteConstraint');
    def.deleteConstraint = dc === 'Restrict' ? 'Restrict' : dc === 'Cascade' ? 'Cascade' : 'SetNull';
  }
  if (def.type === 'reference') {
    const ref = list(x, 'referenceTo').map((r) => String(typeof r === 'object' ? (r as XmlNode)['#text'] : r));
    if (rawType.toLowerCase() === 'hierarchy') ref.push(objectName);
    def.referenceTo = ref;
    const rel = text(x, 'relationshipName');
    // Custom relationships are addressed with __r from the child (User__r) and the parent (Credentials__r).
    def.relationshipName = name.replace(/__c$/i, '__r');
    if (rel) def.childRelationshipName = `${rel}__r`;
  }
  if (rawType.toLowerCase() === 'metadatarelationship') {
    def.metadataRelationship = true;
    def.referenceTo = list(x, 'referenceTo').map((r) => String(typeof r === 'object' ? (r as XmlNode)['#text'] : r));
    def.relationshipName = name.replace(/__c$/i, '__r');
    // A relationship to another custom metadata type is also a child relationship of the parent type
    // (`SELECT DeveloperName, (SELECT Label FROM Children__r) FROM Parent__mdt`): Salesforce Help, "Custom Metadata
    // Relationships" ("query the child records of a parent record"), like a lookup's.
    const rel = text(x, 'relationshipName');
    if (rel && def.referenceTo.some((r) => /__mdt$/i.test(r))) def.childRelationshipName = `${rel}__r`;
    const ctl = text(x, 'metadataRelationshipControllingField');
    if (ctl) def.controllingField = ctl.slice(ctl.indexOf('.') + 1);
  }
  if (formula !== undefined) {
    def.formula = formula;
    def.calculated = true;
    def.createable = false;
    def.updateable = false;
  }
  if (summary) {
    def.summary = true;
    def.calculated = true;
    def.createable = false;
    def.updateable = false;
  }
  if (type === 'autonumber') {
    def.autoNumberFormat = text(x, 'displayFormat') ?? '{0}';
    def.createable = false;
    def.updateable = false;
  }
  if (type === 'boolean') def.defaultValue = false; // a checkbox is never null
  if (type === 'picklist' || type === 'multipicklist') readValueSet(def, x, file);
  const dv = text(x, 'defaultValue');
  if (dv !== undefined && dv !== '') applyDefault(def, dv, file);
  return def;
}

function readValueSet(def: LocalFieldDef, x: XmlNode, file: string): void {
  const vs = (x.valueSet ?? undefined) as XmlNode | undefined;
  if (!vs) return;
  if (vs.valueSetName !== undefined) {
    // A global value set: values live elsewhere; accept any value.
    def.picklistValues = [];
    def.restrictedPicklist = false;
    return;
  }
  def.restrictedPicklist = bool(vs, 'restricted');
  const defn = vs.valueSetDefinition as XmlNode | undefined;
  const values = list(defn, 'value');
  def.picklistValues = values.map((v) => {
    const fullName = text(v, 'fullName');
    if (fullName === undefined) throw new Error(`${file}: picklist value without fullName`);
    const isDefault = bool(v, 'default');
    return { value: fullName, label: text(v, 'label') ?? fullName, isDefault };
  });
  const d = def.picklistValues.find((v) => v.isDefault);
  if (d) def.defaultValue = d.value;
}

/**
 * Field default values are formulas. We reduce the literal ones (true/false, 'text', "text", numbers, null) to values and keep
 * TODAY()/NOW() for evaluation at insert; anything else is kept as a formula and rejected at insert time.
 */
function applyDefault(def: LocalFieldDef, raw: string, file: string): void {
  const s = raw.trim();
  const lower = s.toLowerCase();
  let v: ApexValue | undefined;
  if (lower === 'true' || lower === 'false') v = lower === 'true';
  else if (lower === 'null') v = null;
  else if (/^'(?:[^'\\]|\\.)*'$/.test(s) || /^"(?:[^"\\]|\\.)*"$/.test(s)) v = s.slice(1, -1).replace(/\\(.)/g, '$1');
  else if (/^-?\d+(\.\d+)?$/.test(s)) {
    v = def.type === 'int' ? Number(s) : ApexDecimal.of(s);
  }
  if (v === undefined) {
    if (!/^(today|now)\(\)$/i.test(s))
      def.defaultFormula = s; // evaluated or rejected at insert
    else def.defaultFormula = s.toUpperCase();
    return;
  }
  if (def.type === 'boolean' && typeof v !== 'boolean') throw new UnsupportedFeature(`checkbox default '${raw}'`, file);
  def.defaultValue = v;
}
