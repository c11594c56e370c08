/**
 * Apex regular expressions are Java's (java.util.regex). JavaScript's syntax is close; this translates the common
 * differences and refuses (UnsupportedFeature) the constructs it cannot reproduce faithfully.
 */
import { platformError } from '../core/errors.js';
import { unsupported } from './util.js';

const POSIX: Record<string, string> = {
  lower: 'a-z',
  upper: 'A-Z',
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\x0B\\f\\r',
  xdigit: '0-9a-fA-F',
  ascii: '\\x00-\\x7F',
  graph: '!-~',
  print: ' -~',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
};

const cache = new Map<string, { source: string; flags: string }>();

/** Translates a Java pattern to a JavaScript source and flags (without 'g'). */
export function translateJavaRegex(pattern: string): { source: string; flags: string } {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let flags = '';
  let p = pattern;
  // Leading inline flags, e.g. (?i) or (?is).
  const lead = /^\(\?([imsux]+)\)/.exec(p);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'i' || f === 'm' || f === 's') flags += f;
      else if (f === 'u') continue;
      else unsupported(`regular expression flag (?${f})`);
    }
    p = p.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  let needsUnicode = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined)
        throw platformError(
          'System.StringException',
          `Invalid regex: Unexpected internal error near index ${p.length}`,
        );
      if (n === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
        out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? p.length : end + 1;
        continue;
      }
      if (n === 'A' && !inClass) {
        out += '(?<![\\s\\S])';
        i++;
        continue;
      }
      if ((n === 'z' || n === 'Z') && !inClass) {
        out += n === 'z' ? '(?![\\s\\S])' : '(?=\\n?(?![\\s\\S]))';
        i++;
        continue;
      }
      if (n === 'p' || n === 'P') {
        const m = /^\{(\w+)\}/.exec(p.slice(i + 2));
        if (!m) unsupported(`regular expression \\${n} without {name}`);
        const name = m[1].replace(/^Is/, '');
        const posix = POSIX[name.toLowerCase()];
        if (posix) {
          out += inClass
            ? n === 'p'
              ? posix
              : unsupported('negated POSIX class inside [...]')
            : n === 'p'
              ? `[${posix}]`
              : `[^${posix}]`;
        } else {
          needsUnicode = true;
          out += `\\${n}{${m[1]}}`;
        }
        i += 1 + m[0].length;
        continue;
      }
      if (n === 'h') {
        out += inClass ? ' \\t\\xA0' : '[ \\t\\xA0]';
        i++;
        continue;
      }
      if (n === 'G' || n === 'R' || n === 'X') unsupported(`regular expression \\${n}`);
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[') unsupported('nested character classes in regular expressions');
      else if (c === '&' && p[i + 1] === '&') unsupported('character class intersection (&&) in regular expressions');
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') {
        out += '^';
        i++;
      }
      // A ']' right after '[' or '[^' is a literal in Java.
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && p[i + 1] === '?') {
      const rest = p.slice(i + 2);
      if (rest.startsWith('>')) unsupported('atomic groups (?>...) in regular expressions');
      if (/^[imsux-]+[:)]/.test(rest)) unsupported('inline regular expression flags inside the pattern');
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && p[i + 1] === '+')
      unsupported('possessive quantifiers in regular expressions');
    out += c;
  }
  const res = { source: out, flags: flags + (needsUnicode ? 'u' : '') };
  try {
    new RegExp(res.source, res.flags);
  } catch (e) {
    throw platformError('System.StringException', `Invalid regex: ${(e as Error).message}`);
  }
  cache.set(pattern, res);
  return res;
}

export function javaRegex(pattern: string, extraFlags = ''): RegExp {
  const t = translateJavaRegex(pattern);
  return new RegExp(t.source, t.flags + extraFlags);
}

/** Java's String.split(regex, limit). */
export function javaSplit(input: string, pattern: string, limit = 0): string[] {
  const re = javaRegex(pattern, 'g');
  const parts: string[] = [];
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(input)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      // A zero-width match at the beginning never yields an empty leading element; nor one at the very end.
      if (m.index === 0 || m.index >= input.length) continue;
    }
    if (limit > 0 && parts.length === limit - 1) break;
    parts.push(input.slice(last, m.index));
    last = m.index + m[0].length;
  }
  if (parts.length === 0 && last === 0) return [input];
  parts.push(input.slice(last));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java Matcher.replaceAll replacement syntax: $n / ${name} group references, backslash escapes. */
export function javaReplacement(repl: string): (match: string, ...rest: unknown[]) => string {
  return (...args: unknown[]) => {
    // args: match, g1..gn, offset, input, [groups]
    const last = args[args.length - 1];
    const hasGroups = typeof last === 'object' && last !== null;
    const groupsObj = hasGroups ? (last as Record<string, string | undefined>) : undefined;
    const groupCount = args.length - (hasGroups ? 4 : 3);
    const groups = args.slice(0, groupCount + 1) as (string | undefined)[];
    let out = '';
    for (let i = 0; i < repl.length; i++) {
      const c = repl[i];
      if (c === '\\') {
        i++;
        if (i >= repl.length) throw platformError('System.StringException', 'character to be escaped is missing');
        out += repl[i];
      } else if (c === '$') {
        if (repl[i + 1] === '{') {
          const end = repl.indexOf('}', i);
          const name = repl.slice(i + 2, end);
          if (!groupsObj || !(name in groupsObj))
            throw platformError('System.StringException', `No group with name {${name}}`);
          out += groupsObj[name] ?? '';
          i = end;
          continue;
        }
        let j = i + 1;
        if (j >= repl.length || !/\d/.test(repl[j]))
          throw platformError('System.StringException', 'Illegal group reference');
        let num = Number(repl[j]);
        j++;
        // Java takes more digits while the group number stays valid.
        while (j < repl.length && /\d/.test(repl[j]) && num * 10 + Number(repl[j]) <= groupCount) {
          num = num * 10 + Number(repl[j]);
          j++;
        }
        if (num > groupCount) throw platformError('System.StringException', `No group ${num}`);
        out += groups[num] ?? '';
        i = j - 1;
      } else {
        out += c;
      }
    }
    return out;
  };
}
