/**
 * esbuild plugin for Lightning Web Components: resolves LWC module specifiers (`c/name` from the project's lwc folder,
 * `lightning/*` from lightning-base-components, `lwc` and `@lwc/synthetic-shadow` from the engine's packages) with
 * @lwc/module-resolver, and compiles each component file (.js, .html, .css) with @lwc/compiler, with the options
 * @lwc/rollup-plugin 8.28 gives it (namespace and name from the folder, implicit template and stylesheet imports,
 * `?scoped=true` stylesheets, static content optimisation, dynamic components). The engine's own files are not
 * components and are bundled as they are (the rollup plugin ran them through the compiler too, which left them
 * unchanged).
 *
 * Each compiled file is kept in `cacheDir` under a hash of its source, path and the compiler's version and options, so
 * a rebuild (one component changed, or the build folder deleted) compiles only what changed. Compiling runs in
 * `compile-pool.ts`'s worker threads when it is given one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { Plugin } from 'esbuild';
import { resolveModule, RegistryType } from '@lwc/module-resolver';
import { transformSync, version as lwcVersion } from '@lwc/compiler';

const require_ = createRequire(import.meta.url);

/** The modules every LWC build resolves besides the app's own (@lwc/rollup-plugin's DEFAULT_MODULES). */
const DEFAULT_MODULES = [{ npm: '@lwc/engine-dom' }, { npm: '@lwc/synthetic-shadow' }, { npm: '@lwc/wire-service' }];
const SCRIPT_EXTENSIONS = new Set(['.js', '.mjs', '.ts']);
const EMPTY = 'lwc-empty';

/** What one file compiles with (the rollup plugin's defaults, which the page was built with before). */
export interface LwcCompileRequest {
  source: string;
  filename: string;
  namespace: string;
  name: string;
  scoped: boolean;
  dev: boolean;
}

export interface LwcCompileResult {
  code: string;
  warnings: string[];
}

/** @lwc/compiler's transformSync with the bundle's options. */
export function compileLwcFile(r: LwcCompileRequest): LwcCompileResult {
  const out = transformSync(r.source, r.filename, {
    name: r.name,
    namespace: r.namespace,
    outputConfig: { sourcemap: r.dev },
    enableDynamicComponents: true,
    scopedStyles: r.scoped,
    enableStaticContentOptimization: true,
  });
  // A development build maps the bundle back to the component's source: esbuild composes an inline input map.
  const map = r.dev && out.map ? Buffer.from(JSON.stringify(out.map)).toString('base64') : null;
  return {
    code: map ? `${out.code}\n//# sourceMappingURL=data:application/json;base64,${map}\n` : out.code,
    warnings: (out.warnings ?? []).map((w) => `${w.message?.replace(/\n/g, ' ')} (${r.filename})`),
  };
}

export interface LwcPluginOptions {
  /** Project root (its package.json is the LWC configuration root of the project's components). */
  root: string;
  /** Folder of the `c` namespace: `c/name` is `<componentsDir>/name/name.js`. */
  componentsDir: string;
  /** Per-file compile cache (absent: none). */
  cacheDir?: string;
  /** Development build: inline source maps from the compiler. */
  dev: boolean;
  /** Compiles a file (defaults to compileLwcFile in this thread; compile-pool.ts spreads it over threads). */
  compile?: (r: LwcCompileRequest) => Promise<LwcCompileResult>;
  /** Compiler warnings are added here. */
  warnings: string[];
}

export interface LwcPluginStats {
  compiled: number;
  fromCache: number;
}

function isUnder(file: string, dir: string): boolean {
  return file.startsWith(dir + path.sep);
}

export function lwcPlugin(opts: LwcPluginOptions): { plugin: Plugin; stats: LwcPluginStats } {
  const stats: LwcPluginStats = { compiled: 0, fromCache: 0 };
  const lbcDir = path.dirname(require_.resolve('lightning-base-components/package.json'));
  const componentsDir = path.resolve(opts.componentsDir);
  /** Files compiled by the LWC compiler: the project's components and lightning-base-components. */
  const isComponentFile = (file: string): boolean => isUnder(file, componentsDir) || isUnder(file, lbcDir);
  const modules = [{ npm: 'lightning-base-components' }, ...DEFAULT_MODULES];
  const resolved = new Map<string, { path: string; suffix?: string } | null>();
  const compile = opts.compile ?? ((r: LwcCompileRequest) => Promise.resolve(compileLwcFile(r)));
  const optionsKey = JSON.stringify({ lwcVersion, dev: opts.dev, v: 1 });

  /** A bare specifier, as @lwc/module-resolver resolves it from the importer's LWC configuration root. */
  function resolveBare(specifier: string, importer: string): { path: string; suffix?: string } | null {
    const fromLbc = isUnder(importer, lbcDir);
    const key = `${fromLbc ? 'lbc' : 'app'}\0${specifier}`;
    if (resolved.has(key)) return resolved.get(key)!;
    let out: { path: string; suffix?: string } | null = null;
    const c = /^c\/([A-Za-z0-9_]+)$/.exec(specifier);
    if (c) {
      const js = path.join(componentsDir, c[1], `${c[1]}.js`);
      if (!existsSync(js)) {
        const ts = path.join(componentsDir, c[1], `${c[1]}.ts`);
        if (existsSync(ts)) throw new Error(`component ${specifier} has no compiled .js: run \`npm run build:lwc\``);
      } else out = { path: js };
    } else {
      try {
        const entry = resolveModule(specifier, fromLbc ? importer : opts.root, { modules, rootDir: opts.root });
        const [ns, name, ...rest] = entry.specifier.split('/');
        const alias = entry.type === RegistryType.alias && !!ns && !!name && rest.length === 0;
        out = { path: entry.entry, ...(alias ? { suffix: `?specifier=${ns}/${name}` } : {}) };
      } catch (err) {
        if ((err as { code?: string }).code !== 'NO_LWC_MODULE_FOUND') throw err;
      }
    }
    resolved.set(key, out);
    return out;
  }

  const plugin: Plugin = {
    name: 'lwc',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        try {
          const r = resolveBare(args.path, args.importer || opts.root);
          return r ?? undefined;
        } catch (err) {
          return { errors: [{ text: (err as Error).message }] };
        }
      });
      // Relative imports inside components: the importer's extension when none is given, an empty template or
      // stylesheet for an implicit one that does not exist (as @lwc/rollup-plugin does).
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!isComponentFile(args.importer)) return undefined;
        const [rel, query] = args.path.split('?', 2);
        const importerExt = path.extname(args.importer);
        let file = path.resolve(path.dirname(args.importer), rel);
        if (!path.extname(file)) file += importerExt;
        const suffix = query ? `?${query}` : undefined;
        if (existsSync(file)) return { path: file, suffix };
        const sameName = (ext: string): boolean =>
          path.dirname(file) === path.dirname(args.importer) &&
          [`${path.basename(args.importer, importerExt)}${ext}`].includes(path.basename(file));
        if (SCRIPT_EXTENSIONS.has(importerExt) && path.extname(file) === '.html' && sameName('.html'))
          return { path: 'html', namespace: EMPTY };
        if (importerExt === '.html' && path.extname(file) === '.css' && (sameName('.css') || sameName('.scoped.css')))
          return { path: 'css', namespace: EMPTY };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: EMPTY }, (args) => ({
        contents: args.path === 'html' ? 'export default void 0;' : 'export default undefined;',
        loader: 'js',
      }));
      build.onLoad({ filter: /\.(js|mjs|ts|html|css)$/ }, async (args) => {
        if (!isComponentFile(args.path)) return undefined;
        const params = new URLSearchParams(args.suffix?.slice(1) ?? '');
        const specifier = params.get('specifier');
        const [namespace, name] = specifier
          ? specifier.split('/')
          : isUnder(args.path, componentsDir)
            ? ['c', path.basename(path.dirname(args.path))]
            : path.dirname(args.path).split(path.sep).slice(-2);
        const source = readFileSync(args.path, 'utf8');
        const request: LwcCompileRequest = {
          source,
          filename: args.path,
          namespace,
          name,
          scoped: params.has('scoped'),
          dev: opts.dev,
        };
        const key = createHash('sha256')
          .update(optionsKey)
          .update(`\0${path.relative(opts.root, args.path)}\0${namespace}/${name}\0${request.scoped}\0`)
          .update(source)
          .digest('hex');
        const cached = opts.cacheDir ? path.join(opts.cacheDir, `${key}.json`) : null;
        let result: LwcCompileResult | null = null;
        if (cached && existsSync(cached)) {
          try {
            result = JSON.parse(readFileSync(cached, 'utf8')) as LwcCompileResult;
            stats.fromCache++;
          } catch {
            result = null; // a torn cache file is compiled again
          }
        }
        if (!result) {
          try {
            result = await compile(request);
          } catch (err) {
            return { errors: [{ text: `${(err as Error).message} (${path.relative(opts.root, args.path)})` }] };
          }
          stats.compiled++;
          if (cached) {
            mkdirSync(opts.cacheDir!, { recursive: true });
            writeFileSync(cached, JSON.stringify(result));
          }
        }
        opts.warnings.push(...result.warnings);
        return { contents: result.code, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
  return { plugin, stats };
}
