/**
 * Custom metadata records, connected apps and flows.
 */
import { readFileSync } from 'node:fs';
import { childText, kids, type XmlElement } from '../xml.js';
import {
  elementsIn,
  fieldExists,
  foreignNamespace,
  objectExists,
  ruleOf,
  select,
  type Context,
  type Rule,
} from './context.js';

/**
 * A rule over each value element of the project's custom metadata records, with the record's custom metadata type
 * (`Type.Record` belongs to `Type__mdt`); `problem` reports at a line of the record's file.
 */
function metadataValueRule(
  id: string,
  description: string,
  check: (v: XmlElement, type: string, problem: (line: number, message: string) => void, ctx: Context) => void,
): Rule {
  return ruleOf('custom metadata, connected apps, flows', id, description, (ctx) => {
    for (const f of ctx.project.filesOf('CustomMetadata')) {
      const type = `${f.fullName.split('.')[0]}__mdt`;
      for (const v of kids(f.root, 'values')) check(v, type, (line, message) => ctx.report(f.file, line, message), ctx);
    }
  });
}

// Metadata API Developer Guide, CustomMetadata: values.field "The name of the field on the custom metadata
// type"; the record `Type.Record` belongs to `Type__mdt`.
const cmdtFields = metadataValueRule(
  'records/custom-metadata-fields',
  'every field a custom metadata record sets exists on its custom metadata type',
  (v, type, problem, ctx) => {
    if (!ctx.project.has('CustomObject', type)) return;
    const field = childText(v, 'field') ?? '';
    if (field && !foreignNamespace(ctx, field) && !ctx.project.field(type, field))
      problem(v.line, `In field: field - no CustomField named ${type}.${field} found`);
  },
);

function valueProblem(type: string, field: XmlElement, v: string): string | undefined {
  const num = (n: string) => (n === undefined ? undefined : Number(n));
  switch (type) {
    case 'Checkbox':
      return /^(true|false)$/.test(v) ? undefined : `'${v}' is not a Checkbox value (true or false)`;
    case 'Number':
    case 'Percent': {
      if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) return `'${v}' is not a number`;
      const precision = num(childText(field, 'precision')!);
      const scale = num(childText(field, 'scale') ?? '0') ?? 0;
      if (precision !== undefined) {
        const intDigits = String(Math.trunc(Math.abs(Number(v)))).replace(/^0$/, '').length;
        if (intDigits > precision - scale)
          return `${v} has more than ${precision - scale} digits before the decimal point (precision ${precision}, scale ${scale})`;
      }
      return undefined;
    }
    case 'Text':
    case 'TextArea':
    case 'LongTextArea':
    case 'Email':
    case 'Phone':
    case 'Url': {
      const length = num(childText(field, 'length') ?? (type === 'LongTextArea' ? '' : '255'));
      return length !== undefined && v.length > length
        ? `value is ${v.length} characters, the field holds ${length}`
        : undefined;
    }
    case 'Picklist': {
      const values = select(field, ['valueSet', 'valueSetDefinition', 'value', 'fullName']).map((e) => e.text);
      return values.length && !values.includes(v) ? `'${v}' is not a value of the picklist` : undefined;
    }
    case 'Date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? undefined : `'${v}' is not a date (YYYY-MM-DD)`;
    case 'DateTime':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(v)
        ? undefined
        : `'${v}' is not a date/time (YYYY-MM-DDThh:mm:ssZ)`;
    default:
      return undefined;
  }
}

// Salesforce Help, "Custom Metadata Types Field Types" and "Custom Field Types": a record's value is stored in
// the field and must be valid for it (checkbox true/false, number within precision and scale, text within the
// length, picklist one of the values).
const cmdtValues = metadataValueRule(
  'records/custom-metadata-values',
  'every custom metadata value fits its field (type, length, precision, picklist values)',
  (v, type, problem, ctx) => {
    const def = ctx.project.field(type, childText(v, 'field') ?? '');
    const value = v.children.find((c) => c.name === 'value');
    if (!def?.type || !value || value.attrs['xsi:nil'] === 'true') return;
    const message = valueProblem(def.type, def.file.root, value.text);
    if (message) problem(value.line, `${type}.${def.name}: ${message}`);
  },
);

const connectedAppOauth: Rule = {
  id: 'records/connected-app-oauth',
  family: 'custom metadata, connected apps, flows',
  description: 'a connected app with OAuth settings has at least one scope',
  run(ctx) {
    // Metadata API Developer Guide, ConnectedAppOauthConfig: callbackUrl and scopes are required (the scope values
    // themselves are the ConnectedAppOauthAccessScope enumeration, checked by structure/value-type).
    for (const { f, el: oc } of elementsIn(ctx, ['ConnectedApp'], ['oauthConfig']))
      if (!kids(oc, 'scopes').length)
        ctx.report(f.file, oc.line, 'Required field is missing: scopes (in ConnectedAppOauthConfig)');
  },
};

const flowApexActions: Rule = {
  id: 'records/flow-apex-action',
  family: 'custom metadata, connected apps, flows',
  description: 'a flow Apex action names a class of the project with an @InvocableMethod',
  run(ctx) {
    // Metadata API Developer Guide, FlowActionCall: actionName "the name of the action"; for actionType apex it is
    // the class whose @InvocableMethod the flow calls (Apex Developer Guide, InvocableMethod Annotation).
    const classes = new Map(
      ctx.project.components
        .filter((c) => c.type.name === 'ApexClass' && c.content)
        .map((c) => [c.fullName.toLowerCase(), c.content!]),
    );
    for (const f of ctx.project.filesOf('Flow'))
      for (const ac of kids(f.root, 'actionCalls')) {
        if (childText(ac, 'actionType') !== 'apex') continue;
        const name = childText(ac, 'actionName') ?? '';
        const line = ac.children.find((c) => c.name === 'actionName')?.line ?? ac.line;
        if (!name || name.includes('.') || foreignNamespace(ctx, name) || /^[A-Za-z0-9]+__/.test(name)) continue;
        const file = classes.get(name.toLowerCase());
        if (!file) ctx.report(f.file, line, `In field: actionName - no ApexClass named ${name} found`);
        else if (!/@InvocableMethod\b/i.test(readFileSync(file, 'utf8')))
          ctx.report(f.file, line, `The Apex class ${name} has no @InvocableMethod: the flow cannot call it`);
      }
  },
};

/** Record elements of a flow whose fields belong to `object`. */
const RECORD_ELEMENTS = ['recordLookups', 'recordCreates', 'recordUpdates', 'recordDeletes'];

const flowFields: Rule = {
  id: 'records/flow-fields',
  family: 'custom metadata, connected apps, flows',
  description: "every field a flow's record elements and start element filter, assign or query exists on the object",
  run: async (ctx) => {
    // Metadata API Developer Guide, FlowRecordLookup/FlowRecordCreate/FlowRecordUpdate/FlowRecordDelete: object, and
    // filters.field, inputAssignments.field, outputAssignments.field, queriedFields, sortField name its fields;
    // FlowStart: object and filters.field.
    for (const f of ctx.project.filesOf('Flow')) {
      const elements = [...RECORD_ELEMENTS.flatMap((n) => kids(f.root, n)), ...kids(f.root, 'start')];
      for (const e of elements) {
        const object = childText(e, 'object');
        if (!object || !objectExists(ctx, object)) continue;
        const refs = [
          ...select(e, ['filters', 'field']),
          ...select(e, ['inputAssignments', 'field']),
          ...select(e, ['outputAssignments', 'field']),
          ...kids(e, 'queriedFields'),
          ...kids(e, 'sortField'),
        ];
        for (const r of refs)
          if (r.text && !(await fieldExists(ctx, object, r.text)))
            ctx.report(f.file, r.line, `In field: ${r.name} - no CustomField named ${object}.${r.text} found`);
      }
    }
  },
};

export const recordRules: Rule[] = [cmdtFields, cmdtValues, connectedAppOauth, flowApexActions, flowFields];
