/**
 * Structure: every metadata file against the Metadata API's own type definitions (`@salesforce/types`, generated
 * from the Metadata API WSDL; see schema.ts). The deploy parses each file against the WSDL and answers
 * "Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}X invalid at this location in type Y" for an
 * element the type does not have or a single-valued element given twice, and "'V' is not a valid value for the enum
 * 'E'" for an enumeration value (Metadata API Developer Guide, "Metadata Types": each type's fields and their types).
 */
import type { PropInfo, TypeInfo } from '../schema.js';
import { ruleOf, type Context, type Rule, type XmlElement } from './context.js';

const NS = '{http://soap.sforce.com/2006/04/metadata}';

/** Source-format files whose root the WSDL does not describe as such, or whose content is free-form. */
const SKIP_TYPES = new Set(['CustomLabels', 'Bot', 'BotVersion', 'Territory2Model', 'Translations']);

function typeOf(ctx: Context, name: string): TypeInfo | undefined {
  return ctx.schema.types.get(name);
}

/** An element met by `walk`, with its own WSDL type (when it has elements) and its parent's. */
interface Visit {
  el: XmlElement;
  file: string;
  type: TypeInfo | undefined;
  /** Absent for a file's root element. */
  parent?: { el: XmlElement; type: TypeInfo; prop: PropInfo | undefined };
}

/** Visits, parents first, every element of a file whose root type the WSDL describes. */
function walk(ctx: Context, visit: (v: Visit) => void): void {
  const down = (v: Visit) => {
    visit(v);
    if (!v.type) return;
    for (const c of v.el.children) {
      const prop = v.type.props.get(c.name);
      const sub = prop && typeOf(ctx, prop.type);
      // A property the WSDL types as a string or `any` but written as nested XML (LWC targetConfigs, custom metadata
      // values) is free-form: not checked further.
      down({
        el: c,
        file: v.file,
        type: sub && sub.props.size > 0 ? sub : undefined,
        parent: { el: v.el, type: v.type, prop },
      });
    }
  };
  for (const f of ctx.project.files) {
    const type = SKIP_TYPES.has(f.type) ? undefined : typeOf(ctx, f.root.name);
    if (type) down({ el: f.root, file: f.file, type });
  }
}

const rootElement: Rule = {
  id: 'structure/root-element',
  family: 'structure',
  description: "a file's root element is the metadata type its folder and suffix declare",
  run(ctx) {
    // Metadata API Developer Guide, "Metadata Types": each type lists its "File Suffix and Directory Location"; the
    // deploy reads the file as that type, so a different root element is a parse error.
    for (const f of ctx.project.files) {
      if (SKIP_TYPES.has(f.type) || !ctx.schema.types.has(f.type)) continue;
      if (f.root.name !== f.type)
        ctx.report(f.file, f.root.line, `Error parsing file: root element ${f.root.name} is not a ${f.type}`);
    }
  },
};

/** A rule that checks every element `walk` visits; `problem` reports at a line of the element's file. */
function elementRule(
  id: string,
  description: string,
  check: (v: Visit, problem: (line: number, message: string) => void, ctx: Context) => void,
): Rule {
  return ruleOf('structure', id, description, (ctx) =>
    walk(ctx, (v) => check(v, (line, message) => ctx.report(v.file, line, message), ctx)),
  );
}

const unknownElement = elementRule(
  'structure/unknown-element',
  'every element is one the type defines (WSDL), and a single-valued element appears once',
  ({ el, parent }, problem) => {
    if (!parent) return;
    const { prop, type } = parent;
    const repeated = parent.el.children.find((c) => c.name === el.name) !== el;
    if (!prop || (!prop.array && repeated))
      problem(el.line, `Error parsing file: Element ${NS}${el.name} invalid at this location in type ${type.name}`);
  },
);

const requiredElement = elementRule(
  'structure/required-element',
  'elements the WSDL requires (minOccurs 1) are present (booleans excepted)',
  ({ el, type }, problem) => {
    // An element written as nil (xsi:nil) or empty stands for a value the platform fills in.
    if (!type || el.children.length === 0) return;
    // A missing boolean is left alone: the platform reads it as false (not proven to be rejected).
    for (const [name, prop] of type.props)
      if (prop.required && prop.type !== 'boolean' && !el.children.some((c) => c.name === name))
        problem(el.line, `Required field is missing: ${name} (in ${type.name})`);
  },
);

const valueType = elementRule(
  'structure/value-type',
  'enumeration values are in the WSDL enumeration; booleans are true/false; numbers are numbers',
  ({ el, parent }, problem, ctx) => {
    const prop = parent?.prop;
    if (!prop || el.children.length || el.attrs['xsi:nil'] === 'true') return;
    const v = el.text;
    const values = ctx.schema.enums.get(prop.type);
    if (values && !values.has(v))
      problem(el.line, `Error parsing file: '${v}' is not a valid value for the enum '${prop.type}'`);
    else if (prop.type === 'boolean' && !['true', 'false', '1', '0'].includes(v))
      problem(el.line, `Error parsing file: '${v}' is not valid for the type xsd:boolean`);
    else if (prop.type === 'number' && !/^-?\d+(\.\d+)?$/.test(v))
      problem(el.line, `Error parsing file: '${v}' is not valid for the type xsd:double`);
  },
);

const apiVersion: Rule = {
  id: 'structure/api-version',
  family: 'structure',
  description: 'apiVersion / sourceApiVersion is an existing API version (not above the newest release)',
  run(ctx) {
    // Metadata API Developer Guide, ApexClass/ApexTrigger/ApexPage/LightningComponentBundle `apiVersion`: "The API
    // version for this ...": a version is `NN.0` and must exist. The newest version known offline is the one of the
    // SObject model shipped with apex-ls; two releases ahead are allowed (the model may lag a release, and preview
    // sandboxes run the next one).
    const max = ctx.std.apiVersion + 2;
    const bad = (v: string) => !/^\d+(\.0)?$/.test(v.trim()) || parseFloat(v) > max || parseFloat(v) < 1;
    for (const f of ctx.project.files) {
      const el = f.root.children.find((c) => c.name === 'apiVersion');
      if (el && bad(el.text))
        ctx.report(f.file, el.line, `The API version ${el.text} is not a valid API version (1.0 to ${max.toFixed(1)})`);
    }
    const v = ctx.project.sourceApiVersion;
    if (v !== undefined && bad(String(v)))
      ctx.report(
        `${ctx.project.dir}/sfdx-project.json`,
        1,
        `sourceApiVersion ${v} is not a valid API version (1.0 to ${max.toFixed(1)})`,
      );
  },
};

export const structureRules: Rule[] = [rootElement, unknownElement, requiredElement, valueType, apiVersion];
