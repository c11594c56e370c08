/**
 * Loads the real local org (scripts/localorg/org.ts, class LocalOrg) without a static import, so the test
 * runner, the conformance suite and the benchmark type-check and can be unit-tested before org.ts exists.
 *
 * Expected shape (proposed to the interpreter engineer):
 *   LocalOrg.load(projectDir: string, opts?: { extraSourceDirs?: string[] }): LocalOrgApi | Promise<LocalOrgApi>
 * extraSourceDirs are folders laid out like a package directory (classes/, triggers/, objects/, ...) loaded
 * alongside the project's package directories (the conformance suite's support code and test classes).
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LocalOrgApi } from '../core/org-api.js';

export interface LoadOrgOptions {
  extraSourceDirs?: string[];
}

export type OrgLoader = (projectDir: string, opts?: LoadOrgOptions) => Promise<LocalOrgApi>;

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (where sfdx-project.json is). */
export function projectRoot(): string {
  return path.resolve(here, '..', '..', '..');
}

interface LocalOrgClass {
  load(projectDir: string, opts?: LoadOrgOptions): LocalOrgApi | Promise<LocalOrgApi>;
}

/** Thrown when scripts/localorg/org.ts is missing or does not export LocalOrg.load. */
export class OrgUnavailable extends Error {}

export const loadLocalOrg: OrgLoader = async (projectDir, opts) => {
  const file = path.resolve(here, '..', 'org.ts');
  if (!existsSync(file))
    throw new OrgUnavailable('scripts/localorg/org.ts does not exist yet (LocalOrg.load is not available)');
  const mod = (await import(pathToFileURL(file).href)) as {
    LocalOrg?: LocalOrgClass;
    default?: { LocalOrg?: LocalOrgClass };
  };
  const LocalOrg = mod.LocalOrg ?? mod.default?.LocalOrg;
  if (!LocalOrg || typeof LocalOrg.load !== 'function')
    throw new OrgUnavailable('scripts/localorg/org.ts does not export LocalOrg.load');
  return await LocalOrg.load(projectDir, opts);
};
