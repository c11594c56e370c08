/**
 * `npm start -- --data DIR`: keeps the org's data between runs, when the local org can save and load it.
 * The hook expected on the org (not part of LocalOrgApi yet):
 *   saveData(dir: string): void      writes every record (secrets stay ciphertext, as stored)
 *   loadData(dir: string): boolean   reads them back; false when DIR holds no saved org
 * Without it, --data is refused with a one-line reason rather than silently ignored.
 */
import type { LocalOrgApi } from '../../localorg/core/org-api.js';

export interface PersistentOrg {
  saveData(dir: string): void;
  loadData(dir: string): boolean;
}

export function persistence(org: LocalOrgApi): PersistentOrg | null {
  const o = org as LocalOrgApi & Partial<PersistentOrg>;
  return typeof o.saveData === 'function' && typeof o.loadData === 'function' ? (o as unknown as PersistentOrg) : null;
}
