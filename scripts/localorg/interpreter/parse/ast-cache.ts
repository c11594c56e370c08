/**
 * On-disk cache of converted ASTs, keyed by a hash of the source text and of the converter's own code.
 * Why: the ANTLR parser needs seconds to warm up in every new process (apex:run starts one per program);
 * a cached AST loads in milliseconds. Stored under node_modules/.cache/localorg-ast (never committed).
 * LOCALORG_NO_AST_CACHE=1 disables it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cacheDir = path.resolve(here, '..', '..', '..', '..', 'node_modules', '.cache', 'localorg-ast');
let fingerprint: string | null = null;

function converterFingerprint(): string {
  if (fingerprint) return fingerprint;
  const h = crypto.createHash('sha1');
  for (const f of [
    'ast.ts',
    'parse/tree.ts',
    'parse/convert-expr.ts',
    'parse/convert-stmt.ts',
    'parse/convert-decl.ts',
    'parse/parse.ts',
    'parse/ast-cache.ts',
  ]) {
    try {
      h.update(fs.readFileSync(path.join(here, '..', f)));
    } catch {
      h.update(f);
    }
  }
  fingerprint = h.digest('hex');
  return fingerprint;
}

function replacer(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return { $big: v.toString() };
  if (v instanceof Map) return { $map: [...v.entries()] };
  return v;
}

/**
 * Restores the Maps and bigints the replacer encoded. A walk after a plain JSON.parse: about twice as fast as a
 * JSON.parse reviver (called for every primitive too), and loading ASTs is most of an org's load time.
 */
function revive(v: object): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object') v[i] = revive(x);
    }
    return v;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.$big === 'string') return BigInt(o.$big);
  if (Array.isArray(o.$map)) {
    return new Map(
      (o.$map as [unknown, unknown][]).map(([k, x]) => [k, x !== null && typeof x === 'object' ? revive(x) : x]),
    );
  }
  for (const k in o) {
    const x = o[k];
    if (x !== null && typeof x === 'object') o[k] = revive(x);
  }
  return o;
}

const disabled = process.env.LOCALORG_NO_AST_CACHE === '1';

/**
 * The cached JSON per key, kept in memory: processes that load the org many times (the conformance runner loads a
 * fresh org per program) read each file once. The text, not the AST, is kept: the evaluator fills mutable cache slots
 * in AST nodes (resolved names of one org's classes), so every load needs its own copy.
 */
const texts = new Map<string, string>();

export function cachedParse<T>(kind: string, src: string, parse: () => T): T {
  if (disabled) return parse();
  const key = crypto.createHash('sha1').update(converterFingerprint()).update(kind).update(src).digest('hex');
  const file = path.join(cacheDir, `${key}.json`);
  let text = texts.get(key);
  if (text === undefined) {
    try {
      text = fs.readFileSync(file, 'utf8');
      texts.set(key, text);
    } catch {
      // not cached yet
    }
  }
  if (text !== undefined) {
    try {
      return revive(JSON.parse(text) as object) as T;
    } catch {
      texts.delete(key);
    }
  }
  const ast = parse();
  try {
    const json = JSON.stringify(ast, replacer);
    texts.set(key, json);
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, json);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only tree just means no cache
  }
  return ast;
}
