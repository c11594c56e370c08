/**
 * `npm run build:lwc`: turns the TypeScript Lightning Web Components into the JavaScript that deploys.
 *
 * 1. Generates one `paths` entry per component (`c/name` -> `./name/name.ts`) in
 *    force-app/main/setup-tab/lwc/tsconfig.json (TypeScript rejects `c/**` and `baseUrl` + `c/*` does not resolve).
 * 2. Type-checks every component and emits `name.js` next to `name.ts` (target ESNext, standard decorators left
 *    as written: the LWC compiler rejects TypeScript's decorator helpers). Tests, mocks and `.d.ts` are not emitted.
 * 3. Runs the LWC compiler (`@lwc/compiler` transformSync) over every bundle's emitted `.js` and its `.html`/`.css`,
 *    and checks each bundle has its `.js-meta.xml`, and the lightning__dynamicComponent capability where it creates
 *    components dynamically: what `sf project deploy` would refuse or the platform would not run, found offline.
 *
 * Exported for the gate runner: `compileLwc(root)` returns the result instead of exiting.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { lwcDir } from './project-paths.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { transformSync } from '@lwc/compiler';

export interface CompileLwcResult {
  ok: boolean;
  /** Component bundles found (folders with `name/name.ts`). */
  bundles: string[];
  /** `.js` files written by tsc. */
  emitted: number;
  /** Files the LWC compiler checked. */
  checked: number;
  /** Type errors, LWC compile errors and missing files, one line each. */
  errors: string[];
  /** Whether the `paths` in the LWC tsconfig changed. */
  pathsUpdated: boolean;
}

const NOT_BUNDLES = new Set(['types', '__tests__', 'node_modules']);

export { lwcDir };

/** Component folders authored in TypeScript: `lwc/<name>/<name>.ts`. */
export function findBundles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !NOT_BUNDLES.has(name) && !name.startsWith('.'))
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .filter((name) => existsSync(path.join(dir, name, `${name}.ts`)))
    .sort();
}

/** Rewrites `compilerOptions.paths` of the LWC tsconfig when the set of components changed. */
export function writeComponentPaths(dir: string, bundles: string[]): boolean {
  const file = path.join(dir, 'tsconfig.json');
  const text = readFileSync(file, 'utf8');
  const config = JSON.parse(text) as { compilerOptions: { paths?: Record<string, string[]> } };
  const paths: Record<string, string[]> = {};
  for (const name of bundles) paths[`c/${name}`] = [`./${name}/${name}.ts`];
  config.compilerOptions.paths = paths;
  const next = `${JSON.stringify(config, null, 2)}\n`;
  if (next === text) return false;
  writeFileSync(file, next);
  return true;
}

function isEmittable(file: string): boolean {
  const f = file.replace(/\\/g, '/');
  return f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes('/__tests__/') && f.includes('/lwc/');
}

function formatDiagnostic(d: ts.Diagnostic, root: string): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.relative(root, d.file.fileName)}:${line + 1}:${character + 1} TS${d.code} ${message}`;
  }
  return `TS${d.code} ${message}`;
}

/** Type-checks the whole LWC project (tests included) and emits `.js` for the component sources only. */
export function emitComponents(root: string): { emitted: string[]; errors: string[] } {
  const configFile = path.join(lwcDir(root), 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(formatDiagnostic(d, root));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: false,
    outDir: undefined,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: false,
    removeComments: false,
  };
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options,
    configFileParsingDiagnostics: parsed.errors,
  });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => formatDiagnostic(d, root));
  const emitted: string[] = [];
  for (const sourceFile of program.getSourceFiles()) {
    if (!isEmittable(sourceFile.fileName) || sourceFile.fileName.includes('node_modules')) continue;
    const result = program.emit(sourceFile, (fileName, data) => {
      writeFileSync(fileName, data);
      emitted.push(fileName);
    });
    errors.push(...result.diagnostics.map((d) => formatDiagnostic(d, root)));
  }
  return { emitted, errors };
}

/** Whether a component's JavaScript has a dynamic `import()` (comments and strings aside). */
function hasDynamicImport(js: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) found = true;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('component.js', js, ts.ScriptTarget.ESNext, false, ts.ScriptKind.JS));
  return found;
}

/**
 * A bundle that creates components dynamically (`import()` of a module, `<lwc:component lwc:is>`) must declare the
 * lightning__dynamicComponent capability with apiVersion 55.0 or later: LWC Developer Guide, "Dynamically Instantiate
 * Components" (https://developer.salesforce.com/docs/platform/lwc/guide/js-dynamic-components.html).
 */
function checkDynamicComponents(bundleDir: string, name: string, rel: (f: string) => string): string[] {
  const read = (f: string): string =>
    existsSync(path.join(bundleDir, f)) ? readFileSync(path.join(bundleDir, f), 'utf8') : '';
  const templates = readdirSync(bundleDir).filter((f) => f.endsWith('.html'));
  const dynamic = hasDynamicImport(read(`${name}.js`)) || templates.some((f) => /<lwc:component[\s>]/.test(read(f)));
  const meta = read(`${name}.js-meta.xml`);
  if (!dynamic || !meta) return [];
  const capable = /<capability>\s*lightning__dynamicComponent\s*<\/capability>/.test(meta);
  const apiVersion = Number(/<apiVersion>\s*([\d.]+)\s*<\/apiVersion>/.exec(meta)?.[1] ?? 0);
  return capable && apiVersion >= 55
    ? []
    : [
        `${rel(`${name}.js-meta.xml`)}: the component creates components dynamically (import() or <lwc:component>), which needs <capabilities><capability>lightning__dynamicComponent</capability></capabilities> and apiVersion 55.0 or later`,
      ];
}

/** Runs the LWC compiler over one bundle as the platform would at deploy time. */
export function checkBundle(dir: string, name: string): { checked: number; errors: string[] } {
  const bundleDir = path.join(dir, name);
  const errors: string[] = [];
  let checked = 0;
  const rel = (f: string) => path.posix.join('lwc', name, f);
  if (!existsSync(path.join(bundleDir, `${name}.js`))) errors.push(`${rel(`${name}.js`)}: missing (not emitted)`);
  if (!existsSync(path.join(bundleDir, `${name}.js-meta.xml`))) errors.push(`${rel(`${name}.js-meta.xml`)}: missing`);
  errors.push(...checkDynamicComponents(bundleDir, name, rel));
  for (const file of readdirSync(bundleDir).sort()) {
    if (!/\.(js|html|css)$/.test(file)) continue;
    const full = path.join(bundleDir, file);
    if (!statSync(full).isFile()) continue;
    checked++;
    try {
      const out = transformSync(readFileSync(full, 'utf8'), file, {
        name,
        namespace: 'c',
        enableDynamicComponents: true,
      });
      for (const w of out.warnings ?? []) {
        if (w.level !== undefined && w.level <= 1) errors.push(`${rel(file)}: ${w.message}`);
      }
    } catch (err) {
      errors.push(`${rel(file)}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return { checked, errors };
}

export function compileLwc(root: string): CompileLwcResult {
  const dir = lwcDir(root);
  const bundles = findBundles(dir);
  if (bundles.length === 0) {
    return {
      ok: false,
      bundles,
      emitted: 0,
      checked: 0,
      errors: ['no TypeScript components found'],
      pathsUpdated: false,
    };
  }
  const pathsUpdated = writeComponentPaths(dir, bundles);
  const { emitted, errors } = emitComponents(root);
  let checked = 0;
  for (const name of bundles) {
    const r = checkBundle(dir, name);
    checked += r.checked;
    errors.push(...r.errors);
  }
  return { ok: errors.length === 0, bundles, emitted: emitted.length, checked, errors, pathsUpdated };
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const started = Date.now();
  const result = compileLwc(root);
  for (const e of result.errors) console.error(e);
  if (result.pathsUpdated) console.log('updated the component paths in force-app/main/setup-tab/lwc/tsconfig.json');
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `${result.bundles.length} components, ${result.emitted} .js emitted, ${result.checked} files LWC-compiled, ${result.errors.length} errors (${secs}s)`,
  );
  process.exit(result.ok ? 0 : 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
