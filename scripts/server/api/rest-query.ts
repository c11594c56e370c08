/**
 * Query cursors for the REST and Tooling APIs' query / queryAll: the first batch comes back with
 * `nextRecordsUrl` ("/services/data/vNN.0/query/01gXXXXXXXXXXXXXXX-2000") when more rows match, and GET on that URL
 * gives the next batch. Batches are 2,000 rows by default; the `Sforce-Query-Options: batchSize=N` header asks for
 * 200 to 2,000 (REST API Developer Guide, "Query Options Header"). A cursor belongs to the user who ran the query
 * and expires after 15 minutes without use (the platform's inactivity timeout for query cursors).
 */
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import { apiError } from './api-errors.js';

const DEFAULT_BATCH = 2000;
const CURSOR_IDLE_MS = 15 * 60 * 1000;
const MAX_CURSORS = 50;

interface Cursor {
  userId: string;
  records: unknown[];
  touched: number;
}

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

export function batchSizeOf(header: string | string[] | undefined): number {
  const h = Array.isArray(header) ? header.join(',') : (header ?? '');
  const m = /batchSize\s*=\s*(\d+)/i.exec(h);
  if (!m) return DEFAULT_BATCH;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

/** A query resource's request: the locator of a next page, or the SOQL in `q` (run as `userId`). */
export interface QueryRequest {
  req: http.IncomingMessage;
  url: URL;
  /** The resource's URL, which next pages are under (`/services/data/vNN.0/query`). */
  base: string;
  locator: string | undefined;
  userId: string;
  /** A blank `q` (spaces only) counts as missing; otherwise it is `run`'s to refuse. */
  blankIsMissing: boolean;
}

/**
 * The answer of a query resource: the page a locator names, or the first page of the rows `run` returns for the
 * SOQL (a number for `SELECT COUNT()`); `first` says which, for resources that add fields to a first page.
 */
export function queryAnswer(
  cursors: QueryCursors,
  q: QueryRequest,
  run: (soql: string) => unknown[] | number,
): { page: QueryPage; first: boolean } {
  const batch = batchSizeOf(q.req.headers['sforce-query-options']);
  if (q.locator) {
    const page = cursors.next(q.locator, q.userId, batch, q.base);
    if (!page) throw apiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return { page, first: false };
  }
  const soql = q.url.searchParams.get('q');
  if (!soql || (q.blankIsMissing && !soql.trim()))
    throw apiError(400, 'MALFORMED_QUERY', "A query string has to be specified (the 'q' parameter)");
  const out = run(soql);
  if (typeof out === 'number') return { page: { totalSize: out, done: true, records: [] }, first: true };
  return { page: cursors.first(out, q.userId, batch, q.base), first: true };
}

export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();

  /** The first page; the rest is kept under a locator when it does not fit. */
  first(records: unknown[], userId: string, batch: number, baseUrl: string): QueryPage {
    if (records.length <= batch) return { totalSize: records.length, done: true, records };
    this.sweep();
    const locator = `01g${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12)}`;
    this.cursors.set(locator, { userId, records, touched: Date.now() });
    return {
      totalSize: records.length,
      done: false,
      nextRecordsUrl: `${baseUrl}/${locator}-${batch}`,
      records: records.slice(0, batch),
    };
  }

  /** The page at `locator-offset`, or null when unknown, expired or another user's. */
  next(locatorAndOffset: string, userId: string, batch: number, baseUrl: string): QueryPage | null {
    const m = /^(01g[A-Za-z0-9]+)-(\d+)$/.exec(locatorAndOffset);
    if (!m) return null;
    const c = this.cursors.get(m[1]);
    if (!c || c.userId !== userId || Date.now() - c.touched > CURSOR_IDLE_MS) return null;
    c.touched = Date.now();
    const from = Number(m[2]);
    const page = c.records.slice(from, from + batch);
    const end = from + page.length;
    if (end >= c.records.length) {
      this.cursors.delete(m[1]);
      return { totalSize: c.records.length, done: true, records: page };
    }
    return { totalSize: c.records.length, done: false, nextRecordsUrl: `${baseUrl}/${m[1]}-${end}`, records: page };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, c] of this.cursors) if (now - c.touched > CURSOR_IDLE_MS) this.cursors.delete(k);
    while (this.cursors.size >= MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
  }
}
