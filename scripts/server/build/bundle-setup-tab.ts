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
import { transform as esbuildTransform } from 'esbuild';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { platformModules } from './platform-modules-plugin.js';
import { readCustomLabels } from './custom-labels.js';
import { startTsWorker } from '../ts-worker.js';

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

/** The content-hashed names of the page's assets (assets/manifest.json): logical name -> file in assets/. */
export type AssetManifest = Record<'setup-tab.js' | 'shell.css', string>;

export const MANIFEST_FILE = 'manifest.json';

/** Reads <buildDir>/assets/manifest.json; null when the build has none. */
export function readAssetManifest(buildDir: string): AssetManifest | null {
  const file = path.join(buildDir, 'assets', MANIFEST_FILE);
  if (!existsSync(file)) return null;
  const m = JSON.parse(readFileSync(file, 'utf8')) as Partial<AssetManifest>;
  return m['setup-tab.js'] && m['shell.css'] ? (m as AssetManifest) : null;
}

export interface BundleResult {
  /** The bundle's size compressed as the server sends it (brotli) and as gzip. */
  brotliBytes: number;
  gzipBytes: number;
  manifest: AssetManifest;
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
  h.update(JSON.stringify({ rootComponent: opts.rootComponent, dev: !!opts.dev, v: 4 }));
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

/**
 * bundleSetupTab in a worker thread (bundle-thread.ts): the caller's thread stays free (npm start loads the org
 * meanwhile). Resolves with the result and the time the bundle took in the worker.
 */
export function bundleSetupTabInWorker(opts: BundleOptions): Promise<BundleResult & { ms: number }> {
  const started = Date.now();
  const reused = opts.force ? null : cachedBundle(opts);
  if (reused) return Promise.resolve({ ...reused, ms: Date.now() - started });
  const worker = startTsWorker(path.join(here, 'bundle-thread.ts'), opts);
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; result?: BundleResult; ms?: number; message?: string }) => {
      void worker.terminate();
      if (m.ok) resolve({ ...m.result!, ms: m.ms ?? 0 });
      else reject(new Error(m.message ?? 'the bundle failed'));
    });
    worker.once('error', (err) => reject(err));
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the bundle's worker stopped with code ${code}`));
    });
  });
}

export async function bundleSetupTab(opts: BundleOptions): Promise<BundleResult> {
  const work = `${opts.outDir}.building-${process.pid}`;
  try {
    return await build(opts, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The bundle in outDir when its inputs did not change (null: it must be built). */
export function cachedBundle(opts: BundleOptions): BundleResult | null {
  const lwcDir = lwcDirOf(opts.root);
  const manifest = readAssetManifest(opts.outDir);
  const hashFile = path.join(opts.outDir, 'inputs.sha256');
  if (!manifest || !existsSync(hashFile) || readFileSync(hashFile, 'utf8') !== inputsHash(opts, lwcDir)) return null;
  const bundleFile = path.join(opts.outDir, 'assets', manifest['setup-tab.js']);
  if (!existsSync(bundleFile)) return null;
  return {
    cached: true,
    bundleFile,
    bytes: statSync(bundleFile).size,
    brotliBytes: sizeIf(`${bundleFile}.br`),
    gzipBytes: sizeIf(`${bundleFile}.gz`),
    manifest,
    warnings: [],
  };
}

async function build(opts: BundleOptions, work: string): Promise<BundleResult> {
  const lwcDir = lwcDirOf(opts.root);
  const rootJs = path.join(lwcDir, opts.rootComponent, `${opts.rootComponent}.js`);
  if (!existsSync(rootJs)) {
    throw new Error(
      `component c/${opts.rootComponent} has no compiled .js (${path.relative(opts.root, rootJs)}): run \`npm run build:lwc\``,
    );
  }
  const hash = inputsHash(opts, lwcDir);
  const reused = opts.force ? null : cachedBundle(opts);
  if (reused) return reused;

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
  const built = await finishAssets(path.join(work, 'assets'), !!opts.dev);
  writeFileSync(path.join(work, 'inputs.sha256'), hash);
  rmSync(opts.outDir, { recursive: true, force: true });
  renameSync(work, opts.outDir);
  return {
    cached: false,
    bundleFile: path.join(opts.outDir, 'assets', built.manifest['setup-tab.js']),
    ...built,
    warnings,
  };
}

function sizeIf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/**
 * The production form of the page's assets: the bundle minified (esbuild; a --dev build stays readable, with its
 * source map), each file renamed with a hash of its content (so the server can let browsers keep it for a year:
 * a new build is a new name), a brotli and a gzip copy beside each (the server picks one by Accept-Encoding), and
 * assets/manifest.json naming them.
 */
async function finishAssets(
  assets: string,
  dev: boolean,
): Promise<{ manifest: AssetManifest; bytes: number; brotliBytes: number; gzipBytes: number }> {
  const js = path.join(assets, 'setup-tab.js');
  let code = readFileSync(js, 'utf8');
  if (!dev) {
    // `export {}` marks the bundle (which imports and exports nothing) as a module: esbuild then keeps function
    // declarations inside blocks block-scoped, as a browser runs a module, instead of hoisting them as in a script
    // (two such `function invariant` in the LWC engine would then clash: "Identifier has already been declared").
    const min = await esbuildTransform(`${code}\nexport {};\n`, {
      loader: 'js',
      format: 'esm',
      minify: true,
      target: 'es2022',
      legalComments: 'eof',
    });
    code = min.code;
  }
  const hashed = (name: string, content: string | Buffer): string => {
    const h = createHash('sha256').update(content).digest('hex').slice(0, 12);
    const ext = path.extname(name);
    return `${path.basename(name, ext)}.${h}${ext}`;
  };
  const jsName = hashed('setup-tab.js', code);
  if (dev && existsSync(`${js}.map`)) {
    renameSync(`${js}.map`, path.join(assets, `${jsName}.map`));
    code = code.replace(/\/\/# sourceMappingURL=setup-tab\.js\.map\s*$/, `//# sourceMappingURL=${jsName}.map\n`);
  }
  rmSync(js);
  const css = readFileSync(path.join(assets, 'shell.css'));
  const cssName = hashed('shell.css', css);
  rmSync(path.join(assets, 'shell.css'));
  const sizes = { bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  for (const [name, content] of [
    [jsName, Buffer.from(code)],
    [cssName, css],
  ] as const) {
    const br = brotliCompressSync(content, {
      params: {
        // Quality 9: within a few percent of 11 at a fraction of the time (this runs on a cold start).
        [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: content.length,
        [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
      },
    });
    const gz = gzipSync(content, { level: 9 });
    writeFileSync(path.join(assets, name), content);
    writeFileSync(path.join(assets, `${name}.br`), br);
    writeFileSync(path.join(assets, `${name}.gz`), gz);
    if (name === jsName) Object.assign(sizes, { bytes: content.length, brotliBytes: br.length, gzipBytes: gz.length });
  }
  const manifest: AssetManifest = { 'setup-tab.js': jsName, 'shell.css': cssName };
  writeFileSync(path.join(assets, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, ...sizes };
}
