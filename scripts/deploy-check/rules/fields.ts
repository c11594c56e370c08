/**
 * Fields and objects: the attributes each field type requires and allows, and the sharing of custom objects.
 * Sources: Metadata API Developer Guide, CustomField ("length", "precision", "scale", "visibleLines",
 * "relationshipName", "unique", "externalId", "defaultValue", "deleteConstraint") and CustomObject ("sharingModel",
 * "externalSharingModel", "nameField"); Salesforce Help, "Custom Field Types" (limits per type).
 */
import { childText, type XmlElement } from '../xml.js';
import type { FieldDef } from '../project.js';
import { foreignNamespace, type Context, type Rule } from './context.js';

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

const typeAndLabel: Rule = {
  id: 'fields/type-and-label',
  family: 'fields and objects',
  description: 'a custom field has a type and a label',
  run(ctx) {
    // CustomField: label "Label for the field. You cannot update the label for standard fields"; type "Required for
    // custom fields" (the deploy: "Must specify a type for a custom field" / "Required field is missing: label").
    for (const d of fieldsOf(ctx)) {
      if (!isCustom(d.name)) continue;
      const root = d.file.root;
      if (!d.type) ctx.report(d.file.file, root.line, `${d.object}.${d.name}: Must specify a type for a custom field`);
      if (!childText(root, 'label'))
        ctx.report(d.file.file, root.line, `${d.object}.${d.name}: Required field is missing: label`);
    }
  },
};

const textLength: Rule = {
  id: 'fields/text-length',
  family: 'fields and objects',
  description: 'Text length 1-255, Text (Encrypted) 1-175, Long Text Area / Rich Text 256-131,072 with visibleLines',
  run(ctx) {
    // Salesforce Help, "Custom Field Types": Text "up to 255 characters"; Text (Encrypted) "up to 175 characters";
    // Text Area (Long) and Text Area (Rich) "up to 131,072 characters", 256 being the smallest length offered, with
    // "# Visible Lines". CustomField.length / visibleLines (Metadata API) carry them.
    const limits: Record<string, [number, number]> = {
      Text: [1, 255],
      EncryptedText: [1, 175],
      LongTextArea: [256, 131072],
      Html: [256, 131072],
    };
    for (const d of fieldsOf(ctx)) {
      const range = d.type && limits[d.type];
      if (!range || childText(d.file.root, 'formula')) continue;
      const root = d.file.root;
      const len = intOf(root, 'length');
      const line = el(root, 'length')?.line ?? root.line;
      if (len === undefined || !Number.isInteger(len) || len < range[0] || len > range[1])
        ctx.report(
          d.file.file,
          line,
          `${d.object}.${d.name}: length must be between ${range[0]} and ${range[1]} for a ${d.type} field (is ${len ?? 'missing'})`,
        );
      if ((d.type === 'LongTextArea' || d.type === 'Html') && intOf(root, 'visibleLines') === undefined)
        ctx.report(d.file.file, root.line, `${d.object}.${d.name}: a ${d.type} field needs visibleLines`);
    }
  },
};

const numberPrecision: Rule = {
  id: 'fields/number-precision',
  family: 'fields and objects',
  description: 'Number/Currency/Percent precision 1-18 with 0 <= scale <= precision',
  run(ctx) {
    // CustomField.precision: "the number of digits in a number"; Salesforce Help, "Custom Field Types": Number,
    // Currency and Percent "up to 18 digits", decimal places included; CustomField.scale: "the number of digits to
    // the right of the decimal point ... must be less than or equal to the precision".
    for (const d of fieldsOf(ctx)) {
      if (!d.type || !['Number', 'Currency', 'Percent'].includes(d.type)) continue;
      const root = d.file.root;
      const precision = intOf(root, 'precision');
      const scale = intOf(root, 'scale') ?? 0;
      const line = el(root, 'precision')?.line ?? root.line;
      if (precision === undefined || !Number.isInteger(precision) || precision < 1 || precision > 18)
        ctx.report(
          d.file.file,
          line,
          `${d.object}.${d.name}: precision must be between 1 and 18 (is ${precision ?? 'missing'})`,
        );
      else if (!Number.isInteger(scale) || scale < 0 || scale > precision)
        ctx.report(
          d.file.file,
          el(root, 'scale')?.line ?? line,
          `${d.object}.${d.name}: scale ${scale} must be between 0 and the precision ${precision}`,
        );
    }
  },
};

const relationship: Rule = {
  id: 'fields/relationship',
  family: 'fields and objects',
  description: 'a Lookup or Master-Detail field names its target (referenceTo) and a relationshipName',
  run(ctx) {
    // CustomField.referenceTo "If the field is a relationship, the object it refers to"; relationshipName "required
    // for lookup and master-detail fields".
    for (const d of fieldsOf(ctx)) {
      if (d.type !== 'Lookup' && d.type !== 'MasterDetail') continue;
      const root = d.file.root;
      for (const need of ['referenceTo', 'relationshipName'])
        if (!childText(root, need))
          ctx.report(d.file.file, root.line, `${d.object}.${d.name}: a ${d.type} field needs ${need}`);
    }
  },
};

const uniqueExternalId: Rule = {
  id: 'fields/unique-external-id',
  family: 'fields and objects',
  description: 'unique only on Text/Number/Email (Encrypted Text); externalId only on Text/Number/Email/Auto Number',
  run(ctx) {
    // Salesforce Help, "Custom Field Attributes": Unique is offered for Text, Number, Email and Text (Encrypted)
    // fields; External ID for "custom text, number, email or auto-number fields".
    const unique = new Set(['Text', 'Number', 'Email', 'EncryptedText', 'AutoNumber']);
    const external = new Set(['Text', 'Number', 'Email', 'AutoNumber']);
    for (const d of fieldsOf(ctx)) {
      if (!d.type || !isCustom(d.name)) continue;
      const root = d.file.root;
      const u = el(root, 'unique');
      if (u?.text === 'true' && !unique.has(d.type))
        ctx.report(d.file.file, u.line, `${d.object}.${d.name}: a ${d.type} field cannot be unique`);
      const x = el(root, 'externalId');
      if (x?.text === 'true' && !external.has(d.type))
        ctx.report(d.file.file, x.line, `${d.object}.${d.name}: a ${d.type} field cannot be an external ID`);
    }
  },
};

const defaultValue: Rule = {
  id: 'fields/default-value',
  family: 'fields and objects',
  description: "a Checkbox has a true/false default; other defaults are formulas of the field's type",
  run(ctx) {
    // CustomField.defaultValue: "If specified, represents the default value of the field"; a Checkbox field's
    // default is `true` or `false` and is required ("Can not specify 'null' for a CheckBox default value"); other
    // defaults are formula expressions whose result must be of the field's type (Salesforce Help, "Define Default
    // Field Values": "Formula result is data type (X), incompatible with data type (Y)").
    const numeric = new Set(['Number', 'Currency', 'Percent', 'Date', 'DateTime', 'Time']);
    const text = new Set(['Text', 'TextArea', 'LongTextArea', 'Email', 'Phone', 'Url']);
    for (const d of fieldsOf(ctx)) {
      if (!d.type || !isCustom(d.name) || childText(d.file.root, 'formula')) continue;
      const root = d.file.root;
      const dv = el(root, 'defaultValue');
      const v = dv?.text ?? '';
      if (d.type === 'Checkbox') {
        if (!dv || !/^(true|false)$/i.test(v))
          ctx.report(
            d.file.file,
            dv?.line ?? root.line,
            `${d.object}.${d.name}: Can not specify '${dv ? v : 'null'}' for a CheckBox default value`,
          );
      } else if (dv && v) {
        const quoted = /^(["']).*\1$/s.test(v);
        const literal = /^-?\d+(\.\d+)?$/.test(v) || /^(true|false)$/i.test(v);
        if (numeric.has(d.type) && quoted)
          ctx.report(
            d.file.file,
            dv.line,
            `${d.object}.${d.name}: Formula result is data type (Text), incompatible with data type (${d.type})`,
          );
        else if (text.has(d.type) && literal)
          ctx.report(
            d.file.file,
            dv.line,
            `${d.object}.${d.name}: Formula result is data type (${/^(true|false)$/i.test(v) ? 'Boolean' : 'Number'}), incompatible with data type (Text)`,
          );
      }
    }
  },
};

const deleteConstraint: Rule = {
  id: 'fields/delete-constraint',
  family: 'fields and objects',
  description: 'a required lookup does not clear on delete (deleteConstraint Restrict or Cascade)',
  run(ctx) {
    // CustomField.deleteConstraint: "Provides deletion options for lookup relationships ... SetNull (default)";
    // Salesforce Help, "Lookup Relationship Fields": "Clear the value of this field" cannot be chosen when the lookup
    // is required.
    for (const d of fieldsOf(ctx)) {
      if (d.type !== 'Lookup') continue;
      const root = d.file.root;
      // Only an explicit SetNull: an omitted constraint on a required lookup is left to the platform, and users are
      // never deleted (a lookup to User has no delete option).
      const dc = childText(root, 'deleteConstraint');
      if (childText(root, 'required') === 'true' && dc === 'SetNull' && childText(root, 'referenceTo') !== 'User')
        ctx.report(
          d.file.file,
          el(root, 'deleteConstraint')?.line ?? root.line,
          `${d.object}.${d.name}: a required lookup cannot have deleteConstraint SetNull`,
        );
    }
  },
};

const ORDER = ['Private', 'Read', 'ReadWrite', 'ReadWriteTransfer', 'FullAccess'];

const sharingModel: Rule = {
  id: 'objects/sharing-model',
  family: 'fields and objects',
  description: 'ControlledByParent exactly when the object has a master-detail field; external access <= internal',
  run(ctx) {
    // CustomObject.sharingModel: ControlledByParent is the sharing of a detail object (Salesforce Help, "Considerations
    // for Relationships": the detail's sharing is controlled by its master), and only for one; ReadWriteTransfer and
    // FullAccess are for standard objects (Lead, Case, Campaign). CustomObject.externalSharingModel: the external
    // default "must be more restrictive than or equal to the internal default" (Help, "External Organization-Wide
    // Defaults").
    for (const f of ctx.project.filesOf('CustomObject')) {
      if (!/__c$/i.test(f.fullName) || foreignNamespace(ctx, f.fullName)) continue;
      const sm = el(f.root, 'sharingModel');
      const ext = el(f.root, 'externalSharingModel');
      const hasMaster = [...ctx.project.fields.values()].some(
        (d) => d.object.toLowerCase() === f.fullName.toLowerCase() && d.type === 'MasterDetail',
      );
      if (sm) {
        if (hasMaster && sm.text !== 'ControlledByParent')
          ctx.report(
            f.file,
            sm.line,
            `${f.fullName}: an object with a master-detail field must have sharingModel ControlledByParent`,
          );
        else if (!hasMaster && sm.text === 'ControlledByParent')
          ctx.report(f.file, sm.line, `${f.fullName}: sharingModel ControlledByParent needs a master-detail field`);
        else if (sm.text === 'ReadWriteTransfer' || sm.text === 'FullAccess')
          ctx.report(f.file, sm.line, `${f.fullName}: sharingModel ${sm.text} is not available for custom objects`);
      }
      if (sm && ext) {
        const a = ORDER.indexOf(sm.text);
        const b = ORDER.indexOf(ext.text);
        const bad = (sm.text === 'ControlledByParent') !== (ext.text === 'ControlledByParent') || (a >= 0 && b > a);
        if (bad)
          ctx.report(
            f.file,
            ext.line,
            `${f.fullName}: externalSharingModel ${ext.text} must be more restrictive than or equal to sharingModel ${sm.text}`,
          );
      }
    }
  },
};

const nameField: Rule = {
  id: 'objects/name-field',
  family: 'fields and objects',
  description: 'a custom object has label, pluralLabel and a Text or Auto Number nameField (with displayFormat)',
  run(ctx) {
    // CustomObject: label, pluralLabel and nameField are required to create a custom object; nameField.type is
    // Text or AutoNumber, and an AutoNumber name needs displayFormat (CustomField.displayFormat).
    // Custom settings (customSettingsType) have no name field or plural label.
    for (const f of ctx.project.filesOf('CustomObject')) {
      if (!/__c$/i.test(f.fullName) || el(f.root, 'customSettingsType') || foreignNamespace(ctx, f.fullName)) continue;
      for (const need of ['label', 'pluralLabel', 'nameField'])
        if (!el(f.root, need)) ctx.report(f.file, f.root.line, `${f.fullName}: Required field is missing: ${need}`);
      const nf = el(f.root, 'nameField');
      if (!nf) continue;
      const type = childText(nf, 'type');
      if (type !== 'Text' && type !== 'AutoNumber')
        ctx.report(
          f.file,
          nf.line,
          `${f.fullName}: nameField type must be Text or AutoNumber (is ${type ?? 'missing'})`,
        );
      if (type === 'AutoNumber' && !childText(nf, 'displayFormat'))
        ctx.report(f.file, nf.line, `${f.fullName}: an AutoNumber name field needs displayFormat`);
      if (!childText(nf, 'label')) ctx.report(f.file, nf.line, `${f.fullName}: nameField needs a label`);
    }
  },
};

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
