/**
 * Bundles the Setup tab for the local page with esbuild, the LWC compiler (lwc-esbuild-plugin.ts, on worker threads:
 * compile-pool.ts) and lightning-base-components, plus the local platform modules (platform-modules-plugin.ts).
 * Output goes to a git-ignored build folder (never commit it: it contains lightning-base-components code):
 *
 *   <outDir>/assets/synthetic-shadow.<hash>.js  the synthetic shadow polyfill, run first (AssetManifest.scripts)
 *   <outDir>/assets/setup-tab.<hash>.js         the tab: root component, what the first paint shows, page shell
 *   <outDir>/assets/chunk.<hash>.js             code split off: behind a dynamic import() (loaded when asked for,
 *                                               after first paint), or shared by the tab and such code (the engine)
 *   <outDir>/assets/shell.<hash>.css, each file with .br and .gz copies; assets/manifest.json names them
 *   <outDir>/metafile.json                      esbuild's account of what went into which file
 *
 * The bundle is reused when none of its inputs changed (hash in <outDir>/inputs.sha256); each compiled component file
 * is reused from `cacheDir` when its source did not change. */
import { createHash } from 'node:crypto';
import { labelsDir, lwcDir as lwcDirOf } from '../../build/project-paths.js';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip as gzipCallback } from 'node:zlib';
import { build as esbuild, type BuildResult, type Message, type Plugin as EsbuildPlugin } from 'esbuild';
import { platformModules } from './platform-modules-plugin.js';
import { lwcPlugin, type LwcPluginStats } from './lwc-esbuild-plugin.js';
import { CompilePool } from './compile-pool.js';
import { readCustomLabels } from './custom-labels.js';
import { startTsWorker } from '../ts-worker.js';

const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCallback);
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
  /** Where compiled component files are kept between builds (absent: not kept). */
  cacheDir?: string;
}

/** The content-hashed names of the page's assets (assets/manifest.json), all files in assets/. */
export interface AssetManifest {
  /**
   * The page's module scripts, in the order they must run: the synthetic shadow polyfill, which must patch the DOM
   * before the LWC engine loads (the engine looks for it once, as it loads), then the tab. Separate scripts, because
   * with code splitting esbuild may place the engine in a chunk that runs before the entry's own first import.
   */
  scripts: string[];
  /** The page's stylesheet. */
  styles: string;
  /** Chunks the scripts import statically: the page preloads them beside the scripts. */
  preload: string[];
  /** Every file of the build (scripts, chunks, stylesheet). */
  files: string[];
}

/** Whether NAME is one of the build's content-hashed files (which browsers may keep for a year). */
export function isBuiltAsset(manifest: AssetManifest | null, name: string): boolean {
  return !!manifest && manifest.files.includes(name);
}

export const MANIFEST_FILE = 'manifest.json';

/** Reads <buildDir>/assets/manifest.json; null when the build has none. */
export function readAssetManifest(buildDir: string): AssetManifest | null {
  const file = path.join(buildDir, 'assets', MANIFEST_FILE);
  if (!existsSync(file)) return null;
  const m = JSON.parse(readFileSync(file, 'utf8')) as Partial<AssetManifest>;
  return Array.isArray(m.scripts) && m.styles && Array.isArray(m.files) && Array.isArray(m.preload)
    ? (m as AssetManifest)
    : null;
}

export interface BundleResult {
  /** The scripts' size (entry and chunks), compressed as the server sends them (brotli) and as gzip. */
  brotliBytes: number;
  gzipBytes: number;
  /** The entry and the chunks it preloads, brotli: what the page loads before its first paint. */
  initialBrotliBytes: number;
  /** Component files compiled by this build, and taken from the compile cache (absent for a reused bundle). */
  lwc?: LwcPluginStats;
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
  h.update(JSON.stringify({ rootComponent: opts.rootComponent, dev: !!opts.dev, v: 5 }));
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
  const file = (name: string): string => path.join(opts.outDir, 'assets', name);
  if (!manifest.files.every((name) => existsSync(file(name)))) return null;
  const scripts = manifest.files.filter((name) => name.endsWith('.js'));
  const sum = (names: string[], suffix: string): number =>
    names.reduce((n, name) => n + (existsSync(file(name) + suffix) ? statSync(file(name) + suffix).size : 0), 0);
  return {
    cached: true,
    bundleFile: file(manifest.scripts.at(-1)!),
    bytes: sum(scripts, ''),
    brotliBytes: sum(scripts, '.br'),
    gzipBytes: sum(scripts, '.gz'),
    initialBrotliBytes: sum([...manifest.scripts, ...manifest.preload], '.br'),
    manifest,
    warnings: [],
  };
}

const ENTRY = 'page-entry';

/** The page's entry modules (name -> source), as `page-entry:<name>`. */
function entryPlugin(sources: Record<string, string>, resolveDir: string): EsbuildPlugin {
  return {
    name: ENTRY,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${ENTRY}:`) }, (args) => ({
        path: args.path.slice(ENTRY.length + 1),
        namespace: ENTRY,
      }));
      b.onLoad({ filter: /.*/, namespace: ENTRY }, (args) => ({
        contents: sources[args.path],
        loader: 'js',
        resolveDir,
      }));
    },
  };
}

function esbuildFailure(err: unknown, root: string): Error {
  const errors = (err as { errors?: Message[] }).errors;
  if (!errors?.length) return err instanceof Error ? err : new Error(String(err));
  const where = (m: Message): string =>
    m.location ? ` (${path.relative(root, m.location.file.replace(/^[a-z-]+:/, ''))}:${m.location.line})` : '';
  return new Error(`the Setup tab bundle failed: ${errors.map((m) => `${m.text}${where(m)}`).join('; ')}`);
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
  const assets = path.join(work, 'assets');
  mkdirSync(assets, { recursive: true });
  const tag = `c-${opts.rootComponent.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  // The polyfill first, alone (see AssetManifest.scripts); then the engine, the tab's root component and the shell.
  const entries: Record<string, string> = {
    'synthetic-shadow': `import '@lwc/synthetic-shadow';\n`,
    'setup-tab': [
      `import { createElement } from 'lwc';`,
      `import Root from 'c/${opts.rootComponent}';`,
      `import { startShell } from ${JSON.stringify(path.join(WEB_SRC, 'shell.ts'))};`,
      `startShell((host) => host.appendChild(createElement(${JSON.stringify(tag)}, { is: Root })));`,
      '',
    ].join('\n'),
  };
  const warnings: string[] = [];
  const dev = !!opts.dev;
  // Compiler threads start with the first file the cache does not have.
  let pool: CompilePool | null = null;
  const lwc = lwcPlugin({
    root: opts.root,
    componentsDir: lwcDir,
    cacheDir: opts.cacheDir,
    dev,
    warnings,
    compile: (request) => (pool ??= new CompilePool()).compile(request),
  });
  let result: BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild({
      entryPoints: Object.keys(entries).map((name) => ({ in: `${ENTRY}:${name}`, out: name })),
      plugins: [
        entryPlugin(entries, opts.root),
        platformModules({ webDir: WEB_SRC, labels: readCustomLabels(opts.root) }),
        lwc.plugin,
      ],
      bundle: true,
      // Code behind a dynamic import() (a tab the first paint does not show) goes to its own chunk, loaded when
      // asked for; chunks both need are shared.
      splitting: true,
      format: 'esm',
      outdir: assets,
      write: false,
      metafile: true,
      entryNames: '[name].[hash]',
      chunkNames: 'chunk.[hash]',
      minify: !dev,
      sourcemap: dev ? 'linked' : false,
      target: 'es2022',
      legalComments: 'eof',
      logLevel: 'silent',
      define: {
        'import.meta.env.SSR': 'false',
        'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production'),
      },
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
    });
  } catch (err) {
    throw esbuildFailure(err, opts.root);
  } finally {
    void (pool as CompilePool | null)?.close();
  }
  for (const w of result.warnings) warnings.push(w.text);
  // What went into which file (esbuild's metafile: `npx esbuild --analyze` reads it), beside the assets.
  writeFileSync(path.join(work, 'metafile.json'), JSON.stringify(result.metafile));

  const outputs: [string, Buffer][] = result.outputFiles.map((f) => [path.basename(f.path), Buffer.from(f.contents)]);
  const entryOutputs = Object.keys(entries).map((name) => {
    const out = Object.keys(result.metafile.outputs).find(
      (o) => result.metafile.outputs[o].entryPoint === `${ENTRY}:${name}`,
    );
    if (!out) throw new Error(`the Setup tab bundle has no ${name} script`);
    return out;
  });
  // What the scripts import statically, directly or not: the browser needs it before the tab renders.
  const preload: string[] = [];
  const visit = (out: string): void => {
    for (const i of result.metafile.outputs[out]?.imports ?? []) {
      const name = path.basename(i.path);
      if (i.kind === 'import-statement' && !preload.includes(name)) {
        preload.push(name);
        visit(i.path);
      }
    }
  };
  entryOutputs.forEach(visit);
  const scriptNames = entryOutputs.map((o) => path.basename(o));
  const css = readFileSync(path.join(WEB_SRC, 'shell.css'));
  const cssName = `shell.${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css`;
  outputs.push([cssName, css]);
  const sizes = await writeAssets(assets, outputs);
  const scripts = outputs.map(([n]) => n).filter((n) => n.endsWith('.js'));
  const manifest: AssetManifest = { scripts: scriptNames, styles: cssName, preload, files: outputs.map(([n]) => n) };
  writeFileSync(path.join(assets, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(work, 'inputs.sha256'), hash);
  rmSync(opts.outDir, { recursive: true, force: true });
  renameSync(work, opts.outDir);
  const sum = (names: string[], k: keyof FileSizes): number => names.reduce((n, f) => n + sizes.get(f)![k], 0);
  return {
    cached: false,
    bundleFile: path.join(opts.outDir, 'assets', scriptNames.at(-1)!),
    manifest,
    bytes: sum(scripts, 'bytes'),
    brotliBytes: sum(scripts, 'brotliBytes'),
    gzipBytes: sum(scripts, 'gzipBytes'),
    initialBrotliBytes: sum([...scriptNames, ...preload], 'brotliBytes'),
    lwc: { ...lwc.stats },
    warnings,
  };
}

interface FileSizes {
  bytes: number;
  brotliBytes: number;
  gzipBytes: number;
}

/**
 * Writes the page's assets (content-hashed names: the server lets browsers keep them for a year, a new build is a new
 * name) with a brotli and a gzip copy beside each compressible one (the server picks one by Accept-Encoding),
 * compressed on libuv's threads, all files at once.
 */
async function writeAssets(assets: string, files: [string, Buffer][]): Promise<Map<string, FileSizes>> {
  const sizes = new Map<string, FileSizes>();
  await Promise.all(
    files.map(async ([name, content]) => {
      writeFileSync(path.join(assets, name), content);
      if (name.endsWith('.map')) return;
      const [br, gz] = await Promise.all([
        brotli(content, {
          params: {
            // Quality 9: within a few percent of 11 at a fraction of the time (this runs on a cold start).
            [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
            [zlibConstants.BROTLI_PARAM_SIZE_HINT]: content.length,
            [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
          },
        }),
        gzip(content, { level: 9 }),
      ]);
      writeFileSync(path.join(assets, `${name}.br`), br);
      writeFileSync(path.join(assets, `${name}.gz`), gz);
      sizes.set(name, { bytes: content.length, brotliBytes: br.length, gzipBytes: gz.length });
    }),
  );
  return sizes;
}
