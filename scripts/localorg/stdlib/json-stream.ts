/**
 * JSONGenerator and JSONParser (JSON.createGenerator / JSON.createParser) over the JSON tree of json.ts.
 * The generator builds a tree and prints it with the same writers as JSON.serialize; the parser flattens the parsed
 * tree into Jackson's token stream (System.JSONToken).
 */
import { platformError } from '../core/errors.js';
import type { NativeClass, NativeFn, Runtime } from '../core/runtime.js';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDouble,
  ApexTime,
  NativeInstance,
  T,
  type ApexValue,
} from '../core/values.js';
import { formatDate, formatTime, tryToId } from '../core/ops.js';
import { JNum, JObj, parseJson, toJsonTree, typed, writeJson, writeJsonPretty, type JNode } from './json.js';
import { parseDecimal } from './numbers.js';
import { parseIsoDatetime } from './dates.js';
import { makeEnum, native, npe, reqBool, reqStr, str, typeOfToken } from './util.js';

function jsonError(msg: string): Error {
  return platformError('System.JSONException', msg);
}

// ---------------------------------------------------------------------------------------------
// JSONGenerator
// ---------------------------------------------------------------------------------------------

interface Frame {
  node: JObj | JNode[];
  pendingName: string | null;
}

interface GenState {
  pretty: boolean;
  root: JNode | undefined;
  stack: Frame[];
  closed: boolean;
}

function gen(s: ApexValue): GenState {
  return native<GenState>(s, 'System.JSONGenerator').state;
}

function put(g: GenState, v: JNode): void {
  if (g.closed) throw jsonError('Generator is closed');
  const top = g.stack[g.stack.length - 1];
  if (!top) {
    if (g.root !== undefined) throw jsonError('Can not write more than one root value');
    g.root = v;
    return;
  }
  if (Array.isArray(top.node)) top.node.push(v);
  else {
    if (top.pendingName === null) throw jsonError('Can not write a value, expecting a field name');
    top.node.entries.push([top.pendingName, v]);
    top.pendingName = null;
  }
}

function open(g: GenState, node: JObj | JNode[]): void {
  put(g, node);
  g.stack.push({ node, pendingName: null });
}

function close(g: GenState, obj: boolean): void {
  const top = g.stack.pop();
  if (!top || Array.isArray(top.node) === obj)
    throw jsonError(obj ? 'Current context not an object' : 'Current context not an array');
}

function field(g: GenState, name: ApexValue): void {
  const top = g.stack[g.stack.length - 1];
  if (!top || Array.isArray(top.node)) throw jsonError('Can not write a field name, expecting a value');
  top.pendingName = reqStr(name);
}

function scalar(rt: Runtime, v: ApexValue): JNode {
  return toJsonTree(rt, v);
}

const g0 =
  (fn: (rt: Runtime, g: GenState, a: ApexValue[]) => void): NativeFn =>
  (rt, a, s) => {
    fn(rt, gen(s), a);
    return null;
  };

const generatorMethods: Record<string, NativeFn> = {
  writestartobject: g0((_rt, g) => open(g, new JObj([]))),
  writeendobject: g0((_rt, g) => close(g, true)),
  writestartarray: g0((_rt, g) => open(g, [])),
  writeendarray: g0((_rt, g) => close(g, false)),
  writefieldname: g0((_rt, g, a) => field(g, a[0])),
  writestring: g0((_rt, g, a) => put(g, str(a[0]))),
  writenumber: g0((rt, g, a) => put(g, scalar(rt, a[0]))),
  writeboolean: g0((_rt, g, a) => put(g, reqBool(a[0]))),
  writenull: g0((_rt, g) => put(g, null)),
  writeid: g0((rt, g, a) => put(g, scalar(rt, a[0]))),
  writedate: g0((_rt, g, a) => put(g, a[0] === null ? null : formatDate(a[0] as ApexDate))),
  writedatetime: g0((_rt, g, a) => put(g, a[0] === null ? null : new Date((a[0] as ApexDatetime).ms).toISOString())),
  writetime: g0((_rt, g, a) => put(g, a[0] === null ? null : formatTime(a[0] as ApexTime))),
  writeblob: g0((_rt, g, a) => put(g, a[0] === null ? null : (a[0] as ApexBlob).bytes.toString('base64'))),
  writeobject: g0((rt, g, a) => put(g, scalar(rt, a[0]))),
  writestringfield: g0((_rt, g, a) => {
    field(g, a[0]);
    put(g, str(a[1]));
  }),
  writenumberfield: g0((rt, g, a) => {
    field(g, a[0]);
    put(g, scalar(rt, a[1]));
  }),
  writebooleanfield: g0((_rt, g, a) => {
    field(g, a[0]);
    put(g, reqBool(a[1]));
  }),
  writenullfield: g0((_rt, g, a) => {
    field(g, a[0]);
    put(g, null);
  }),
  writeidfield: g0((rt, g, a) => {
    field(g, a[0]);
    put(g, scalar(rt, a[1]));
  }),
  writedatefield: g0((_rt, g, a) => {
    field(g, a[0]);
    put(g, a[1] === null ? null : formatDate(a[1] as ApexDate));
  }),
  writedatetimefield: g0((_rt, g, a) => {
    field(g, a[0]);
    put(g, a[1] === null ? null : new Date((a[1] as ApexDatetime).ms).toISOString());
  }),
  writetimefield: g0((_rt, g, a) => {
    field(g, a[0]);
    put(g, a[1] === null ? null : formatTime(a[1] as ApexTime));
  }),
  writeblobfield: g0((_rt, g, a) => {
    field(g, a[0]);
    put(g, a[1] === null ? null : (a[1] as ApexBlob).bytes.toString('base64'));
  }),
  writeobjectfield: g0((rt, g, a) => {
    field(g, a[0]);
    put(g, scalar(rt, a[1]));
  }),
  getasstring: (_rt, _a, s) => {
    const g = gen(s);
    if (g.root === undefined) return '';
    return g.pretty ? writeJsonPretty(g.root) : writeJson(g.root);
  },
  close: (_rt, _a, s) => {
    gen(s).closed = true;
    return null;
  },
  isclosed: (_rt, _a, s) => gen(s).closed,
};

export const JSONGeneratorClass: NativeClass = {
  name: 'System.JSONGenerator',
  aliases: ['JSONGenerator'],
  methods: generatorMethods,
};

export function createGenerator(pretty: boolean): NativeInstance<GenState> {
  return new NativeInstance<GenState>('System.JSONGenerator', { pretty, root: undefined, stack: [], closed: false });
}

// ---------------------------------------------------------------------------------------------
// JSONParser
// ---------------------------------------------------------------------------------------------

export const JSONTokenEnum = makeEnum(
  'System.JSONToken',
  [
    'END_ARRAY',
    'END_OBJECT',
    'FIELD_NAME',
    'NOT_AVAILABLE',
    'START_ARRAY',
    'START_OBJECT',
    'VALUE_EMBEDDED_OBJECT',
    'VALUE_FALSE',
    'VALUE_NULL',
    'VALUE_NUMBER_FLOAT',
    'VALUE_NUMBER_INT',
    'VALUE_STRING',
    'VALUE_TRUE',
  ],
  ['JSONToken'],
);

interface Token {
  kind: string;
  text: string;
  name: string | null;
  /** For START_*: the index of the matching END_*; for values, the value node. */
  end?: number;
  node?: JNode;
}

interface ParserState {
  tokens: Token[];
  pos: number; // index of the current token; -1 before the first nextToken
  cleared: boolean;
}

function flatten(n: JNode, name: string | null, out: Token[]): void {
  if (n instanceof JObj) {
    const start = out.length;
    out.push({ kind: 'START_OBJECT', text: '{', name, node: n });
    for (const [k, v] of n.entries) {
      out.push({ kind: 'FIELD_NAME', text: k, name: k });
      flatten(v, k, out);
    }
    out.push({ kind: 'END_OBJECT', text: '}', name });
    out[start].end = out.length - 1;
  } else if (Array.isArray(n)) {
    const start = out.length;
    out.push({ kind: 'START_ARRAY', text: '[', name, node: n });
    for (const v of n) flatten(v, name, out);
    out.push({ kind: 'END_ARRAY', text: ']', name });
    out[start].end = out.length - 1;
  } else if (n === null) out.push({ kind: 'VALUE_NULL', text: 'null', name, node: n });
  else if (n === true) out.push({ kind: 'VALUE_TRUE', text: 'true', name, node: n });
  else if (n === false) out.push({ kind: 'VALUE_FALSE', text: 'false', name, node: n });
  else if (n instanceof JNum)
    out.push({ kind: /^-?\d+$/.test(n.raw) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT', text: n.raw, name, node: n });
  else out.push({ kind: 'VALUE_STRING', text: n, name, node: n });
}

function parser(s: ApexValue): ParserState {
  return native<ParserState>(s, 'System.JSONParser').state;
}

function current(p: ParserState): Token | null {
  if (p.cleared || p.pos < 0 || p.pos >= p.tokens.length) return null;
  return p.tokens[p.pos];
}

function valueToken(p: ParserState, what: string): Token {
  const t = current(p);
  if (!t || !t.kind.startsWith('VALUE_')) throw jsonError(`Current token (${t?.kind ?? 'null'}) not ${what}`);
  return t;
}

const parserMethods: Record<string, NativeFn> = {
  nexttoken: (_rt, _a, s) => {
    const p = parser(s);
    p.cleared = false;
    p.pos++;
    const t = current(p);
    return t ? JSONTokenEnum.value(t.kind) : null;
  },
  nextvalue: (_rt, _a, s) => {
    const p = parser(s);
    p.cleared = false;
    do p.pos++;
    while (
      p.pos < p.tokens.length &&
      (p.tokens[p.pos].kind === 'FIELD_NAME' || p.tokens[p.pos].kind.startsWith('END_'))
    );
    const t = current(p);
    return t ? JSONTokenEnum.value(t.kind) : null;
  },
  getcurrenttoken: (_rt, _a, s) => {
    const t = current(parser(s));
    return t ? JSONTokenEnum.value(t.kind) : null;
  },
  hascurrenttoken: (_rt, _a, s) => current(parser(s)) !== null,
  clearcurrenttoken: (_rt, _a, s) => {
    parser(s).cleared = true;
    return null;
  },
  getlastclearedtoken: (_rt, _a, s) => {
    const p = parser(s);
    const t = p.pos >= 0 && p.pos < p.tokens.length ? p.tokens[p.pos] : null;
    return t ? JSONTokenEnum.value(t.kind) : null;
  },
  getcurrentname: (_rt, _a, s) => current(parser(s))?.name ?? null,
  gettext: (_rt, _a, s) => current(parser(s))?.text ?? null,
  getintegervalue: (_rt, _a, s) => {
    const t = valueToken(parser(s), 'numeric');
    const n = Number(parseDecimal(t.text).v.trunc().toFixed(0));
    return n | 0;
  },
  getlongvalue: (_rt, _a, s) =>
    BigInt.asIntN(
      64,
      BigInt(
        parseDecimal(valueToken(parser(s), 'numeric').text)
          .v.trunc()
          .toFixed(0),
      ),
    ),
  getdecimalvalue: (_rt, _a, s) => parseDecimal(valueToken(parser(s), 'numeric').text),
  getdoublevalue: (_rt, _a, s) => new ApexDouble(Number(valueToken(parser(s), 'numeric').text)),
  getbooleanvalue: (_rt, _a, s) => {
    const t = valueToken(parser(s), 'boolean');
    if (t.kind !== 'VALUE_TRUE' && t.kind !== 'VALUE_FALSE')
      throw jsonError(`Current token (${t.kind}) not of boolean type`);
    return t.kind === 'VALUE_TRUE';
  },
  getidvalue: (_rt, _a, s) => {
    const t = valueToken(parser(s), 'an Id');
    const id = tryToId(t.text);
    if (!id) throw jsonError(`Invalid id: ${t.text}`);
    return id;
  },
  getdatevalue: (rt, _a, s) => typed(rt, valueToken(parser(s), 'a date').node ?? null, T.Date),
  getdatetimevalue: (_rt, _a, s) => {
    const t = valueToken(parser(s), 'a datetime');
    const d = parseIsoDatetime(t.text);
    if (!d) throw jsonError(`Invalid datetime: ${t.text}`);
    return d;
  },
  gettimevalue: (rt, _a, s) => typed(rt, valueToken(parser(s), 'a time').node ?? null, T.Time),
  getblobvalue: (_rt, _a, s) => new ApexBlob(Buffer.from(valueToken(parser(s), 'a blob').text, 'base64')),
  skipchildren: (_rt, _a, s) => {
    const p = parser(s);
    const t = current(p);
    if (t && t.end !== undefined) p.pos = t.end;
    return null;
  },
  readvalueas: (rt, a, s) => readValue(rt, parser(s), a[0], false),
  readvalueasstrict: (rt, a, s) => readValue(rt, parser(s), a[0], true),
};

function readValue(rt: Runtime, p: ParserState, type: ApexValue, strict: boolean): ApexValue {
  if (type === null) throw npe();
  const t = current(p);
  if (!t) throw jsonError('No current token');
  const v = typed(rt, t.node ?? null, typeOfToken(type), { strict });
  if (t.end !== undefined) p.pos = t.end;
  return v;
}

export const JSONParserClass: NativeClass = {
  name: 'System.JSONParser',
  aliases: ['JSONParser'],
  methods: parserMethods,
};

export function createParser(text: string): NativeInstance<ParserState> {
  const tokens: Token[] = [];
  flatten(parseJson(text), null, tokens);
  return new NativeInstance<ParserState>('System.JSONParser', { tokens, pos: -1, cleared: false });
}

export const jsonStreamClasses: NativeClass[] = [JSONGeneratorClass, JSONParserClass, JSONTokenEnum];
