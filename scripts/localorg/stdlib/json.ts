/**
 * System.JSON: serialize / serializePretty (Jackson's output shapes), deserializeUntyped (Integer, Long or
 * Decimal by the number's form), deserialize / deserializeStrict into a Type (Apex classes through
 * InterpreterApi.classFields/newInstance, collections, SObjects by schema). The parser keeps numbers as text so
 * that Long and Decimal values are exact.
 *
 * `toJsonValue` and `fromJsonValue` are the same conversions on plain JavaScript values, for the org
 * (Aura/REST/invocable parameters and results).
 */
import { platformError } from '../core/errors.js';
import type { NativeClass, Runtime } from '../core/runtime.js';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexId,
  ApexInstance,
  ApexList,
  ApexMap,
  ApexSet,
  ApexTime,
  NativeInstance,
  SObjectValue,
  T,
  typeToString,
  type ApexValue,
  type TypeRef,
} from '../core/values.js';
import {
  formatDate,
  formatDecimal,
  formatDouble,
  formatTime,
  formatValue,
  isValueKeyed,
  tryToId,
} from '../core/ops.js';
import { mapPut, setAdd } from './collections.js';
import { parseIsoDatetime } from './dates.js';
import { parseDecimal } from './numbers.js';
import { coerceForField } from './sobject.js';
import { findField } from './apex-schema.js';
import { npe, reqBool, reqStr, typeOfToken, unsupported } from './util.js';

const API_VERSION = 'v62.0';

// ---------------------------------------------------------------------------------------------
// A JSON tree that keeps number text and key order
// ---------------------------------------------------------------------------------------------

export class JNum {
  constructor(public readonly raw: string) {}
}
export class JObj {
  constructor(public readonly entries: [string, JNode][]) {}
  get(key: string): JNode | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i][0] === key) return this.entries[i][1];
    return undefined;
  }
}
export type JNode = null | boolean | string | JNum | JNode[] | JObj;

function jsonError(msg: string): Error {
  return platformError('System.JSONException', msg);
}

/**
 * JSON.deserialize reads the first token before anything else: into a List or Set the text must open with '[', into
 * an object (an Apex class, an SObject, a Map) with '{' (or be null). Otherwise System.JSONException "Malformed JSON:
 * Expected '[' at the beginning of List/Set" / "Malformed JSON: Expected '{' at the beginning of object", whatever
 * follows (Salesforce Stack Exchange, questions/178810, "Malformed JSON: Expected '{' at the beginning of object" for
 * an array given to a class; trailheadapps/apex-recipes CustomRestEndpointRecipes_Tests expect "Malformed JSON:" for
 * the last three characters of a serialized list).
 */
function checkStart(rt: Runtime, text: string, t: TypeRef): string {
  const first = /\S/.exec(text)?.[0];
  if (first === undefined || first === 'n') return text;
  const name = t.name.toLowerCase().replace(/^system\./, '');
  if ((name === 'list' || name === 'set') && first !== '[')
    throw jsonError("Malformed JSON: Expected '[' at the beginning of List/Set");
  if (first !== '{' && name !== 'list' && name !== 'set' && isObjectType(rt, t)) {
    throw jsonError("Malformed JSON: Expected '{' at the beginning of object");
  }
  return text;
}

/** An object type: a Map, an SObject, or an Apex class with instance fields (not an enum or a scalar). */
function isObjectType(rt: Runtime, t: TypeRef): boolean {
  const name = t.name.toLowerCase().replace(/^system\./, '');
  if (name === 'map' || name === 'sobject' || rt.schema.getObject(t.name)) return true;
  const fields = rt.interp.classFields(t.name);
  return !!fields && fields.length > 0;
}

export function parseJson(text: string): JNode {
  let i = 0;
  const lineCol = (at: number) => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const col = at - before.lastIndexOf('\n');
    return `[line:${line}, column:${col}]`;
  };
  const ws = () => {
    while (i < text.length && /[ \t\r\n]/.test(text[i])) i++;
  };
  const unexpected = (what: string): never => {
    if (i >= text.length) throw jsonError(`Unexpected end-of-input: ${what} at ${lineCol(i)}`);
    const c = text[i];
    throw jsonError(`Unexpected character ('${c}' (code ${c.charCodeAt(0)})): ${what} at ${lineCol(i)}`);
  };
  const value = (): JNode => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, JNode][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return new JObj(entries);
      }
      for (;;) {
        ws();
        if (text[i] !== '"') unexpected('was expecting double-quote to start field name');
        const k = string();
        ws();
        if (text[i] !== ':') unexpected('was expecting a colon to separate field name and value');
        i++;
        entries.push([k, value()]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return new JObj(entries);
        }
        unexpected('was expecting comma to separate Object entries');
      }
    }
    if (c === '[') {
      i++;
      const items: JNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return items;
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return items;
        }
        unexpected('was expecting comma to separate Array entries');
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (m) {
      i += m[0].length;
      return new JNum(m[0]);
    }
    return unexpected("expected a valid value (number, String, array, object, 'true', 'false' or 'null')");
  };
  const string = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length)
        throw jsonError(`Unexpected end-of-input: was expecting closing quote for a string value at ${lineCol(i)}`);
      const c = text[i++];
      if (c === '"') return out;
      if (c === '\\') {
        const e = text[i++];
        const map: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e === 'u') {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw jsonError(`Unexpected character in unicode escape at ${lineCol(i)}`);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else if (map[e] !== undefined) out += map[e];
        else throw jsonError(`Unrecognized character escape '${e}' (code ${e?.charCodeAt(0)}) at ${lineCol(i - 1)}`);
      } else if (c.charCodeAt(0) < 32) {
        throw jsonError(
          `Illegal unquoted character ((CTRL-CHAR, code ${c.charCodeAt(0)})): has to be escaped using backslash to be included in string value at ${lineCol(i - 1)}`,
        );
      } else out += c;
    }
  };
  const v = value();
  ws();
  if (i < text.length) unexpected('expected end of input');
  return v;
}

/** Plain JavaScript values (from JSON.parse or the org) to the tree. */
export function fromPlain(v: unknown): JNode {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return new JNum(Number.isInteger(v) ? String(v) : formatDouble(v).replace('E', 'e'));
  if (typeof v === 'bigint') return new JNum(v.toString());
  if (v instanceof JNum || v instanceof JObj) return v;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (typeof v === 'object')
    return new JObj(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromPlain(x)]));
  throw new Error(`internal: cannot convert ${typeof v} to JSON`);
}

// ---------------------------------------------------------------------------------------------
// Apex value -> JSON tree
// ---------------------------------------------------------------------------------------------

export interface SerializeOptions {
  suppressNulls?: boolean;
  /** SObjects carry {"attributes":{"type","url"}} (true for JSON.serialize). */
  sobjectAttributes?: boolean;
}

function datetimeIso(ms: number, sobjectStyle: boolean): string {
  const iso = new Date(ms).toISOString();
  return sobjectStyle ? iso.replace('Z', '+0000') : iso;
}

/** A raw JSON number text wrapped so the writer prints it unquoted. */
function num(raw: string): JNum {
  return new JNum(raw);
}

export function toJsonTree(
  rt: Runtime,
  v: ApexValue,
  opts: SerializeOptions = {},
  depth = 0,
  inSObject = false,
): JNode {
  if (depth > 100) throw jsonError('Maximum stack depth reached');
  if (v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return num(String(v));
    case 'bigint':
      return num(v.toString());
  }
  if (v instanceof ApexDouble) {
    if (!Number.isFinite(v.v)) return num(formatDouble(v.v));
    return num(formatDouble(v.v));
  }
  if (v instanceof ApexDecimal) return num(formatDecimal(v));
  if (v instanceof ApexId) return v.value;
  if (v instanceof ApexDate) return formatDate(v);
  if (v instanceof ApexDatetime) return datetimeIso(v.ms, inSObject);
  if (v instanceof ApexTime) return formatTime(v);
  if (v instanceof ApexBlob) return v.bytes.toString('base64');
  if (v instanceof ApexList) return v.items.map((x) => toJsonTree(rt, x, opts, depth + 1));
  if (v instanceof ApexSet) return [...v.entries.values()].map((x) => toJsonTree(rt, x, opts, depth + 1));
  if (v instanceof ApexMap) {
    const entries: [string, JNode][] = [];
    for (const [k, x] of v.entries.values()) {
      if (opts.suppressNulls && x === null) continue;
      entries.push([formatValue(rt, k), toJsonTree(rt, x, opts, depth + 1)]);
    }
    return new JObj(entries);
  }
  if (v instanceof SObjectValue) {
    const entries: [string, JNode][] = [];
    if (opts.sobjectAttributes !== false) {
      const attrs: [string, JNode][] = [['type', v.sobjectType]];
      const id = v.id;
      if (id) attrs.push(['url', `/services/data/${API_VERSION}/sobjects/${v.sobjectType}/${id.value}`]);
      entries.push(['attributes', new JObj(attrs)]);
    }
    for (const f of v.fields.values()) {
      if (opts.suppressNulls && f.value === null) continue;
      if (f.value instanceof ApexList) {
        const records = f.value.items.map((x) => toJsonTree(rt, x, opts, depth + 1, true));
        entries.push([
          f.name,
          new JObj([
            ['totalSize', num(String(records.length))],
            ['done', true],
            ['records', records],
          ]),
        ]);
      } else entries.push([f.name, toJsonTree(rt, f.value, opts, depth + 1, true)]);
    }
    return new JObj(entries);
  }
  if (v instanceof ApexInstance) {
    if (v.cls.isA('exception')) return unsupported('JSON.serialize of an exception object');
    const declared = rt.interp.classFields(v.cls.name);
    const names = declared ? declared.map((d) => d.name) : [...v.fields.keys()];
    const entries: [string, JNode][] = [];
    for (const n of names) {
      const x = v.fields.get(n) ?? null;
      if (opts.suppressNulls && x === null) continue;
      entries.push([n, toJsonTree(rt, x, opts, depth + 1)]);
    }
    return new JObj(entries);
  }
  if (v instanceof NativeInstance) {
    const st = v.state as { enumValue?: string };
    if (typeof st?.enumValue === 'string') return st.enumValue;
    if (isValueKeyed(v.state)) return v.state.display ?? v.state.valueKey;
    return unsupported(`JSON.serialize of ${v.typeName}`);
  }
  return unsupported(`JSON.serialize of ${typeof v}`);
}

/** Compact text, like Jackson's default writer. */
export function writeJson(n: JNode): string {
  if (n === null) return 'null';
  if (typeof n === 'boolean') return n ? 'true' : 'false';
  if (typeof n === 'string') return JSON.stringify(n);
  if (n instanceof JNum) return n.raw;
  if (Array.isArray(n)) return `[${n.map(writeJson).join(',')}]`;
  return `{${n.entries.map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`).join(',')}}`;
}

/** Jackson's DefaultPrettyPrinter: objects one entry a line with 2-space indents and ' : ', arrays '[ a, b ]'. */
export function writeJsonPretty(n: JNode, indent = 0): string {
  if (n === null || typeof n !== 'object' || n instanceof JNum) return writeJson(n);
  if (Array.isArray(n)) {
    if (n.length === 0) return '[ ]';
    return `[ ${n.map((x) => writeJsonPretty(x, indent)).join(', ')} ]`;
  }
  if (n.entries.length === 0) return '{ }';
  const pad = '  '.repeat(indent + 1);
  const body = n.entries.map(([k, v]) => `${pad}${JSON.stringify(k)} : ${writeJsonPretty(v, indent + 1)}`).join(',\n');
  return `{\n${body}\n${'  '.repeat(indent)}}`;
}

/** Apex value -> plain JavaScript JSON value (numbers as JS numbers; Longs beyond 2^53 lose precision). */
export function toJsonValue(rt: Runtime, v: ApexValue, opts: SerializeOptions = {}): unknown {
  return toPlain(toJsonTree(rt, v, opts));
}

function toPlain(n: JNode): unknown {
  if (n === null || typeof n !== 'object') return n;
  if (n instanceof JNum) return Number(n.raw);
  if (Array.isArray(n)) return n.map(toPlain);
  const o: Record<string, unknown> = {};
  for (const [k, v] of n.entries) o[k] = toPlain(v);
  return o;
}

// ---------------------------------------------------------------------------------------------
// JSON tree -> Apex value
// ---------------------------------------------------------------------------------------------

/** deserializeUntyped: Map<String, Object>, List<Object>, Integer/Long/Decimal, String, Boolean, null. */
export function untyped(rt: Runtime, n: JNode): ApexValue {
  if (n === null || typeof n === 'boolean' || typeof n === 'string') return n;
  if (n instanceof JNum) return untypedNumber(n.raw);
  if (Array.isArray(n))
    return new ApexList(
      T.Object,
      n.map((x) => untyped(rt, x)),
    );
  const m = new ApexMap(T.String, T.Object);
  for (const [k, v] of n.entries) mapPut(rt, m, k, untyped(rt, v));
  return m;
}

function untypedNumber(raw: string): ApexValue {
  if (/^-?\d+$/.test(raw)) {
    const b = BigInt(raw);
    if (b >= -2147483648n && b <= 2147483647n) return Number(b);
    if (b >= -9223372036854775808n && b <= 9223372036854775807n) return b;
  }
  return parseDecimal(raw);
}

interface DeserializeCtx {
  strict: boolean;
}

function describeNode(n: JNode): string {
  if (n === null) return 'null';
  if (typeof n === 'string') return 'VALUE_STRING';
  if (typeof n === 'boolean') return n ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (n instanceof JNum) return /^-?\d+$/.test(n.raw) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (Array.isArray(n)) return 'START_ARRAY';
  return 'START_OBJECT';
}

function mismatch(n: JNode, t: TypeRef): Error {
  return jsonError(`Cannot deserialize instance of ${typeToString(t)} from ${describeNode(n)} value`);
}

function scalarText(n: JNode): string | null {
  if (typeof n === 'string') return n;
  if (n instanceof JNum) return n.raw;
  if (typeof n === 'boolean') return String(n);
  return null;
}

export function typed(rt: Runtime, n: JNode, t: TypeRef, ctx: DeserializeCtx = { strict: false }): ApexValue {
  if (n === null) return null;
  const name = t.name.toLowerCase().replace(/^system\./, '');
  switch (name) {
    case 'object':
      return untyped(rt, n);
    case 'string': {
      const s = scalarText(n);
      if (s === null) throw mismatch(n, t);
      return s;
    }
    case 'id': {
      const s = scalarText(n);
      if (s === null) throw mismatch(n, t);
      if (s === '') return null;
      const id = tryToId(s);
      if (!id) throw jsonError(`Invalid id: ${s}`);
      return id;
    }
    case 'boolean':
      if (typeof n === 'boolean') return n;
      if (typeof n === 'string' && /^(true|false)$/i.test(n)) return n.toLowerCase() === 'true';
      throw mismatch(n, t);
    case 'integer':
    case 'long':
    case 'double':
    case 'decimal': {
      const s = scalarText(n);
      if (s === null || typeof n === 'boolean') throw mismatch(n, t);
      if (s.trim() === '') return null;
      let d: ApexDecimal;
      try {
        d = parseDecimal(s);
      } catch {
        throw jsonError(`Cannot deserialize instance of ${typeToString(t)} from String value '${s}'`);
      }
      if (name === 'decimal') return d;
      if (name === 'double') return new ApexDouble(Number(s));
      if (!d.v.isInteger())
        throw jsonError(`Cannot deserialize instance of ${typeToString(t)} from VALUE_NUMBER_FLOAT value`);
      const b = BigInt(d.v.toFixed(0));
      if (name === 'integer') {
        if (b < -2147483648n || b > 2147483647n) throw jsonError(`Numeric value (${s}) out of range of int`);
        return Number(b);
      }
      if (b < -9223372036854775808n || b > 9223372036854775807n)
        throw jsonError(`Numeric value (${s}) out of range of long`);
      return b;
    }
    case 'date': {
      if (typeof n !== 'string') throw mismatch(n, t);
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(n);
      if (!m)
        throw jsonError(
          `Cannot deserialize instance of date from VALUE_STRING value ${n} or request may be missing a required field`,
        );
      return new ApexDate(Number(m[1]), Number(m[2]), Number(m[3]));
    }
    case 'datetime': {
      if (typeof n !== 'string') {
        if (n instanceof JNum) return new ApexDatetime(Number(n.raw));
        throw mismatch(n, t);
      }
      const d = parseIsoDatetime(n);
      if (!d)
        throw jsonError(
          `Cannot deserialize instance of datetime from VALUE_STRING value ${n} or request may be missing a required field`,
        );
      return d;
    }
    case 'time': {
      if (typeof n !== 'string') throw mismatch(n, t);
      const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/.exec(n);
      if (!m) throw jsonError(`Cannot deserialize instance of time from VALUE_STRING value ${n}`);
      return new ApexTime(
        ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + Number((m[4] ?? '0').padEnd(3, '0')),
      );
    }
    case 'blob':
      if (typeof n !== 'string') throw mismatch(n, t);
      return new ApexBlob(Buffer.from(n, 'base64'));
    case 'list':
    case 'set': {
      if (!Array.isArray(n)) throw mismatch(n, t);
      const elem = t.args?.[0] ?? T.Object;
      const items = n.map((x) => typed(rt, x, elem, ctx));
      if (name === 'list') return new ApexList(elem, items);
      const s = new ApexSet(elem);
      for (const x of items) setAdd(rt, s, x);
      return s;
    }
    case 'map': {
      if (!(n instanceof JObj)) throw mismatch(n, t);
      const kt = t.args?.[0] ?? T.String;
      const vt = t.args?.[1] ?? T.Object;
      const m = new ApexMap(kt, vt);
      for (const [k, v] of n.entries) mapPut(rt, m, typed(rt, k, kt, ctx), typed(rt, v, vt, ctx));
      return m;
    }
    case 'sobject':
      return toSObject(rt, n, null, ctx);
  }
  if (rt.schema.getObject(t.name)) return toSObject(rt, n, t.name, ctx);
  if (Array.isArray(t.args) && t.args.length) return unsupported(`JSON.deserialize into ${typeToString(t)}`);
  return toApexObject(rt, n, t, ctx);
}

function toSObject(rt: Runtime, n: JNode, objectName: string | null, ctx: DeserializeCtx): SObjectValue {
  if (!(n instanceof JObj)) throw mismatch(n, { name: objectName ?? 'SObject' });
  const attrs = n.get('attributes');
  let name = objectName;
  if (attrs instanceof JObj && typeof attrs.get('type') === 'string') {
    const declared = attrs.get('type') as string;
    if (!name || name.toLowerCase() === 'sobject') name = declared;
  }
  if (!name) throw jsonError('Cannot deserialize an SObject without "attributes": {"type": ...}');
  const o = rt.schema.getObject(name);
  if (!o) throw jsonError(`Invalid sObject type: ${name}`);
  const rec = new SObjectValue(o.name);
  for (const [k, v] of n.entries) {
    if (k === 'attributes') continue;
    const f = findField(o, k);
    if (f) {
      const ft = fieldType(f.type);
      const val = typed(rt, v, ft, ctx);
      rec.setRaw(f.name, coerceForField(rt, o.name, f, val));
      continue;
    }
    const parent = [...o.fields.values()].find((x) => x.relationshipName?.toLowerCase() === k.toLowerCase());
    if (parent) {
      rec.setRaw(parent.relationshipName!, v === null ? null : toSObject(rt, v, parent.referenceTo?.[0] ?? null, ctx));
      continue;
    }
    const child = o.childRelationships.find((c) => c.relationshipName.toLowerCase() === k.toLowerCase());
    if (child) {
      const records = v instanceof JObj ? v.get('records') : v;
      if (records !== null && records !== undefined && !Array.isArray(records))
        throw mismatch(records, { name: 'List' });
      rec.setRaw(
        child.relationshipName,
        records
          ? new ApexList(
              { name: child.childObject },
              records.map((r) => toSObject(rt, r, child.childObject, ctx)),
            )
          : null,
      );
      continue;
    }
    throw jsonError(`No such column '${k}' on sobject of type ${o.name}`);
  }
  return rec;
}

function fieldType(ft: string): TypeRef {
  switch (ft) {
    case 'id':
    case 'reference':
      return T.Id;
    case 'boolean':
      return T.Boolean;
    case 'int':
      return T.Integer;
    case 'double':
    case 'currency':
    case 'percent':
      return T.Decimal;
    case 'date':
      return T.Date;
    case 'datetime':
      return T.Datetime;
    case 'time':
      return T.Time;
    case 'base64':
      return T.Blob;
    default:
      return T.String;
  }
}

function toApexObject(rt: Runtime, n: JNode, t: TypeRef, ctx: DeserializeCtx): ApexValue {
  const fields = rt.interp.classFields(t.name);
  if (!fields) return unsupported(`JSON.deserialize into ${typeToString(t)}`);
  if (!(n instanceof JObj)) throw mismatch(n, t);
  const inst = rt.interp.newInstance(t.name);
  const byLower = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  for (const [k, v] of n.entries) {
    const f = byLower.get(k.toLowerCase());
    if (!f) {
      if (ctx.strict) throw jsonError(`Unknown field: ${t.name}.${k}`);
      continue;
    }
    inst.fields.set(f.name, typed(rt, v, f.type, ctx));
  }
  return inst;
}

/** JSON (plain JS value or tree) -> Apex value of type t, as JSON.deserialize does. */
export function fromJsonValue(rt: Runtime, json: unknown, t: TypeRef): ApexValue {
  return typed(rt, fromPlain(json), t);
}

// ---------------------------------------------------------------------------------------------
// System.JSON
// ---------------------------------------------------------------------------------------------

export const JSONClass: NativeClass = {
  name: 'System.JSON',
  aliases: ['JSON'],
  statics: {
    serialize: (rt, a) => {
      const suppressNulls = a.length > 1 ? reqBool(a[1]) : false;
      return writeJson(toJsonTree(rt, a[0], { suppressNulls }));
    },
    serializepretty: (rt, a) => {
      const suppressNulls = a.length > 1 ? reqBool(a[1]) : false;
      return writeJsonPretty(toJsonTree(rt, a[0], { suppressNulls }));
    },
    deserializeuntyped: (rt, a) => {
      if (a[0] === null) throw npe();
      return untyped(rt, parseJson(reqStr(a[0])));
    },
    deserialize: (rt, a) => {
      if (a[0] === null) throw npe();
      const t = typeOfToken(a[1]);
      return typed(rt, parseJson(checkStart(rt, reqStr(a[0]), t)), t, { strict: false });
    },
    deserializestrict: (rt, a) => {
      if (a[0] === null) throw npe();
      const t = typeOfToken(a[1]);
      return typed(rt, parseJson(checkStart(rt, reqStr(a[0]), t)), t, { strict: true });
    },
    creategenerator: () => unsupported('JSON.createGenerator (JSONGenerator)'),
    createparser: () => unsupported('JSON.createParser (JSONParser)'),
  },
};

export const jsonClasses: NativeClass[] = [JSONClass];
