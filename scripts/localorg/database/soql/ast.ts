/** The SOQL syntax tree produced by parser.ts. Names are kept as written; resolution happens in the executor. */
import type { ApexValue } from '../../core/values.js';

export type AggFn = 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

export type SelectItem =
  | { kind: 'field'; path: string[]; alias?: string }
  | { kind: 'agg'; fn: AggFn; path: string[] | null; alias?: string }
  | { kind: 'sub'; query: Query }
  /** FIELDS(ALL | STANDARD | CUSTOM): expanded against the FROM object when the query runs. */
  | { kind: 'fields'; group: FieldsGroup };

/** FIELDS(STANDARD) is a bounded field set; ALL and CUSTOM are unbounded (SOQL and SOSL Reference, FIELDS()). */
export type FieldsGroup = 'ALL' | 'STANDARD' | 'CUSTOM';

export type ValueExpr =
  | { kind: 'lit'; value: ApexValue; lit: 'string' | 'number' | 'boolean' | 'null' | 'date' | 'datetime' }
  | { kind: 'dateLit'; name: string; n?: number }
  | { kind: 'bind'; text: string }
  | { kind: 'list'; items: ValueExpr[] }
  | { kind: 'sub'; query: Query };

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN' | 'NOT IN' | 'INCLUDES' | 'EXCLUDES';

export type FieldExpr = { kind: 'path'; path: string[] } | { kind: 'agg'; fn: AggFn; path: string[] | null };

export type Cond =
  | { kind: 'and'; items: Cond[] }
  | { kind: 'or'; items: Cond[] }
  | { kind: 'not'; item: Cond }
  | { kind: 'cmp'; left: FieldExpr; op: CmpOp; right: ValueExpr };

export interface OrderItem {
  expr: FieldExpr;
  desc: boolean;
  nullsLast: boolean;
}

export interface Query {
  /** SELECT COUNT() FROM ...: the query returns an Integer. */
  countOnly: boolean;
  select: SelectItem[];
  from: string;
  /** `FROM Account.Contacts` in a child subquery: the parent object named before the relationship. */
  fromQualifier?: string;
  alias?: string;
  where?: Cond;
  with: ('USER_MODE' | 'SYSTEM_MODE' | 'SECURITY_ENFORCED')[];
  groupBy?: string[][];
  having?: Cond;
  orderBy?: OrderItem[];
  limit?: ValueExpr;
  offset?: ValueExpr;
  forUpdate: boolean;
  /** ALL ROWS (Apex only): rows in the recycle bin match too. */
  allRows?: boolean;
}

/** One `RETURNING Object(fields WHERE ... ORDER BY ... LIMIT n OFFSET n)` of a SOSL query. */
export interface SoslReturning {
  object: string;
  /** Field items only; empty when the object is named without a field list (the records then carry their Id). */
  select: SelectItem[];
  where?: Cond;
  orderBy?: OrderItem[];
  limit?: ValueExpr;
  offset?: ValueExpr;
}

/** A SOSL query (SOQL and SOSL Reference, "SOSL Syntax"): FIND term [IN group FIELDS] RETURNING ... [WITH ...] [LIMIT n]. */
export interface SoslQuery {
  /** The search term: a string literal (`'Kan*'` or `{Kan*}`) or a bind. */
  term: ValueExpr;
  scope: 'ALL' | 'NAME' | 'EMAIL' | 'PHONE' | 'SIDEBAR';
  returning: SoslReturning[];
  with: ('USER_MODE' | 'SYSTEM_MODE')[];
  limit?: ValueExpr;
}
