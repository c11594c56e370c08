/**
 * Loads the real local org (scripts/localorg/org.ts, class LocalOrg) with the server's HTTP transport for callouts.
 * The module is imported by path at run time so the server builds and tests even before the org exists.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LocalOrgApi } from '../../localorg/core/org-api.js';
import type { HttpTransport } from '../../localorg/core/runtime.js';

interface LocalOrgModule {
  LocalOrg?: { load(projectDir: string, opts?: { http?: HttpTransport }): LocalOrgApi | Promise<LocalOrgApi> };
}

export async function loadLocalOrg(root: string, http: HttpTransport): Promise<LocalOrgApi> {
  const file = path.join(root, 'scripts', 'localorg', 'org.ts');
  if (!existsSync(file)) throw new Error('scripts/localorg/org.ts (the local org) is not in this checkout yet');
  const mod = (await import(pathToFileURL(file).href)) as LocalOrgModule;
  if (!mod.LocalOrg || typeof mod.LocalOrg.load !== 'function')
    throw new Error('scripts/localorg/org.ts does not export LocalOrg.load');
  return await mod.LocalOrg.load(root, { http });
}
