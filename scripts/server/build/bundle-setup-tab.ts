/**
 * Bundles the Setup tab for the local page with rollup + @lwc/rollup-plugin + lightning-base-components
 * (TOOLCHAIN.md, "Rendering components outside Salesforce"). Output goes to a git-ignored build folder
 * (never commit it: it contains lightning-base-components code).
 *
 *   <outDir>/web/*.js           the local platform modules (scripts/server/web/*.ts, transpiled)
 *   <outDir>/modules/c/<name>/  the project's compiled components (.js emitted by `npm run build:lwc`, .html, .css)
 *   <outDir>/entry.js           mounts the tab's root component
 *   <outDir>/assets/setup-tab.js, shell.css
 *
 * The bundle is reused when none of its inputs changed (hash in <outDir>/inputs.sha256).
 */
import { createHash } from 'node:crypto';
import { labelsDir, lwcDir as lwcDirOf } from '../../build/project-paths.js';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { rollup, type RollupLog } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { platformModules } from './platform-modules-plugin.js';
import { readCustomLabels } from './custom-labels.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const WEB_SRC = path.join(here, '..', 'web');

export interface BundleOptions {
  root: string;
  outDir: string;
  /** Root component of the tab, e.g. 'avochatoSetup' (c/avochatoSetup). */
  rootComponent: string;
  /** Development build of the LWC engine (more checks, slower). */
  dev?: boolean;
  /** Rebuild even when the inputs did not change. */
  force?: boolean;
}

export interface BundleResult {
  cached: boolean;
  bundleFile: string;
  bytes: number;
  warnings: string[];
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== '__tests__' && name !== 'node_modules') walk(p, out);
    } else out.push(p);
  }
  return out;
}

function componentFiles(lwcDir: string): string[] {
  return walk(lwcDir).filter((f) => {
    const rel = path.relative(lwcDir, f);
    if (rel.split(path.sep).length !== 2) return false; // <bundle>/<file>
    if (rel.startsWith(`types${path.sep}`)) return false;
    return /\.(js|html|css|svg)$/.test(f) && !f.endsWith('.d.ts');
  });
}

function inputsHash(opts: BundleOptions, lwcDir: string): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ rootComponent: opts.rootComponent, dev: !!opts.dev, v: 3 }));
  const files = [
    ...componentFiles(lwcDir),
    ...walk(WEB_SRC),
    ...walk(here),
    path.join(opts.root, 'package-lock.json'),
    ...walk(labelsDir(opts.root)),
  ];
  for (const f of files) {
    if (!existsSync(f)) continue;
    h.update(f);
    h.update(readFileSync(f));
  }
  return h.digest('hex');
}

function transpileWeb(outWeb: string): void {
  mkdirSync(outWeb, { recursive: true });
  for (const file of readdirSync(WEB_SRC)) {
    const src = path.join(WEB_SRC, file);
    if (file.endsWith('.ts')) {
      const out = ts.transpileModule(readFileSync(src, 'utf8'), {
        fileName: src,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          useDefineForClassFields: true,
        },
      });
      writeFileSync(path.join(outWeb, file.replace(/\.ts$/, '.js')), out.outputText);
    } else {
      copyFileSync(src, path.join(outWeb, file));
    }
  }
}

function copyComponents(lwcDir: string, outModules: string): void {
  for (const f of componentFiles(lwcDir)) {
    const rel = path.relative(lwcDir, f);
    const dest = path.join(outModules, 'c', rel);
    mkdirSync(path.dirname(dest), { recursive: true });
    copyFileSync(f, dest);
  }
}

export async function bundleSetupTab(opts: BundleOptions): Promise<BundleResult> {
  const work = `${opts.outDir}.building-${process.pid}`;
  try {
    return await build(opts, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function build(opts: BundleOptions, work: string): Promise<BundleResult> {
  const lwcDir = lwcDirOf(opts.root);
  const bundleFile = path.join(opts.outDir, 'assets', 'setup-tab.js');
  const hashFile = path.join(opts.outDir, 'inputs.sha256');
  const rootJs = path.join(lwcDir, opts.rootComponent, `${opts.rootComponent}.js`);
  if (!existsSync(rootJs)) {
    throw new Error(
      `component c/${opts.rootComponent} has no compiled .js (${path.relative(opts.root, rootJs)}): run \`npm run build:lwc\``,
    );
  }
  const hash = inputsHash(opts, lwcDir);
  if (!opts.force && existsSync(bundleFile) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) {
    return { cached: true, bundleFile, bytes: statSync(bundleFile).size, warnings: [] };
  }

  // Build in a private folder, then swap it in: two servers starting at once never see a half-written bundle.
  rmSync(work, { recursive: true, force: true });
  const outWeb = path.join(work, 'web');
  const outModules = path.join(work, 'modules');
  transpileWeb(outWeb);
  copyComponents(lwcDir, outModules);
  const tag = `c-${opts.rootComponent.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const entry = path.join(work, 'entry.js');
  writeFileSync(
    entry,
    [
      `import '@lwc/synthetic-shadow';`,
      `import { createElement } from 'lwc';`,
      `import Root from 'c/${opts.rootComponent}';`,
      `import { startShell } from ${JSON.stringify(path.join(outWeb, 'shell.js'))};`,
      `startShell((host) => host.appendChild(createElement(${JSON.stringify(tag)}, { is: Root })));`,
      '',
    ].join('\n'),
  );

  const warnings: string[] = [];
  const unresolved: string[] = [];
  const bundle = await rollup({
    input: entry,
    onLog(level, log: RollupLog) {
      if (log.code === 'UNRESOLVED_IMPORT')
        unresolved.push(`${log.exporter ?? log.message} (from ${path.relative(opts.root, log.id ?? '')})`);
      else if (level === 'warn' && log.code !== 'CIRCULAR_DEPENDENCY' && log.code !== 'THIS_IS_UNDEFINED')
        warnings.push(log.message);
    },
    plugins: [
      platformModules({ webDir: outWeb, labels: readCustomLabels(opts.root) }),
      replace({
        preventAssignment: true,
        values: {
          'import.meta.env.SSR': 'false',
          'process.env.NODE_ENV': JSON.stringify(opts.dev ? 'development' : 'production'),
        },
      }),
      lwc({
        rootDir: outModules,
        modules: [{ dir: outModules }, { npm: 'lightning-base-components' }],
        enableDynamicComponents: true,
        exclude: [`${outWeb}/**`],
      }),
    ],
  });
  if (unresolved.length) {
    await bundle.close();
    rmSync(work, { recursive: true, force: true });
    throw new Error(`unresolved imports in the Setup tab bundle: ${[...new Set(unresolved)].join(', ')}`);
  }
  await bundle.write({
    file: path.join(work, 'assets', 'setup-tab.js'),
    format: 'esm',
    inlineDynamicImports: true,
    sourcemap: !!opts.dev,
  });
  await bundle.close();
  copyFileSync(path.join(outWeb, 'shell.css'), path.join(work, 'assets', 'shell.css'));
  writeFileSync(path.join(work, 'inputs.sha256'), hash);
  rmSync(opts.outDir, { recursive: true, force: true });
  renameSync(work, opts.outDir);
  return { cached: false, bundleFile, bytes: statSync(bundleFile).size, warnings };
}
