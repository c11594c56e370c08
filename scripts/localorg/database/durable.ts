/**
 * Durable saved data (`npm start -- --data DIR`, LocalOrg.openData): a snapshot plus an append-only journal, so that
 * every committed transaction is on disk before the call that made it returns (and so before an HTTP response).
 *
 *   DIR/org.json         the snapshot (persist.ts, format FORMAT), naming the generation G of its journal
 *   DIR/org.G.journal    one record per committed transaction since that snapshot, appended and fdatasync'ed
 *
 * A record is one line: the CRC-32 of its JSON (8 hex digits), a space, the JSON, a newline. It holds the rows the
 * transaction wrote, as they are after it (a removed row as its Id), the counters (Ids, row order, auto-numbers) and,
 * when the queue changed, the queued jobs (persist.ts saveJob): so queued and scheduled jobs come back and run.
 *
 * Opening DIR reads the snapshot, applies the journal's records to it (as data, before decoding) and loads the result
 * (persist.ts restoreOrgData). A last record cut short by a crash (no newline, or a checksum that fails) is detected,
 * dropped whole and cut off the file; a bad record followed by good ones is corruption and stops the load with one
 * line. Compaction (checkpoint) writes a new snapshot naming generation G+1 (temporary file, fsync, rename, fsync of
 * DIR), starts an empty DIR/org.G+1.journal and deletes the old journal: a crash at any point leaves either the old
 * snapshot with its journal or the new snapshot with an empty (or absent) one. Files are created with mode 0600 (the
 * snapshot and the journal hold the vault key record) in a DIR of mode 0700.
 *
 * Why a journal of our own rather than SQLite (better-sqlite3): the org lives in memory (store.ts) and is saved as
 * the rows it holds; what durability needs is "append the rows a transaction wrote and fsync", which is ~200 lines
 * over the existing encoder, with the same file format for snapshot and replay. better-sqlite3 is a native module:
 * 12.x builds from source or downloads a prebuilt binary at install (this project's machines reach only the npm
 * registry, and `npm ci` must not download), 13.x crashes on Node 20; and mapping every object's rows to tables
 * would duplicate the store, not replace it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import type { ApexClassRef } from '../core/values.js';
import type { QueuedJob } from '../core/runtime.js';
import type { LocalDatabase } from './database.js';
import {
  fsyncDir,
  metadataRowIds,
  readOrgFile,
  restoreOrgData,
  saveJob,
  saveOrgData,
  saveRow,
  type Counters,
  type LoadReport,
  type OrgFile,
  type SaveReport,
  type SavedJob,
  type SavedRow,
  type SavedTable,
} from './persist.js';

/** One committed transaction. */
export interface JournalRecord {
  /** [object, key prefix, the row as it is now] or [object, key prefix, Id] for a row that is gone. */
  rows: [string, string, SavedRow | string][];
  counters: Counters;
  /** Every queued job, when the queue changed in this transaction. */
  jobs?: SavedJob[];
}

/** A change set this large is written as a new snapshot instead of a journal record. */
const SNAPSHOT_OVER_ROWS = 20_000;
/** compactIfDue(): the journal is compacted once it is this large and at least half the snapshot's size. */
const COMPACT_MIN_BYTES = 4 * 1024 * 1024;

export function journalFile(dir: string, generation: number): string {
  return path.join(dir, `org.${generation}.journal`);
}

function frame(rec: JournalRecord): Buffer {
  const json = Buffer.from(JSON.stringify(rec), 'utf8');
  const head = Buffer.from(`${crc32(json).toString(16).padStart(8, '0')} `, 'ascii');
  return Buffer.concat([head, json, Buffer.from('\n')]);
}

export interface ReadJournal {
  records: JournalRecord[];
  /** Bytes of the complete records (where the file is cut when its tail is torn). */
  goodBytes: number;
  /** Bytes of a torn last record that was dropped (0 when none). */
  tornBytes: number;
}

/** Reads a journal file (null when there is none). Throws a one-line Error when a record in its middle is bad. */
export function readJournal(file: string): ReadJournal | null {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const records: JournalRecord[] = [];
  let at = 0;
  while (at < buf.length) {
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0) break; // no newline: the last append was cut short
    const rec = parseLine(buf.subarray(at, nl));
    if (!rec) {
      if (nl + 1 < buf.length)
        throw new Error(`${file} is corrupt: the record at byte ${at} fails its checksum and more records follow`);
      break; // the last record: torn
    }
    records.push(rec);
    at = nl + 1;
  }
  return { records, goodBytes: at, tornBytes: buf.length - at };
}

function parseLine(line: Buffer): JournalRecord | null {
  if (line.length < 10 || line[8] !== 0x20) return null;
  const json = line.subarray(9);
  if (crc32(json).toString(16).padStart(8, '0') !== line.subarray(0, 8).toString('ascii')) return null;
  try {
    const rec = JSON.parse(json.toString('utf8')) as JournalRecord;
    return rec && Array.isArray(rec.rows) && typeof rec.counters === 'object' ? rec : null;
  } catch {
    return null;
  }
}

/** Applies journal records to a snapshot's data (rows upserted or removed in place, counters and jobs replaced). */
export function applyJournal(data: OrgFile, records: readonly JournalRecord[]): void {
  if (!records.length) return;
  const tables = new Map<string, { table: SavedTable; rows: Map<string, SavedRow> }>();
  for (const table of data.tables)
    tables.set(table.object.toLowerCase(), { table, rows: new Map(table.rows.map((r) => [r.id, r])) });
  for (const rec of records) {
    for (const [object, keyPrefix, row] of rec.rows) {
      let t = tables.get(object.toLowerCase());
      if (!t) {
        const table: SavedTable = { object, keyPrefix, rows: [] };
        data.tables.push(table);
        tables.set(object.toLowerCase(), (t = { table, rows: new Map() }));
      }
      // Map order as in the store: a replaced row keeps its place, a removed then re-added one goes last.
      if (typeof row === 'string') t.rows.delete(row);
      else t.rows.set(row.id, row);
    }
    data.counters = rec.counters;
    if (rec.jobs) data.jobs = rec.jobs;
  }
  for (const { table, rows } of tables.values()) table.rows = [...rows.values()];
}

class JournalWriter {
  private constructor(
    readonly file: string,
    private fd: number,
    public bytes: number,
    public records: number,
  ) {}

  /** Opens FILE for appending (created empty, mode 0600, when `fresh` or absent), cut to `keepBytes` if given. */
  static open(file: string, opts: { fresh?: boolean; keepBytes?: number; records?: number } = {}): JournalWriter {
    const fd = fs.openSync(file, opts.fresh ? 'w' : 'a', 0o600);
    try {
      fs.fchmodSync(fd, 0o600);
      if (opts.keepBytes !== undefined && fs.fstatSync(fd).size > opts.keepBytes) {
        fs.ftruncateSync(fd, opts.keepBytes);
        fs.fsyncSync(fd);
      }
      if (opts.fresh) fs.fsyncSync(fd);
      return new JournalWriter(file, fd, fs.fstatSync(fd).size, opts.records ?? 0);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  /** Appends one record and waits until it is on disk. */
  append(rec: JournalRecord): void {
    const buf = frame(rec);
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
    fs.fdatasyncSync(this.fd);
    this.bytes += buf.length;
    this.records++;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

export interface OpenReport {
  /** What the snapshot plus journal loaded; null when DIR holds no saved org yet. */
  load: LoadReport | null;
  /** Journal records replayed over the snapshot. */
  replayed: number;
  /** Bytes of a torn last record that was dropped. */
  tornBytes: number;
  /** A new snapshot was written right after loading (the load changed Ids or dropped data, or an older file). */
  compacted: boolean;
}

export interface DurableOptions {
  /** The org's queue (the queued jobs are saved with each transaction that changes it). */
  jobs: () => readonly QueuedJob[];
  resolveClass?: (name: string) => ApexClassRef | undefined;
}

/** The durable store of one DIR for one database. */
export class DurableData {
  private writer: JournalWriter | null = null;
  private generation = 0;
  private metadataIds = new Set<string>();
  private jobsSig = '';
  private snapshotBytes = 0;

  private constructor(
    readonly dir: string,
    private readonly db: LocalDatabase,
    private readonly opts: DurableOptions,
  ) {}

  /**
   * Loads DIR's snapshot and journal into `db` (replacing its data) and keeps DIR for the commits that follow.
   * When DIR holds no saved org yet, nothing is loaded and nothing is written until the first checkpoint().
   * Throws a one-line Error for a corrupt snapshot or journal (the database is then unchanged).
   */
  static open(db: LocalDatabase, dir: string, opts: DurableOptions): { durable: DurableData; report: OpenReport } {
    const d = new DurableData(dir, db, opts);
    const report: OpenReport = { load: null, replayed: 0, tornBytes: 0, compacted: false };
    const read = readOrgFile(dir);
    if (!read) return { durable: d, report };
    const generation = typeof read.data.journal === 'number' ? read.data.journal : 0;
    const file = journalFile(dir, generation);
    const journal = generation > 0 ? readJournal(file) : null;
    if (journal) {
      applyJournal(read.data, journal.records);
      report.replayed = journal.records.length;
      report.tornBytes = journal.tornBytes;
    }
    report.load = restoreOrgData(db, read, { resolveClass: opts.resolveClass });
    d.generation = generation;
    d.snapshotBytes = read.bytes;
    const l = report.load;
    const changedOnLoad =
      l.remappedIds > 0 || l.droppedRows > 0 || l.abortedJobs > 0 || l.droppedObjects.length || l.droppedFields.length;
    if (generation === 0 || changedOnLoad) {
      // The org in memory is not exactly the snapshot: a journal over that snapshot would not replay to it.
      d.checkpoint();
      report.compacted = true;
    } else {
      d.writer = JournalWriter.open(file, { keepBytes: journal?.goodBytes ?? 0, records: journal?.records.length });
      d.removeOtherJournals();
      d.startTracking();
    }
    return { durable: d, report };
  }

  /** True once DIR holds a snapshot (commits are written from then on). */
  get ready(): boolean {
    return this.writer !== null;
  }

  get journalBytes(): number {
    return this.writer?.bytes ?? 0;
  }

  get journalRecords(): number {
    return this.writer?.records ?? 0;
  }

  /**
   * Writes what changed since the last commit (rows, counters, the queue when it changed) as one journal record and
   * waits until it is on disk. Nothing to write, or no snapshot yet: returns at once.
   */
  commit(): void {
    if (!this.writer) return;
    const store = this.db.store;
    const sig = this.queueSignature();
    if (store.changeCount === 0 && sig === this.jobsSig) return;
    if (store.changeCount > SNAPSHOT_OVER_ROWS) {
      this.checkpoint();
      return;
    }
    const changes = store.takeChanges();
    try {
      const rows: JournalRecord['rows'] = [];
      for (const [table, ids] of changes) {
        for (const id of ids) {
          const row = table.rows.get(id);
          rows.push([
            table.def.name,
            table.def.keyPrefix,
            row ? saveRow(table.def, row, this.metadataIds.has(id)) : id,
          ]);
        }
      }
      const rec: JournalRecord = { rows, counters: this.db.counters() };
      if (sig !== this.jobsSig) rec.jobs = this.savedJobs();
      this.writer.append(rec);
      this.jobsSig = sig;
    } catch (e) {
      // Not written: keep the changes for the next commit (or the next snapshot).
      for (const [table, ids] of changes) for (const id of ids) store.markChanged(table, id);
      throw new Error(`could not write the transaction to ${this.writer.file}: ${(e as Error).message}`);
    }
  }

  /** Writes a new snapshot and starts a new, empty journal (compaction). */
  checkpoint(): SaveReport {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const next = this.generation + 1;
    const saved = saveOrgData(this.db, this.dir, { jobs: this.opts.jobs(), journal: next });
    const writer = JournalWriter.open(journalFile(this.dir, next), { fresh: true });
    fsyncDir(this.dir);
    this.writer?.close();
    this.writer = writer;
    this.generation = next;
    this.snapshotBytes = saved.bytes;
    this.removeOtherJournals();
    this.startTracking();
    return saved;
  }

  /** Compacts when the journal has grown past max(4 MB, half the snapshot); true if it did. */
  compactIfDue(): boolean {
    if (!this.writer || this.journalBytes < Math.max(COMPACT_MIN_BYTES, this.snapshotBytes / 2)) return false;
    this.checkpoint();
    return true;
  }

  close(): void {
    this.writer?.close();
    this.writer = null;
    this.db.store.trackChanges(false);
  }

  private startTracking(): void {
    this.metadataIds = metadataRowIds(this.db);
    this.jobsSig = this.queueSignature();
    this.db.store.trackChanges(true);
  }

  private queued(): QueuedJob[] {
    return this.opts.jobs().filter((j) => j.status === 'Queued');
  }

  private queueSignature(): string {
    return this.queued()
      .map((j) => j.id.value)
      .join(',');
  }

  private savedJobs(): SavedJob[] {
    return this.queued().map(saveJob);
  }

  private removeOtherJournals(): void {
    const keep = path.basename(journalFile(this.dir, this.generation));
    for (const name of fs.readdirSync(this.dir)) {
      if (/^org\.\d+\.journal$/.test(name) && name !== keep) fs.rmSync(path.join(this.dir, name), { force: true });
    }
  }
}
