/**
 * Fields and objects: the attributes each field type requires and allows, and the sharing of custom objects.
 * Sources: Metadata API Developer Guide, CustomField ("length", "precision", "scale", "visibleLines",
 * "relationshipName", "unique", "externalId", "defaultValue", "deleteConstraint") and CustomObject ("sharingModel",
 * "externalSharingModel", "nameField"); Salesforce Help, "Custom Field Types" (limits per type).
 */
import { childText, type XmlElement } from '../xml.js';
import type { FieldDef, MetaFile } from '../project.js';
import { foreignNamespace, ruleOf, type Context, type Rule } from './context.js';

/** Fields the project defines, but not other packages' fields it customises (`ns__Field__c`, `ns__Object__c`). */
function fieldsOf(ctx: Context): FieldDef[] {
  return [...ctx.project.fields.values()].filter(
    (d) => !foreignNamespace(ctx, d.name) && !foreignNamespace(ctx, d.object),
  );
}

function el(root: XmlElement, name: string): XmlElement | undefined {
  return root.children.find((c) => c.name === name);
}

function intOf(root: XmlElement, name: string): number | undefined {
  const t = childText(root, name);
  return t === undefined || t === '' ? undefined : Number(t);
}

const isCustom = (name: string) => /__c$/i.test(name);

/** Reports a problem of the item being checked at `line` (its file's root element when absent). */
type ItemProblem = (line: number | undefined, message: string) => void;

type ItemRule<T> = (
  id: string,
  description: string,
  applies: (item: T) => boolean,
  check: (item: T, root: XmlElement, problem: ItemProblem, ctx: Context) => void,
) => Rule;

/**
 * Rules over one kind of item (the project's fields, its custom objects): `check` runs on each item `applies`
 * accepts, and its problems are reported in the item's file, prefixed with the item's name.
 */
function itemRules<T>(items: (ctx: Context) => T[], fileOf: (item: T) => MetaFile, nameOf: (item: T) => string) {
  const rule: ItemRule<T> = (id, description, applies, check) =>
    ruleOf('fields and objects', id, description, (ctx) => {
      for (const item of items(ctx)) {
        if (!applies(item)) continue;
        const { file, root } = fileOf(item);
        check(item, root, (line, message) => ctx.report(file, line ?? root.line, `${nameOf(item)}: ${message}`), ctx);
      }
    });
  return rule;
}

/** A rule over the fields the project defines; problems are prefixed with `Object.Field: `. */
const fieldRule = itemRules(
  fieldsOf,
  (d) => d.file,
  (d) => `${d.object}.${d.name}`,
);

// CustomField: label "Label for the field. You cannot update the label for standard fields"; type "Required for
// custom fields" (the deploy: "Must specify a type for a custom field" / "Required field is missing: label").
const typeAndLabel = fieldRule(
  'fields/type-and-label',
  'a custom field has a type and a label',
  (d) => isCustom(d.name),
  (d, root, problem) => {
    if (!d.type) problem(undefined, 'Must specify a type for a custom field');
    if (!childText(root, 'label')) problem(undefined, 'Required field is missing: label');
  },
);

// Salesforce Help, "Custom Field Types": Text "up to 255 characters"; Text (Encrypted) "up to 175 characters";
// Text Area (Long) and Text Area (Rich) "up to 131,072 characters", 256 being the smallest length offered, with
// "# Visible Lines". CustomField.length / visibleLines (Metadata API) carry them.
const TEXT_LENGTHS: Record<string, [number, number]> = {
  Text: [1, 255],
  EncryptedText: [1, 175],
  LongTextArea: [256, 131072],
  Html: [256, 131072],
};

const textLength = fieldRule(
  'fields/text-length',
  'Text length 1-255, Text (Encrypted) 1-175, Long Text Area / Rich Text 256-131,072 with visibleLines',
  (d) => !!d.type && !!TEXT_LENGTHS[d.type] && !childText(d.file.root, 'formula'),
  (d, root, problem) => {
    const range = TEXT_LENGTHS[d.type!];
    const len = intOf(root, 'length');
    if (len === undefined || !Number.isInteger(len) || len < range[0] || len > range[1])
      problem(
        el(root, 'length')?.line,
        `length must be between ${range[0]} and ${range[1]} for a ${d.type} field (is ${len ?? 'missing'})`,
      );
    if ((d.type === 'LongTextArea' || d.type === 'Html') && intOf(root, 'visibleLines') === undefined)
      problem(undefined, `a ${d.type} field needs visibleLines`);
  },
);

// CustomField.precision: "the number of digits in a number"; Salesforce Help, "Custom Field Types": Number,
// Currency and Percent "up to 18 digits", decimal places included; CustomField.scale: "the number of digits to
// the right of the decimal point ... must be less than or equal to the precision".
const numberPrecision = fieldRule(
  'fields/number-precision',
  'Number/Currency/Percent precision 1-18 with 0 <= scale <= precision',
  (d) => !!d.type && ['Number', 'Currency', 'Percent'].includes(d.type),
  (_d, root, problem) => {
    const precision = intOf(root, 'precision');
    const scale = intOf(root, 'scale') ?? 0;
    const line = el(root, 'precision')?.line;
    if (precision === undefined || !Number.isInteger(precision) || precision < 1 || precision > 18)
      problem(line, `precision must be between 1 and 18 (is ${precision ?? 'missing'})`);
    else if (!Number.isInteger(scale) || scale < 0 || scale > precision)
      problem(el(root, 'scale')?.line ?? line, `scale ${scale} must be between 0 and the precision ${precision}`);
  },
);

// CustomField.referenceTo "If the field is a relationship, the object it refers to"; relationshipName "required
// for lookup and master-detail fields".
const relationship = fieldRule(
  'fields/relationship',
  'a Lookup or Master-Detail field names its target (referenceTo) and a relationshipName',
  (d) => d.type === 'Lookup' || d.type === 'MasterDetail',
  (d, root, problem) => {
    for (const need of ['referenceTo', 'relationshipName'])
      if (!childText(root, need)) problem(undefined, `a ${d.type} field needs ${need}`);
  },
);

// Salesforce Help, "Custom Field Attributes": Unique is offered for Text, Number, Email and Text (Encrypted)
// fields; External ID for "custom text, number, email or auto-number fields".
const UNIQUE_TYPES = new Set(['Text', 'Number', 'Email', 'EncryptedText', 'AutoNumber']);
const EXTERNAL_ID_TYPES = new Set(['Text', 'Number', 'Email', 'AutoNumber']);

const uniqueExternalId = fieldRule(
  'fields/unique-external-id',
  'unique only on Text/Number/Email (Encrypted Text); externalId only on Text/Number/Email/Auto Number',
  (d) => !!d.type && isCustom(d.name),
  (d, root, problem) => {
    const u = el(root, 'unique');
    if (u?.text === 'true' && !UNIQUE_TYPES.has(d.type!)) problem(u.line, `a ${d.type} field cannot be unique`);
    const x = el(root, 'externalId');
    if (x?.text === 'true' && !EXTERNAL_ID_TYPES.has(d.type!))
      problem(x.line, `a ${d.type} field cannot be an external ID`);
  },
);

// CustomField.defaultValue: "If specified, represents the default value of the field"; a Checkbox field's
// default is `true` or `false` and is required ("Can not specify 'null' for a CheckBox default value"); other
// defaults are formula expressions whose result must be of the field's type (Salesforce Help, "Define Default
// Field Values": "Formula result is data type (X), incompatible with data type (Y)").
const NUMERIC_DEFAULT_TYPES = new Set(['Number', 'Currency', 'Percent', 'Date', 'DateTime', 'Time']);
const TEXT_DEFAULT_TYPES = new Set(['Text', 'TextArea', 'LongTextArea', 'Email', 'Phone', 'Url']);

const defaultValue = fieldRule(
  'fields/default-value',
  "a Checkbox has a true/false default; other defaults are formulas of the field's type",
  (d) => !!d.type && isCustom(d.name) && !childText(d.file.root, 'formula'),
  (d, root, problem) => {
    const dv = el(root, 'defaultValue');
    const v = dv?.text ?? '';
    if (d.type === 'Checkbox') {
      if (!dv || !/^(true|false)$/i.test(v))
        problem(dv?.line, `Can not specify '${dv ? v : 'null'}' for a CheckBox default value`);
    } else if (dv && v) {
      const quoted = /^(["']).*\1$/s.test(v);
      const literal = /^-?\d+(\.\d+)?$/.test(v) || /^(true|false)$/i.test(v);
      if (NUMERIC_DEFAULT_TYPES.has(d.type!) && quoted)
        problem(dv.line, `Formula result is data type (Text), incompatible with data type (${d.type})`);
      else if (TEXT_DEFAULT_TYPES.has(d.type!) && literal)
        problem(
          dv.line,
          `Formula result is data type (${/^(true|false)$/i.test(v) ? 'Boolean' : 'Number'}), incompatible with data type (Text)`,
        );
    }
  },
);

// CustomField.deleteConstraint: "Provides deletion options for lookup relationships ... SetNull (default)";
// Salesforce Help, "Lookup Relationship Fields": "Clear the value of this field" cannot be chosen when the lookup
// is required.
const deleteConstraint = fieldRule(
  'fields/delete-constraint',
  'a required lookup does not clear on delete (deleteConstraint Restrict or Cascade)',
  (d) => d.type === 'Lookup',
  (_d, root, problem) => {
    // Only an explicit SetNull: an omitted constraint on a required lookup is left to the platform, and users are
    // never deleted (a lookup to User has no delete option).
    const dc = childText(root, 'deleteConstraint');
    if (childText(root, 'required') === 'true' && dc === 'SetNull' && childText(root, 'referenceTo') !== 'User')
      problem(el(root, 'deleteConstraint')?.line, 'a required lookup cannot have deleteConstraint SetNull');
  },
);

/**
 * A rule over the custom objects the project defines (not other packages' objects it customises); problems are
 * prefixed with `Object__c: `.
 */
const objectRule = itemRules(
  (ctx) =>
    ctx.project.filesOf('CustomObject').filter((f) => /__c$/i.test(f.fullName) && !foreignNamespace(ctx, f.fullName)),
  (f) => f,
  (f) => f.fullName,
);

const ORDER = ['Private', 'Read', 'ReadWrite', 'ReadWriteTransfer', 'FullAccess'];

// CustomObject.sharingModel: ControlledByParent is the sharing of a detail object (Salesforce Help, "Considerations
// for Relationships": the detail's sharing is controlled by its master), and only for one; ReadWriteTransfer and
// FullAccess are for standard objects (Lead, Case, Campaign). CustomObject.externalSharingModel: the external
// default "must be more restrictive than or equal to the internal default" (Help, "External Organization-Wide
// Defaults").
const sharingModel = objectRule(
  'objects/sharing-model',
  'ControlledByParent exactly when the object has a master-detail field; external access <= internal',
  () => true,
  (f, _root, problem, ctx) => {
    const sm = el(f.root, 'sharingModel');
    const ext = el(f.root, 'externalSharingModel');
    const hasMaster = [...ctx.project.fields.values()].some(
      (d) => d.object.toLowerCase() === f.fullName.toLowerCase() && d.type === 'MasterDetail',
    );
    if (sm) {
      if (hasMaster && sm.text !== 'ControlledByParent')
        problem(sm.line, 'an object with a master-detail field must have sharingModel ControlledByParent');
      else if (!hasMaster && sm.text === 'ControlledByParent')
        problem(sm.line, 'sharingModel ControlledByParent needs a master-detail field');
      else if (sm.text === 'ReadWriteTransfer' || sm.text === 'FullAccess')
        problem(sm.line, `sharingModel ${sm.text} is not available for custom objects`);
    }
    if (sm && ext) {
      const a = ORDER.indexOf(sm.text);
      const b = ORDER.indexOf(ext.text);
      const bad = (sm.text === 'ControlledByParent') !== (ext.text === 'ControlledByParent') || (a >= 0 && b > a);
      if (bad)
        problem(
          ext.line,
          `externalSharingModel ${ext.text} must be more restrictive than or equal to sharingModel ${sm.text}`,
        );
    }
  },
);

// CustomObject: label, pluralLabel and nameField are required to create a custom object; nameField.type is
// Text or AutoNumber, and an AutoNumber name needs displayFormat (CustomField.displayFormat).
const nameField = objectRule(
  'objects/name-field',
  'a custom object has label, pluralLabel and a Text or Auto Number nameField (with displayFormat)',
  // Custom settings (customSettingsType) have no name field or plural label.
  (f) => !el(f.root, 'customSettingsType'),
  (f, _root, problem) => {
    for (const need of ['label', 'pluralLabel', 'nameField'])
      if (!el(f.root, need)) problem(f.root.line, `Required field is missing: ${need}`);
    const nf = el(f.root, 'nameField');
    if (!nf) return;
    const type = childText(nf, 'type');
    if (type !== 'Text' && type !== 'AutoNumber')
      problem(nf.line, `nameField type must be Text or AutoNumber (is ${type ?? 'missing'})`);
    if (type === 'AutoNumber' && !childText(nf, 'displayFormat'))
      problem(nf.line, 'an AutoNumber name field needs displayFormat');
    if (!childText(nf, 'label')) problem(nf.line, 'nameField needs a label');
  },
);

export const fieldRules: Rule[] = [
  typeAndLabel,
  textLength,
  numberPrecision,
  relationship,
  uniqueExternalId,
  defaultValue,
  deleteConstraint,
  sharingModel,
  nameField,
];
