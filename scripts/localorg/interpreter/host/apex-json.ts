/**
 * JSON <-> Apex conversions for the org's entry points (Aura, invocable actions, Apex REST parameters).
 *
 * Apex classes cross the boundary through the members the entry point exposes: `@AuraEnabled` members for
 * Lightning (Aura/LWC), `@InvocableVariable` members for invocable actions. Everything else (primitives, Ids,
 * dates, SObjects, collections of them) goes through stdlib/json.ts, the same code as JSON.serialize /
 * JSON.deserialize.
 *
 * Aura shapes (Lightning Web Components Developer Guide, "Apex types"; observed platform behaviour):
 * - an Apex object becomes a JSON object of its `@AuraEnabled` fields and properties (getters run); members that
 *   are null are left out (the component reads them as undefined);
 * - an SObject becomes a plain field map without "attributes"; a parent relationship is a nested object and a
 *   child relationship a plain array of records (not the {"totalSize","done","records"} of JSON.serialize);
 * - Date "2024-01-31", Datetime "2024-01-31T10:00:00.000Z", Id 18 characters, Blob base64.
 */
import { PlatformError, platformError } from '../../core/errors.js';
import type { Runtime } from '../../core/runtime.js';
import {
  ApexInstance,
  ApexList,
  ApexMap,
  ApexSet,
  NativeInstance,
  SObjectValue,
  T,
  typeToString,
  type ApexValue,
  type TypeRef,
} from '../../core/values.js';
import { fromJsonValue, toJsonValue } from '../../stdlib/json.js';
import { mapPut, setAdd } from '../../stdlib/collections.js';
import type { ClassInfo, MemberRef } from '../classes/class-info.js';
import { ci } from '../classes/class-info.js';
import type { Interpreter } from '../eval/interpreter.js';
import type { Annotation, Modifiers } from '../ast.js';

/** Which members of Apex classes cross the boundary. */
export type Exposure = 'aura' | 'invocable';

const EXPOSING: Record<Exposure, string[]> = {
  aura: ['auraenabled'],
  // Apex-defined types nested in invocable variables are exposed through @AuraEnabled (Flow's rule).
  invocable: ['invocablevariable', 'auraenabled'],
};

export function annotation(mods: Modifiers, lname: string): Annotation | undefined {
  return mods.annotations.find((a) => a.name === lname);
}

/** An annotation parameter's text with Apex string escapes resolved (`'Sender\'s'` -> `Sender's`). */
export function annotationText(a: Annotation | undefined, key: string): string | undefined {
  const raw = a?.params[key];
  if (raw === undefined) return undefined;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
    return map[e] ?? e;
  });
}

export function annotationFlag(a: Annotation | undefined, key: string): boolean {
  return (a?.params[key] ?? '').trim().toLowerCase() === 'true';
}

/** Instance fields and properties of a class (superclasses first) that carry one of the exposing annotations. */
const exposedCache = new WeakMap<ClassInfo, Map<Exposure, MemberRef[]>>();

export function exposedMembers(cls: ClassInfo, exposure: Exposure): MemberRef[] {
  let byExposure = exposedCache.get(cls);
  if (!byExposure) exposedCache.set(cls, (byExposure = new Map()));
  let hit = byExposure.get(exposure);
  if (!hit) byExposure.set(exposure, (hit = computeExposed(cls, exposure)));
  return hit;
}

function computeExposed(cls: ClassInfo, exposure: Exposure): MemberRef[] {
  const chain: ClassInfo[] = [];
  for (let c: ClassInfo | null = cls; c && c.decl; c = c.superClass) chain.unshift(c);
  const names = EXPOSING[exposure];
  const out: MemberRef[] = [];
  for (const c of chain) {
    for (const m of c.decl!.members) {
      if (m.k !== 'field' && m.k !== 'prop') continue;
      if (m.decl.mods.isStatic) continue;
      if (!m.decl.mods.annotations.some((a) => names.includes(a.name))) continue;
      const ref = c.members.get(m.decl.name.toLowerCase());
      if (ref) out.push(ref);
    }
  }
  return out;
}

function memberDecl(m: MemberRef): { name: string; type: TypeRef } {
  return (m.field ?? m.prop)!;
}

const SCALARS = new Set([
  'string',
  'id',
  'boolean',
  'integer',
  'long',
  'double',
  'decimal',
  'date',
  'datetime',
  'time',
  'blob',
  'object',
  'sobject',
]);

/** The user class (not enum) a resolved type names, or null. */
function userClass(ip: Interpreter, t: TypeRef): ClassInfo | null {
  const l = t.name.toLowerCase();
  if (SCALARS.has(l) || l === 'list' || l === 'set' || l === 'map') return null;
  const h = ip.resolveTypeHandle(t.name, null);
  return h?.kind === 'class' && h.cls ? h.cls : null;
}

function invalid(what: string, t: TypeRef): Error {
  return platformError('System.TypeException', `Value provided is invalid for ${what} of type '${typeToString(t)}'`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A JSON value (already parsed) as an Apex value of the resolved type `t`. Apex objects are filled through
 * their exposed members, matched by name without regard to case; other keys are ignored (`onUnknown` may object).
 */
export function jsonToApex(
  rt: Runtime,
  ip: Interpreter,
  json: unknown,
  t: TypeRef,
  exposure: Exposure,
  what: string,
  onUnknown?: (key: string, cls: ClassInfo) => void,
): ApexValue {
  if (json === null || json === undefined) return null;
  const l = t.name.toLowerCase();
  if (l === 'list' || l === 'set') {
    if (!Array.isArray(json)) throw invalid(what, t);
    const elem = t.args?.[0] ?? T.Object;
    const items = json.map((x) => jsonToApex(rt, ip, x, elem, exposure, what, onUnknown));
    if (l === 'list') return new ApexList(elem, items);
    const s = new ApexSet(elem);
    for (const x of items) setAdd(rt, s, x);
    return s;
  }
  if (l === 'map') {
    if (!isPlainObject(json)) throw invalid(what, t);
    const kt = t.args?.[0] ?? T.String;
    const vt = t.args?.[1] ?? T.Object;
    const m = new ApexMap(kt, vt);
    for (const [k, v] of Object.entries(json)) {
      mapPut(rt, m, fromJsonValue(rt, k, kt), jsonToApex(rt, ip, v, vt, exposure, what, onUnknown));
    }
    return m;
  }
  const cls = userClass(ip, t);
  if (cls) {
    if (cls.isEnum) {
      if (typeof json !== 'string') throw invalid(what, t);
      const c = ip.enumConstant(cls, json.toLowerCase());
      if (!c) throw invalid(what, t);
      return c;
    }
    if (!isPlainObject(json)) throw invalid(what, t);
    const inst = ip.newInstance(cls.name);
    const byName = new Map(exposedMembers(cls, exposure).map((m) => [m.lname, m]));
    for (const [k, v] of Object.entries(json)) {
      const m = byName.get(k.toLowerCase());
      if (!m) {
        onUnknown?.(k, cls);
        continue;
      }
      const mt = ip.resolveTypeRefIn(memberDecl(m).type, null, m.owner);
      ip.writeMember(m, inst, jsonToApex(rt, ip, v, mt, exposure, `${what} (${memberDecl(m).name})`));
    }
    return inst;
  }
  try {
    return fromJsonValue(rt, json, t);
  } catch (e) {
    if (e instanceof PlatformError) throw invalid(what, t);
    throw e;
  }
}

/**
 * An Apex value as plain JSON for a caller: Aura's shapes (`aura`: nulls of objects left out, SObjects without
 * attributes) or invocable outputs (`invocable`: every exposed member, nulls included).
 */
export function apexToJson(rt: Runtime, ip: Interpreter, v: ApexValue, exposure: Exposure, depth = 0): unknown {
  if (depth > 100) throw platformError('System.JSONException', 'Maximum stack depth reached');
  if (v === null) return null;
  if (v instanceof ApexList || v instanceof ApexSet) {
    const items = v instanceof ApexList ? v.items : [...v.entries.values()];
    return items.map((x) => apexToJson(rt, ip, x, exposure, depth + 1));
  }
  if (v instanceof ApexMap) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v.entries.values()) {
      const key = typeof k === 'string' ? k : String(toJsonValue(rt, k));
      o[key] = apexToJson(rt, ip, x, exposure, depth + 1);
    }
    return o;
  }
  if (v instanceof SObjectValue) {
    if (exposure === 'invocable') return toJsonValue(rt, v);
    const o: Record<string, unknown> = {};
    for (const f of v.fields.values()) {
      if (f.value === null) continue;
      o[f.name] = apexToJson(rt, ip, f.value, exposure, depth + 1);
    }
    return o;
  }
  if (v instanceof ApexInstance) {
    const cls = ci(v.cls);
    if (cls.isException) {
      return { message: ip.callMethod(v, 'getMessage', []) as string | null, exceptionType: cls.name };
    }
    const o: Record<string, unknown> = {};
    for (const m of exposedMembers(cls, exposure)) {
      const x = ip.readMember(m, v);
      if (x === null && exposure === 'aura') continue;
      o[memberDecl(m).name] = apexToJson(rt, ip, x, exposure, depth + 1);
    }
    return o;
  }
  if (v instanceof NativeInstance) {
    const st = v.state as { enumValue?: unknown };
    if (typeof st?.enumValue === 'string') return st.enumValue;
  }
  return toJsonValue(rt, v);
}
