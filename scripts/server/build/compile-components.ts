/**
 * Compiles the TypeScript components with the project's own build (scripts/build/compile-lwc.ts, `npm run
 * build:lwc`), skipping it when no input changed since the last successful compile (hash of the lwc folder's
 * sources and of the compiler script, kept in the git-ignored build folder).
 */
import { createHash } from 'node:crypto';
import { lwcDir } from '../../build/project-paths.js';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileLwc } from '../../build/compile-lwc.js';

export interface CompileResult {
  cached: boolean;
  components: number;
}

function sources(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules') sources(p, out);
    } else if (!name.endsWith('.js') || name.endsWith('.js-meta.xml')) out.push(p);
  }
  return out;
}

/** Hash of what the compile reads: the lwc folder's sources, the compiler script and the lock file. */
function inputsHash(root: string): string {
  const h = createHash('sha256');
  for (const f of [
    ...sources(lwcDir(root)),
    path.join(root, 'scripts', 'build', 'compile-lwc.ts'),
    path.join(root, 'package-lock.json'),
  ]) {
    if (!existsSync(f)) continue;
    h.update(f);
    h.update(readFileSync(f));
  }
  return h.digest('hex');
}

export function compileComponents(root: string, stateDir: string): CompileResult {
  const lwc = lwcDir(root);
  const hash = inputsHash(root);
  const hashFile = path.join(stateDir, 'lwc-inputs.sha256');
  const bundles = readdirSync(lwc).filter((n) => existsSync(path.join(lwc, n, `${n}.ts`)));
  const emitted = bundles.every((n) => existsSync(path.join(lwc, n, `${n}.js`)));
  if (emitted && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash)
    return { cached: true, components: bundles.length };
  const r = compileLwc(root);
  if (!r.ok) throw new Error(`${r.errors.length} error(s); first: ${r.errors[0]}`);
  mkdirSync(stateDir, { recursive: true });
  // compileLwc may rewrite the LWC tsconfig's paths: hash again so the next start sees the settled inputs.
  writeFileSync(hashFile, inputsHash(root));
  return { cached: false, components: r.bundles.length };
}
