/**
 * `npm start -- --data DIR`: the org's data is loaded from DIR/org.json at start (when there) and saved there on exit,
 * through LocalOrgApi.loadData / saveData (LocalOrg: scripts/localorg/database/persist.ts). The file holds every record,
 * user and assignment, the queued jobs and the package's vault key record (secrets stay ciphertext, as stored, but the
 * key to them is in the same file): it is written with mode 0600; treat it like a database file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalOrgApi } from '../../localorg/core/org-api.js';

/** The file in DIR (persist.ts ORG_FILE). */
export const SAVED_ORG_FILE = 'org.json';

export interface SavedOrgInfo {
  file: string;
  bytes: number;
  ms: number;
}

function methods(org: LocalOrgApi): { save: (dir: string) => void; load: (dir: string) => boolean } {
  if (typeof org.saveData !== 'function' || typeof org.loadData !== 'function')
    throw new Error('this org cannot save or load its data (LocalOrgApi.saveData / loadData)');
  return { save: (dir) => org.saveData!(dir), load: (dir) => org.loadData!(dir) };
}

function info(dir: string, started: number): SavedOrgInfo {
  const file = path.join(dir, SAVED_ORG_FILE);
  return { file, bytes: fs.statSync(file).size, ms: Date.now() - started };
}

/** Loads the org saved in DIR; null when DIR holds none yet. Throws a one-line Error for an unusable file. */
export function loadSavedOrg(org: LocalOrgApi, dir: string): SavedOrgInfo | null {
  const started = Date.now();
  return methods(org).load(dir) ? info(dir, started) : null;
}

/** Saves the org in DIR (created if needed). */
export function saveOrg(org: LocalOrgApi, dir: string): SavedOrgInfo {
  const started = Date.now();
  methods(org).save(dir);
  return info(dir, started);
}

/** '12.3 KB', '4.5 MB'. */
export function formatBytes(n: number): string {
  return n < 1e6 ? `${(n / 1e3).toFixed(1)} KB` : `${(n / 1e6).toFixed(1)} MB`;
}
