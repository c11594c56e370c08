/**
 * `npm start -- --data DIR`: the org's data is durable in DIR (LocalOrgApi.openData; LocalOrg: database/durable.ts).
 * DIR/org.json is a snapshot and DIR/org.G.journal holds every transaction committed since, each synced to disk
 * before the call that made it returns, so before its HTTP response. At start the snapshot is loaded and the journal
 * replayed (a torn last record is dropped); a new org is seeded and snapshotted when DIR holds none. The journal is
 * compacted into a new snapshot when it grows large and on exit. The files hold every record, user and assignment,
 * the queued jobs and the package's vault key record (secrets stay ciphertext, but the key to them is in the same
 * files): they are written with mode 0600 in a folder of mode 0700; treat them like database files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalOrgApi } from '../../localorg/core/org-api.js';

/** The snapshot in DIR (persist.ts ORG_FILE). */
export const SAVED_ORG_FILE = 'org.json';

export interface SavedOrgInfo {
  file: string;
  bytes: number;
  ms: number;
  /** Journal records replayed over the snapshot. */
  replayed: number;
  /** Bytes of a torn last journal record that was dropped. */
  tornBytes: number;
  /** Queued (and scheduled) jobs put back in the queue: they run. */
  jobs: number;
}

type DurableOrg = Required<
  Pick<LocalOrgApi, 'openData' | 'commitData' | 'checkpointData' | 'compactDataIfDue' | 'dataJournal'>
>;

function durable(org: LocalOrgApi): DurableOrg {
  if (
    typeof org.openData !== 'function' ||
    typeof org.commitData !== 'function' ||
    typeof org.checkpointData !== 'function' ||
    typeof org.compactDataIfDue !== 'function' ||
    typeof org.dataJournal !== 'function'
  )
    throw new Error('this org cannot keep its data in a folder (LocalOrgApi.openData)');
  return org as unknown as DurableOrg;
}

/**
 * Opens DIR: loads the org saved there (snapshot + journal) and from then on every transaction is journalled; null
 * when DIR holds none yet (call saveNewOrg once the org is seeded). Throws a one-line Error for an unusable file.
 */
export function openSavedOrg(org: LocalOrgApi, dir: string): SavedOrgInfo | null {
  const started = Date.now();
  const r = durable(org).openData(dir);
  if (!r.load) return null;
  const file = path.join(dir, SAVED_ORG_FILE);
  return {
    file,
    bytes: fs.statSync(file).size,
    ms: Date.now() - started,
    replayed: r.replayed,
    tornBytes: r.tornBytes,
    jobs: r.load.jobs.length,
  };
}

/** After seeding a new org (or adding to a loaded one): writes its first snapshot, or journals what was added. */
export function saveNewOrg(org: LocalOrgApi, dir: string, restored: boolean): SavedOrgInfo {
  const started = Date.now();
  const d = durable(org);
  if (restored) d.commitData();
  else d.checkpointData();
  const file = path.join(dir, SAVED_ORG_FILE);
  return { file, bytes: fs.statSync(file).size, ms: Date.now() - started, replayed: 0, tornBytes: 0, jobs: 0 };
}

/** Compacts the journal into a new snapshot when it has grown large (periodic); the snapshot when it did. */
export function compactIfDue(org: LocalOrgApi, dir: string): SavedOrgInfo | null {
  const started = Date.now();
  if (!durable(org).compactDataIfDue()) return null;
  const file = path.join(dir, SAVED_ORG_FILE);
  return { file, bytes: fs.statSync(file).size, ms: Date.now() - started, replayed: 0, tornBytes: 0, jobs: 0 };
}

/** On exit: everything is on disk already; a journal that holds records is compacted so the next start is quicker. */
export function compactOnExit(org: LocalOrgApi, dir: string): SavedOrgInfo | null {
  const started = Date.now();
  const d = durable(org);
  d.commitData();
  const j = d.dataJournal();
  if (!j?.ready || j.records === 0) return null;
  d.checkpointData();
  const file = path.join(dir, SAVED_ORG_FILE);
  return { file, bytes: fs.statSync(file).size, ms: Date.now() - started, replayed: 0, tornBytes: 0, jobs: 0 };
}

/** '12.3 KB', '4.5 MB'. */
export function formatBytes(n: number): string {
  return n < 1e6 ? `${(n / 1e3).toFixed(1)} KB` : `${(n / 1e6).toFixed(1)} MB`;
}
