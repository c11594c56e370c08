/** SOQL tokens. Keywords are identifiers compared case-insensitively by the parser. */
import { platformError } from '../../core/errors.js';

export type Tok =
  | { t: 'id'; v: string; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'num'; v: string; pos: number }
  | { t: 'date'; v: string; pos: number } // 2024-01-31
  | { t: 'datetime'; v: string; pos: number } // 2024-01-31T10:00:00Z
  | { t: 'bind'; v: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'eof'; v: ''; pos: number };

export function queryError(msg: string): Error {
  return platformError('System.QueryException', msg);
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  _: '\\_',
  '%': '\\%',
};

export function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= n) throw queryError(`line 1:${start} no viable alternative at character ''' (unterminated string)`);
        const ch = src[i];
        if (ch === '\\') {
          const e = src[i + 1];
          if (e === undefined || !(e in ESCAPES))
            throw queryError(
              `Invalid string literal '${src.slice(start, i + 2)}'. Illegal character sequence '\\${e ?? ''}' in string literal.`,
            );
          // \_ and \% stay escaped: they only mean something to LIKE.
          s += ESCAPES[e];
          i += 2;
          continue;
        }
        if (ch === "'") {
          i++;
          break;
        }
        s += ch;
        i++;
      }
      out.push({ t: 'str', v: s, pos: start });
      continue;
    }
    if (c === ':') {
      i++;
      while (i < n && /\s/.test(src[i])) i++;
      const bstart = i;
      i = scanBindExpr(src, i);
      if (i === bstart) throw queryError(`unexpected token: ':'`);
      out.push({ t: 'bind', v: src.slice(bstart, i).trim(), pos: start });
      continue;
    }
    const dm = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2}))?/.exec(src.slice(i));
    if (dm && !/[A-Za-z0-9_]/.test(src[i + dm[0].length] ?? '')) {
      out.push({ t: dm[1] ? 'datetime' : 'date', v: dm[0], pos: start });
      i += dm[0].length;
      continue;
    }
    if (/[0-9]/.test(c) || ((c === '-' || c === '+' || c === '.') && /[0-9]/.test(src[i + 1] ?? ''))) {
      i++;
      while (i < n && /[0-9.eE]/.test(src[i])) i++;
      out.push({ t: 'num', v: src.slice(start, i), pos: start });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < n && /[A-Za-z0-9_]/.test(src[i])) i++;
      let word = src.slice(start, i);
      // Date literals with a parameter: LAST_N_DAYS:30
      if (/^(LAST_N_|NEXT_N_|N_)\w+$/i.test(word) && src[i] === ':') {
        const m = /^:\s*(\d+)/.exec(src.slice(i));
        if (m) {
          word += ':' + m[1];
          i += m[0].length;
        }
      }
      out.push({ t: 'id', v: word, pos: start });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '<>') {
      out.push({ t: 'op', v: two === '<>' ? '!=' : two, pos: start });
      i += 2;
      continue;
    }
    if ('=<>(),.'.includes(c)) {
      out.push({ t: 'op', v: c, pos: start });
      i++;
      continue;
    }
    throw queryError(`line 1:${start} no viable alternative at character '${c}'`);
  }
  out.push({ t: 'eof', v: '', pos: n });
  return out;
}

/** The Apex expression after ':' (identifiers, dots, calls and indexes; balanced brackets; strings inside). */
function scanBindExpr(src: string, i: number): number {
  const n = src.length;
  let j = i;
  if (/^new\s/i.test(src.slice(j))) j += 4;
  while (j < n) {
    const c = src[j];
    if (/[A-Za-z0-9_.]/.test(c)) {
      j++;
      continue;
    }
    if (
      c === '(' ||
      c === '[' ||
      c === '{' ||
      (c === '<' && /^[A-Za-z]/.test(src[j + 1] ?? '') && j > i && /new\s/i.test(src.slice(i, j)))
    ) {
      j = skipBalanced(src, j);
      continue;
    }
    break;
  }
  return j;
}

function skipBalanced(src: string, i: number): number {
  const open = src[i];
  const close = open === '(' ? ')' : open === '[' ? ']' : open === '{' ? '}' : '>';
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const c = src[j];
    if (c === "'") {
      j++;
      while (j < src.length && src[j] !== "'") j += src[j] === '\\' ? 2 : 1;
    } else if (c === open) depth++;
    else if (c === close) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return j;
}
