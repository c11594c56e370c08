/**
 * A hand-written recursive-descent parser for the SOQL the local org supports. Grammar (SOQL and SOSL Reference, SELECT):
 *   SELECT items FROM object [alias] [WHERE cond] [WITH USER_MODE|SYSTEM_MODE|SECURITY_ENFORCED]
 *   [GROUP BY fields [HAVING cond]] [ORDER BY expr [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]
 *   [FOR UPDATE|VIEW|REFERENCE]
 * AND and OR may not be mixed without parentheses (the platform rejects `a AND b OR c`).
 * FIELDS(ALL|STANDARD|CUSTOM) is a select item of its own (expanded by the executor).
 * Unsupported syntax (TYPEOF, USING SCOPE, toLabel(), date functions, GROUP BY ROLLUP, WITH DATA CATEGORY ...)
 * throws UnsupportedFeature naming it.
 */
import { UnsupportedFeature } from '../../core/errors.js';
import { ApexDate, ApexDatetime, ApexDecimal } from '../../core/values.js';
import type {
  AggFn,
  CmpOp,
  Cond,
  FieldExpr,
  FieldsGroup,
  OrderItem,
  Query,
  SelectItem,
  SoslQuery,
  SoslReturning,
  ValueExpr,
} from './ast.js';
import { lex, queryError, type Tok } from './lexer.js';

const AGG = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const UNSUPPORTED_FUNCS = new Set([
  'TOLABEL',
  'FORMAT',
  'CONVERTCURRENCY',
  'CALENDAR_MONTH',
  'CALENDAR_QUARTER',
  'CALENDAR_YEAR',
  'DAY_IN_MONTH',
  'DAY_IN_WEEK',
  'DAY_IN_YEAR',
  'DAY_ONLY',
  'FISCAL_MONTH',
  'FISCAL_QUARTER',
  'FISCAL_YEAR',
  'HOUR_IN_DAY',
  'WEEK_IN_MONTH',
  'WEEK_IN_YEAR',
  'CONVERTTIMEZONE',
  'GROUPING',
  'DISTANCE',
  'GEOLOCATION',
]);
/** Words that end a clause (cannot be an alias). */
const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'WITH',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FOR',
  'ALL',
  'USING',
  'AND',
  'OR',
  'NOT',
  'ASC',
  'DESC',
  'NULLS',
  'BY',
  'IN',
  'LIKE',
  'INCLUDES',
  'EXCLUDES',
  'TYPEOF',
  'NULL',
  'TRUE',
  'FALSE',
  'UPDATE',
]);

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}

  private peek(k = 0): Tok {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  private next(): Tok {
    return this.toks[this.i++];
  }
  private isKw(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.t === 'id' && t.v.toUpperCase() === word;
  }
  private acceptKw(word: string): boolean {
    if (this.isKw(word)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expectKw(word: string): void {
    if (!this.acceptKw(word)) this.unexpected();
  }
  private isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.t === 'op' && t.v === op;
  }
  private acceptOp(op: string): boolean {
    if (this.isOp(op)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expectOp(op: string): void {
    if (!this.acceptOp(op)) this.unexpected();
  }
  unexpected(): never {
    const t = this.peek();
    if (t.t === 'eof') throw queryError(`unexpected token: <EOF>`);
    throw queryError(`unexpected token: '${t.t === 'str' ? `'${t.v}'` : t.v}'`);
  }

  parseQuery(nested: boolean): Query {
    this.expectKw('SELECT');
    const q: Query = { countOnly: false, select: [], from: '', with: [], forUpdate: false };
    if (this.isKw('COUNT') && this.isOp('(', 1) && this.isOp(')', 2)) {
      this.i += 3;
      q.countOnly = true;
    } else {
      do q.select.push(this.selectItem());
      while (this.acceptOp(','));
    }
    this.expectKw('FROM');
    const from = this.next();
    if (from.t !== 'id') {
      this.i--;
      this.unexpected();
    }
    q.from = from.v;
    // A child relationship subquery may name its parent: `(SELECT LastName FROM Account.Contacts)` (SOQL and SOSL
    // Reference, "FIELDS()": "SELECT Account.Name, (SELECT FIELDS(ALL) FROM Account.Contacts LIMIT 200) FROM
    // Account"). The qualifier is checked against the outer object (or its alias) by the executor.
    if (nested && this.isOp('.') && this.peek(1).t === 'id') {
      this.i++;
      q.fromQualifier = q.from;
      q.from = this.next().v;
    }
    if (this.peek().t === 'id' && !RESERVED.has(this.peek().v.toUpperCase())) q.alias = this.next().v;
    if (this.isKw('USING')) throw new UnsupportedFeature('SOQL USING SCOPE');
    if (this.acceptKw('WHERE')) q.where = this.condition();
    while (this.isKw('WITH')) {
      this.i++;
      const w = this.next();
      const word = w.v.toUpperCase();
      if (word === 'USER_MODE' || word === 'SYSTEM_MODE' || word === 'SECURITY_ENFORCED') q.with.push(word);
      else throw new UnsupportedFeature(`SOQL WITH ${w.v}`);
    }
    if (this.isKw('GROUP') && this.isKw('BY', 1)) {
      this.i += 2;
      if (this.isKw('ROLLUP') || this.isKw('CUBE')) throw new UnsupportedFeature(`SOQL GROUP BY ${this.peek().v}`);
      q.groupBy = [];
      do q.groupBy.push(this.path());
      while (this.acceptOp(','));
      if (this.acceptKw('HAVING')) q.having = this.condition();
    }
    this.orderLimitOffset(q);
    if (this.isKw('FOR')) {
      this.i++;
      const w = this.next().v.toUpperCase();
      if (w === 'UPDATE') q.forUpdate = true;
      else if (w !== 'VIEW' && w !== 'REFERENCE') this.unexpected();
    }
    // SOQL and SOSL Reference, "FOR UPDATE": "You can't use the ORDER BY clause in any SOQL query that uses locking."
    // The platform's exact error is not documented, so the local org refuses the query loudly instead of running it.
    if (q.forUpdate && q.orderBy)
      throw new UnsupportedFeature('SOQL ORDER BY with FOR UPDATE (the platform refuses a locking query that orders)');
    // Apex Developer Guide, "Querying All Records with a SOQL Statement": "SOQL statements can use the ALL ROWS
    // keywords to query all records in an organization, including deleted records and archived activities"; "You
    // can't use the ALL ROWS keywords with the FOR UPDATE keywords."
    if (this.isKw('ALL') && this.isKw('ROWS', 1)) {
      if (q.forUpdate) throw new UnsupportedFeature('SOQL ALL ROWS with FOR UPDATE (the platform refuses it)');
      this.i += 2;
      q.allRows = true;
    }
    if (this.isKw('UPDATE')) throw new UnsupportedFeature(`SOQL UPDATE ${this.peek(1).v}`);
    if (!nested && this.peek().t !== 'eof') this.unexpected();
    return q;
  }

  /**
   * SOSL (SOQL and SOSL Reference, "SOSL Syntax"): FIND {term} | 'term' | :bind [IN ALL|NAME|EMAIL|PHONE|SIDEBAR
   * FIELDS] RETURNING Object[(fields [WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET n])], ... [WITH USER_MODE|SYSTEM_MODE]
   * [LIMIT n]. `term` is given when the caller took a braced term out of the text before lexing.
   */
  parseSearch(term: ValueExpr | null): SoslQuery {
    if (!term) {
      this.expectKw('FIND');
      const t = this.next();
      if (t.t === 'str') term = { kind: 'lit', value: t.v, lit: 'string' };
      else if (t.t === 'bind') term = { kind: 'bind', text: t.v };
      else {
        this.i--;
        this.unexpected();
      }
    }
    const q: SoslQuery = { term, scope: 'ALL', returning: [], with: [] };
    if (this.acceptKw('IN')) {
      const g = this.next().v.toUpperCase();
      if (g !== 'ALL' && g !== 'NAME' && g !== 'EMAIL' && g !== 'PHONE' && g !== 'SIDEBAR') {
        this.i--;
        this.unexpected();
      }
      q.scope = g;
      this.expectKw('FIELDS');
    }
    // Without RETURNING the platform searches every searchable object; which ones and in what order is not modelled.
    if (!this.acceptKw('RETURNING')) throw new UnsupportedFeature('SOSL without RETURNING');
    do q.returning.push(this.returningSpec());
    while (this.acceptOp(','));
    while (this.acceptKw('WITH')) {
      const w = this.next();
      const word = w.v.toUpperCase();
      if (word === 'USER_MODE' || word === 'SYSTEM_MODE') q.with.push(word);
      else throw new UnsupportedFeature(`SOSL WITH ${w.v}`);
    }
    if (this.acceptKw('LIMIT')) q.limit = this.limitValue();
    if (this.isKw('UPDATE')) throw new UnsupportedFeature(`SOSL UPDATE ${this.peek(1).v}`);
    if (this.peek().t !== 'eof') this.unexpected();
    return q;
  }

  private returningSpec(): SoslReturning {
    const o = this.next();
    if (o.t !== 'id') {
      this.i--;
      this.unexpected();
    }
    const spec: SoslReturning = { object: o.v, select: [] };
    if (!this.acceptOp('(')) return spec;
    do {
      const item = this.selectItem();
      if (item.kind !== 'field') throw new UnsupportedFeature('SOSL RETURNING with aggregates, FIELDS() or subqueries');
      spec.select.push(item);
    } while (this.acceptOp(','));
    if (this.acceptKw('WHERE')) spec.where = this.condition();
    if (this.isKw('USING')) throw new UnsupportedFeature('SOSL USING LISTVIEW');
    this.orderLimitOffset(spec);
    this.expectOp(')');
    return spec;
  }

  /** `[ORDER BY ...] [LIMIT n] [OFFSET n]` of a query or of a SOSL RETURNING object. */
  private orderLimitOffset(q: { orderBy?: OrderItem[]; limit?: ValueExpr; offset?: ValueExpr }): void {
    if (this.isKw('ORDER') && this.isKw('BY', 1)) {
      this.i += 2;
      q.orderBy = [];
      do q.orderBy.push(this.orderItem());
      while (this.acceptOp(','));
    }
    if (this.acceptKw('LIMIT')) q.limit = this.limitValue();
    if (this.acceptKw('OFFSET')) q.offset = this.limitValue();
  }

  private limitValue(): ValueExpr {
    const t = this.next();
    if (t.t === 'num' && /^\d+$/.test(t.v)) return { kind: 'lit', value: Number(t.v), lit: 'number' };
    if (t.t === 'bind') return { kind: 'bind', text: t.v };
    this.i--;
    this.unexpected();
  }

  private selectItem(): SelectItem {
    if (this.isOp('(')) {
      this.i++;
      const sub = this.parseQuery(true);
      this.expectOp(')');
      return { kind: 'sub', query: sub };
    }
    if (this.isKw('TYPEOF')) throw new UnsupportedFeature('SOQL TYPEOF');
    const t = this.peek();
    if (t.t === 'id' && this.isOp('(', 1)) {
      const fn = t.v.toUpperCase();
      if (AGG.has(fn)) {
        const e = this.aggregate();
        const alias = this.aliasOpt();
        return { kind: 'agg', fn: e.fn, path: e.path, alias };
      }
      if (fn === 'FIELDS') return this.fieldsItem();
      if (UNSUPPORTED_FUNCS.has(fn)) throw new UnsupportedFeature(`SOQL function ${fn}()`);
      throw queryError(`Unknown function: ${t.v}`);
    }
    const path = this.path();
    const alias = this.aliasOpt();
    if (alias) throw queryError(`unexpected token: '${alias}'`); // aliases are only allowed on aggregates
    return { kind: 'field', path };
  }

  /** `FIELDS(ALL)`, `FIELDS(STANDARD)`, `FIELDS(CUSTOM)` (SOQL and SOSL Reference, FIELDS()). */
  private fieldsItem(): SelectItem {
    this.i += 2;
    const g = this.next();
    const group = g.t === 'id' ? g.v.toUpperCase() : '';
    if (group !== 'ALL' && group !== 'STANDARD' && group !== 'CUSTOM') {
      this.i--;
      this.unexpected();
    }
    this.expectOp(')');
    return { kind: 'fields', group: group as FieldsGroup };
  }

  private aliasOpt(): string | undefined {
    const t = this.peek();
    if (t.t === 'id' && !RESERVED.has(t.v.toUpperCase())) {
      this.i++;
      return t.v;
    }
    return undefined;
  }

  private aggregate(): { fn: AggFn; path: string[] | null } {
    const fn = this.next().v.toUpperCase() as AggFn;
    this.expectOp('(');
    let path: string[] | null = null;
    if (!this.isOp(')')) path = this.path();
    this.expectOp(')');
    if (!path && fn !== 'COUNT') throw queryError(`unexpected token: ')'`);
    return { fn, path };
  }

  private path(): string[] {
    const t = this.next();
    if (t.t !== 'id') {
      this.i--;
      this.unexpected();
    }
    const out = [t.v];
    while (this.isOp('.')) {
      this.i++;
      const p = this.next();
      if (p.t !== 'id') {
        this.i--;
        this.unexpected();
      }
      out.push(p.v);
    }
    return out;
  }

  private orderItem(): OrderItem {
    const expr = this.fieldExpr();
    let desc = false;
    if (this.acceptKw('DESC')) desc = true;
    else this.acceptKw('ASC');
    // "By default, null values are sorted first" (SOQL and SOSL Reference, ORDER BY), for ASC and DESC alike.
    let nullsLast = false;
    if (this.acceptKw('NULLS')) {
      if (this.acceptKw('LAST')) nullsLast = true;
      else this.expectKw('FIRST');
    }
    return { expr, desc, nullsLast };
  }

  private fieldExpr(): FieldExpr {
    const t = this.peek();
    if (t.t === 'id' && this.isOp('(', 1)) {
      const fn = t.v.toUpperCase();
      if (AGG.has(fn)) {
        const a = this.aggregate();
        return { kind: 'agg', fn: a.fn, path: a.path };
      }
      if (UNSUPPORTED_FUNCS.has(fn)) throw new UnsupportedFeature(`SOQL function ${fn}()`);
      throw queryError(`Unknown function: ${t.v}`);
    }
    return { kind: 'path', path: this.path() };
  }

  /** OR-of-ANDs with the platform's rule that AND and OR cannot be mixed at one level without parentheses. */
  private condition(): Cond {
    const first = this.unary();
    if (this.isKw('AND') || this.isKw('OR')) {
      const joiner = this.peek().v.toUpperCase();
      const items = [first];
      while (this.isKw(joiner)) {
        this.i++;
        items.push(this.unary());
      }
      if (this.isKw('AND') || this.isKw('OR')) this.unexpected();
      return joiner === 'AND' ? { kind: 'and', items } : { kind: 'or', items };
    }
    return first;
  }

  private unary(): Cond {
    if (this.acceptKw('NOT')) return { kind: 'not', item: this.unary() };
    if (this.isOp('(')) {
      this.i++;
      const c = this.condition();
      this.expectOp(')');
      return c;
    }
    return this.comparison();
  }

  private comparison(): Cond {
    const left = this.fieldExpr();
    let op: CmpOp;
    const t = this.peek();
    if (t.t === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.i++;
      op = t.v as CmpOp;
    } else if (this.acceptKw('LIKE')) op = 'LIKE';
    else if (this.acceptKw('IN')) op = 'IN';
    else if (this.isKw('NOT') && this.isKw('IN', 1)) {
      this.i += 2;
      op = 'NOT IN';
    } else if (this.acceptKw('INCLUDES')) op = 'INCLUDES';
    else if (this.acceptKw('EXCLUDES')) op = 'EXCLUDES';
    else this.unexpected();
    const right =
      op === 'IN' || op === 'NOT IN' || op === 'INCLUDES' || op === 'EXCLUDES' ? this.listValue() : this.value();
    return { kind: 'cmp', left, op, right };
  }

  private listValue(): ValueExpr {
    if (this.peek().t === 'bind') return { kind: 'bind', text: this.next().v };
    this.expectOp('(');
    if (this.isKw('SELECT')) {
      const q = this.parseQuery(true);
      this.expectOp(')');
      return { kind: 'sub', query: q };
    }
    const items: ValueExpr[] = [];
    do items.push(this.value());
    while (this.acceptOp(','));
    this.expectOp(')');
    return { kind: 'list', items };
  }

  private value(): ValueExpr {
    const t = this.next();
    switch (t.t) {
      case 'str':
        return { kind: 'lit', value: t.v, lit: 'string' };
      case 'num':
        return {
          kind: 'lit',
          value: /^[+-]?\d+$/.test(t.v) && Math.abs(Number(t.v)) < 2 ** 31 ? Number(t.v) : ApexDecimal.of(t.v),
          lit: 'number',
        };
      case 'date': {
        const [y, m, d] = t.v.split('-').map(Number);
        return { kind: 'lit', value: new ApexDate(y, m, d), lit: 'date' };
      }
      case 'datetime': {
        let s = t.v;
        if (/[+-]\d{4}$/.test(s)) s = s.slice(0, -2) + ':' + s.slice(-2);
        return { kind: 'lit', value: new ApexDatetime(Date.parse(s)), lit: 'datetime' };
      }
      case 'bind':
        return { kind: 'bind', text: t.v };
      case 'id': {
        const w = t.v.toUpperCase();
        if (w === 'NULL') return { kind: 'lit', value: null, lit: 'null' };
        if (w === 'TRUE' || w === 'FALSE') return { kind: 'lit', value: w === 'TRUE', lit: 'boolean' };
        const m = /^([A-Z_0-9]+?)(?::(\d+))?$/.exec(w);
        if (m) return { kind: 'dateLit', name: m[1], n: m[2] === undefined ? undefined : Number(m[2]) };
        break;
      }
      default:
        break;
    }
    this.i--;
    this.unexpected();
  }
}

const cache = new Map<string, Query>();

/** Parses SOQL text (cached: the same static query is parsed once). */
export function parseSoql(src: string): Query {
  const hit = cache.get(src);
  if (hit) return hit;
  const p = new Parser(lex(src), src);
  const q = p.parseQuery(false);
  if (cache.size > 5000) cache.clear();
  cache.set(src, q);
  return q;
}

const soslCache = new Map<string, SoslQuery>();

/**
 * Parses SOSL text (cached). A braced term (`FIND {Kan*}`, the form of Search.query strings; a `\}` inside is an
 * escaped brace) is taken out before lexing, since its characters are not SOQL tokens.
 */
export function parseSosl(src: string): SoslQuery {
  const hit = soslCache.get(src);
  if (hit) return hit;
  let term: ValueExpr | null = null;
  let rest = src;
  const m = /^\s*FIND\s*\{/i.exec(src);
  if (m) {
    let i = m[0].length;
    let text = '';
    while (i < src.length && src[i] !== '}') {
      if (src[i] === '\\' && i + 1 < src.length) text += src[i++];
      text += src[i++];
    }
    if (i >= src.length) throw queryError('unexpected token: <EOF> (unterminated search term)');
    term = { kind: 'lit', value: text, lit: 'string' };
    rest = src.slice(i + 1);
  }
  const q = new Parser(lex(rest), rest).parseSearch(term);
  if (soslCache.size > 1000) soslCache.clear();
  soslCache.set(src, q);
  return q;
}
