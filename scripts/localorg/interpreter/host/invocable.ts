/**
 * Invocable actions (`@InvocableMethod`): the list Flow Builder and `/services/data/vNN.0/actions/custom/apex`
 * show, and their bulk invocation.
 *
 * Rules (Apex Developer Guide, "InvocableMethod Annotation", "InvocableVariable Annotation"):
 * - one invocable method per class, static, public or global; its one parameter is a List of a primitive, an
 *   SObject, or an Apex class whose `@InvocableVariable` members are the action's inputs; the returned List's
 *   element (same kinds) gives the outputs;
 * - label, description, category of the action and label, description, required of each variable come from the
 *   annotations (the label defaults to the name);
 * - one call handles a batch: inputs in, outputs out in the same order and number ("The number of results does
 *   not match the number of interviews that were executed in a single bulk execution request" otherwise);
 * - input objects are matched to variables by name without regard to case; an unknown name is an error rather
 *   than silently dropped.
 * For a List of primitives the single input/output variable is named after the parameter / "output" (this org's
 * choice: no platform source names it).
 */
import { mayRunApexClass, restClassDenied } from './class-access.js';
import { platformError } from '../../core/errors.js';
import type { InvocableActionInfo, InvokeResult } from '../../core/org-api.js';
import { ApexList, typeToString, type ApexId, type ApexValue, type TypeRef } from '../../core/values.js';
import type { LocalOrg } from '../../org.js';
import type { MethodDecl } from '../ast.js';
import type { ClassInfo } from '../classes/class-info.js';
import { invoke } from '../eval/calls.js';
import { annotation, annotationFlag, annotationText, apexToJson, exposedMembers, jsonToApex } from './apex-json.js';
import { auraError } from './aura.js';

export type InvocableActionDetail = InvocableActionInfo & { methodName: string };

const PRIMITIVE_OUTPUT = 'output';

function findInvocable(cls: ClassInfo): MethodDecl | undefined {
  return cls.decl?.methods.find((m) => m.mods.isStatic && annotation(m.mods, 'invocablemethod') !== undefined);
}

/** The element type of a List/Set type as declared (unresolved), or null. */
function elementOf(t: TypeRef | null | undefined): TypeRef | null {
  if (!t) return null;
  const l = t.name.toLowerCase();
  return (l === 'list' || l === 'set') && t.args?.[0] ? t.args[0] : null;
}

function variables(org: LocalOrg, cls: ClassInfo, elem: TypeRef | null) {
  if (!elem) return null;
  const c = org.reg.resolveClass(elem.name, cls);
  if (!c || c.isEnum) return null;
  return exposedMembers(c, 'invocable').map((m) => {
    const d = (m.field ?? m.prop)!;
    const a = annotation(d.mods, 'invocablevariable');
    return {
      name: d.name,
      label: annotationText(a, 'label') ?? d.name,
      description: annotationText(a, 'description') ?? '',
      type: typeToString(d.type),
      required: annotationFlag(a, 'required'),
    };
  });
}

const listCache = new WeakMap<LocalOrg, InvocableActionDetail[]>();

export function listInvocableActions(org: LocalOrg): InvocableActionDetail[] {
  const hit = listCache.get(org);
  if (hit) return hit.map((a) => ({ ...a, inputs: [...a.inputs], outputs: [...a.outputs] }));
  const out: InvocableActionDetail[] = [];
  for (const cls of org.reg.classes.values()) {
    if (cls.isTest) continue;
    const m = findInvocable(cls);
    if (!m) continue;
    const a = annotation(m.mods, 'invocablemethod');
    const inElem = elementOf(m.params[0]?.type);
    const outElem = elementOf(m.returnType);
    const inVars = variables(org, cls, inElem);
    const outVars = variables(org, cls, outElem);
    const inputs =
      inVars ??
      (inElem
        ? [
            {
              name: m.params[0].name,
              label: m.params[0].name,
              description: '',
              type: typeToString(inElem),
              required: false,
            },
          ]
        : []);
    const outputs = (
      outVars ??
      (outElem
        ? [
            {
              name: PRIMITIVE_OUTPUT,
              label: PRIMITIVE_OUTPUT,
              description: '',
              type: typeToString(outElem),
              required: false,
            },
          ]
        : [])
    ).map(({ name, label, description, type }) => ({ name, label, description, type }));
    const info: InvocableActionDetail = {
      className: cls.name,
      methodName: m.name,
      label: annotationText(a, 'label') ?? m.name,
      description: annotationText(a, 'description') ?? '',
      inputs,
      outputs,
    };
    const category = annotationText(a, 'category');
    if (category !== undefined) info.category = category;
    out.push(info);
  }
  out.sort((x, y) => x.className.localeCompare(y.className));
  listCache.set(org, out);
  return listInvocableActions(org);
}

export function invokeInvocable(
  org: LocalOrg,
  className: string,
  inputs: Record<string, unknown>[],
  asUserId: ApexId,
): InvokeResult<Record<string, unknown>[]> {
  const cls = org.reg.classes.get(className.toLowerCase());
  const m = cls && !cls.isTest ? findInvocable(cls) : undefined;
  if (!cls || !m) {
    return {
      ok: false,
      error: {
        typeName: 'System.NoAccessException',
        message: `No invocable action ${className}: the class has no @InvocableMethod.`,
        stackTrace: '',
      },
      debug: [],
    };
  }
  const r = org.runTransaction(asUserId, (rt, interp) => {
    rt.quiddity = 'INVOCABLE_ACTION';
    // Class Security (Apex Developer Guide): an invocable action runs only for users granted its class
    if (!mayRunApexClass(rt, cls.name)) throw platformError('System.NoAccessException', restClassDenied(cls.name));
    const args: ApexValue[] = [];
    if (m.params.length) {
      const pt = interp.resolveTypeRefIn(m.params[0].type, m, cls);
      const elem = pt.args?.[0];
      if (!elem) throw platformError('System.TypeException', `${cls.name}.${m.name}: the parameter must be a List`);
      const h = interp.resolveTypeHandle(elem.name, null);
      const isClass = h?.kind === 'class' && !!h.cls && !h.cls.isEnum;
      const items = inputs.map((input, i) => {
        if (isClass) {
          return jsonToApex(rt, interp, input ?? {}, elem, 'invocable', `input ${i + 1}`, (key, c) => {
            throw platformError(
              'System.InvalidParameterValueException',
              `Invalid input parameter: ${key} (the variables of ${c.name} are ${exposedMembers(c, 'invocable')
                .map((x) => (x.field ?? x.prop)!.name)
                .join(', ')})`,
            );
          });
        }
        const keys = Object.keys(input ?? {});
        const key =
          keys.find((k) => k.toLowerCase() === m.params[0].name.toLowerCase()) ??
          (keys.length === 1 ? keys[0] : undefined);
        return jsonToApex(rt, interp, key === undefined ? null : input[key], elem, 'invocable', `input ${i + 1}`);
      });
      args.push(interp.coerce(new ApexList(elem, items), pt));
    }
    interp.ensureStatic(cls);
    const ret = invoke(interp, m, cls, null, args);
    if (!m.returnType || m.returnType.name.toLowerCase() === 'void') return inputs.map(() => ({}));
    const list = ret instanceof ApexList ? ret.items : ret === null ? [] : null;
    if (list === null) throw platformError('System.TypeException', `${cls.name}.${m.name} must return a List`);
    if (list.length !== inputs.length) {
      throw platformError(
        'System.FlowException',
        'The number of results does not match the number of interviews that were executed in a single bulk execution request.',
      );
    }
    return list.map((x): Record<string, unknown> => {
      if (x === null) return {};
      const v = apexToJson(rt, interp, x, 'invocable');
      return v !== null && typeof v === 'object' && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : { [PRIMITIVE_OUTPUT]: v };
    });
  });
  if (r.ok) return r;
  return { ok: false, error: auraError(r.error), debug: r.debug };
}
