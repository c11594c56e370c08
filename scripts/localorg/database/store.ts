/**
 * The in-memory record store. One Table per object; a stored Row is immutable (a write replaces it), so a
 * journal of (table, id, previous row) undoes any suffix of writes: that gives savepoints, rollback of a failed
 * DML statement, and snapshot/restore for the test runner in time proportional to the writes undone.
 * Equality indexes are built lazily per (object, field) on first use and kept current by every write.
 */
import type { ApexValue } from '../core/values.js';
import type { LocalObjectDef } from '../metadata/types.js';
import { indexKey } from './value-utils.js';

export interface Row {
  readonly id: string; // 18 chars
  /** Lower-cased field name -> value. Only stored fields; missing means null. */
  readonly values: ReadonlyMap<string, ApexValue>;
  readonly deleted: boolean;
  /** Insertion order (for stable internal scans). */
  readonly seq: number;
  /** Lookups cleared when this record was deleted (restored by undelete). */
  readonly clearedRefs?: { object: string; id: string; field: string }[];
}

export class Table {
  readonly rows = new Map<string, Row>();
  /** field lower -> index key -> ids */
  readonly indexes = new Map<string, Map<string, Set<string>>>();
  liveCount = 0;
  constructor(readonly def: LocalObjectDef) {}

  index(field: string): Map<string, Set<string>> {
    const f = field.toLowerCase();
    let idx = this.indexes.get(f);
    if (!idx) {
      idx = new Map();
      for (const r of this.rows.values()) addKey(idx, indexKey(r.values.get(f) ?? null), r.id);
      this.indexes.set(f, idx);
    }
    return idx;
  }
}

function addKey(idx: Map<string, Set<string>>, key: string, id: string): void {
  let s = idx.get(key);
  if (!s) idx.set(key, (s = new Set()));
  s.add(id);
}

function removeKey(idx: Map<string, Set<string>>, key: string, id: string): void {
  const s = idx.get(key);
  if (!s) return;
  s.delete(id);
  if (s.size === 0) idx.delete(key);
}

interface JournalEntry {
  table: Table;
  id: string;
  prev: Row | undefined;
}

export class Store {
  private readonly tables = new Map<string, Table>();
  private journal: JournalEntry[] = [];
  /** Bumped by every write; lets callers cache derived data (permissions) cheaply. */
  version = 0;
  seq = 0;
  /** Journal position below which history was discarded (restoring before it is impossible). */
  private floor = 0;
  private floorBase = 0;
  /** Rows written since the last takeChanges(), per table (null: not tracked). For the durable journal (durable.ts). */
  private changed: Map<Table, Set<string>> | null = null;

  table(def: LocalObjectDef): Table {
    const k = def.name.toLowerCase();
    let t = this.tables.get(k);
    if (!t) this.tables.set(k, (t = new Table(def)));
    return t;
  }
  tableIfExists(name: string): Table | undefined {
    return this.tables.get(name.toLowerCase());
  }
  allTables(): Table[] {
    return [...this.tables.values()];
  }

  get(def: LocalObjectDef, id: string): Row | undefined {
    return this.tables.get(def.name.toLowerCase())?.rows.get(id);
  }

  /** Writes (inserts or replaces) a row, journalled and indexed. */
  put(t: Table, row: Row): void {
    const prev = t.rows.get(row.id);
    this.journal.push({ table: t, id: row.id, prev });
    this.apply(t, row.id, prev, row);
  }

  /** Removes a row entirely (not the recycle bin: used to empty the org for a test), journalled. */
  remove(t: Table, id: string): void {
    const prev = t.rows.get(id);
    if (!prev) return;
    this.journal.push({ table: t, id, prev });
    this.apply(t, id, prev, undefined);
  }

  private apply(t: Table, id: string, prev: Row | undefined, next: Row | undefined): void {
    for (const [f, idx] of t.indexes) {
      if (prev) removeKey(idx, indexKey(prev.values.get(f) ?? null), id);
      if (next) addKey(idx, indexKey(next.values.get(f) ?? null), id);
    }
    if (prev && !prev.deleted) t.liveCount--;
    if (next && !next.deleted) t.liveCount++;
    if (next) t.rows.set(id, next);
    else t.rows.delete(id);
    this.version++;
    this.markChanged(t, id);
  }

  /** Starts (or stops) remembering which rows are written; starting forgets what was remembered. */
  trackChanges(on: boolean): void {
    this.changed = on ? new Map() : null;
  }

  /** The rows written (inserted, replaced, removed, undone) since the last call, by table; then forgets them. */
  takeChanges(): Map<Table, Set<string>> {
    const out = this.changed ?? new Map<Table, Set<string>>();
    if (this.changed) this.changed = new Map();
    return out;
  }

  /** Remembers a row as written (a change that could not be saved is put back). */
  markChanged(t: Table, id: string): void {
    if (!this.changed) return;
    let ids = this.changed.get(t);
    if (!ids) this.changed.set(t, (ids = new Set()));
    ids.add(id);
  }

  /** How many rows were written since the last takeChanges(). */
  get changeCount(): number {
    let n = 0;
    for (const ids of this.changed?.values() ?? []) n += ids.size;
    return n;
  }

  /** A position in history (absolute, survives discardHistory). */
  mark(): number {
    return this.floorBase + this.journal.length;
  }

  /** Undoes every write after `mark`. */
  undoTo(mark: number): void {
    const target = mark - this.floorBase;
    if (target < 0) throw new Error('Cannot restore: the history before this point was discarded');
    if (target > this.journal.length)
      throw new Error('Cannot restore: this point was already undone (savepoint or snapshot no longer valid)');
    while (this.journal.length > target) {
      const e = this.journal.pop()!;
      const cur = e.table.rows.get(e.id);
      this.apply(e.table, e.id, cur, e.prev);
    }
  }

  /** Forgets the history before an absolute mark (nothing can be restored to a point before it afterwards). */
  trimBefore(mark: number): void {
    const n = mark - this.floorBase;
    if (n <= 0) return;
    this.journal = this.journal.slice(Math.min(n, this.journal.length));
    this.floorBase += n;
    this.floor = this.floorBase;
  }

  /** Forgets the undo history (long-running servers); earlier marks become invalid. */
  discardHistory(): void {
    this.floorBase += this.journal.length;
    this.journal = [];
    this.floor = this.floorBase;
  }

  get historyLength(): number {
    return this.journal.length;
  }
  get historyFloor(): number {
    return this.floor;
  }
}
