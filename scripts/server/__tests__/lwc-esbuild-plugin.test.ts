/**
 * The Setup tab's bundler plugins (build/lwc-esbuild-plugin.ts, build/platform-modules-plugin.ts) on small fixture
 * components: LWC module resolution and compilation as the LWC compiler's rollup plugin did it, the per-file compile
 * cache across builds, and clear errors for what cannot be bundled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { lwcPlugin } from '../build/lwc-esbuild-plugin.js';
import { platformModules } from '../build/platform-modules-plugin.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const WEB = path.join(ROOT, 'scripts', 'server', 'web');

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lwc-esbuild-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function bundle(componentsDir: string, entry: string, cacheDir?: string) {
  const warnings: string[] = [];
  const lwc = lwcPlugin({ root: ROOT, componentsDir, cacheDir, dev: false, warnings });
  const result = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [platformModules({ webDir: WEB, labels: new Map([['Greeting', 'Hello']]) }), lwc.plugin],
  });
  return { code: result.outputFiles[0].text, stats: lwc.stats, warnings };
}

const HELLO = {
  'hello/hello.js': `import { LightningElement, api } from 'lwc';\nimport greeting from '@salesforce/label/c.Greeting';\nimport { shout } from './util';\nexport default class Hello extends LightningElement { @api name = 'x'; get text() { return shout(greeting); } }\n`,
  'hello/util.js': `export function shout(s) { return s.toUpperCase() + '!'; }\n`,
  'hello/hello.html': `<template><p class="greeting">{text} {name}</p><c-plain></c-plain></template>\n`,
  'hello/hello.css': `p { color: rgb(1, 2, 3); }\n`,
  // No template and no stylesheet: the compiler's implicit imports get empty modules.
  'plain/plain.js': `import { LightningElement } from 'lwc';\nexport default class Plain extends LightningElement {}\n`,
};

test('components compile with their template, stylesheet, helpers, platform modules and the engine', async () => {
  const dir = fixture(HELLO);
  try {
    const { code, stats } = await bundle(dir, `import Hello from 'c/hello'; export { Hello };`);
    assert.match(code, /rgb\(1, 2, 3\)/, 'the stylesheet is compiled into the bundle');
    assert.match(code, /<p class="greeting/, 'the template is compiled into the bundle');
    assert.match(code, /"Hello"/, 'the custom label is inlined');
    assert.match(code, /registerComponent/, 'components are registered with the engine');
    assert.match(code, /sel: "c-plain"/, 'the child component is bundled without a template of its own');
    assert.match(code, /function createElement/, "'lwc' is the LWC engine");
    assert.equal(stats.fromCache, 0);
    assert.equal(stats.compiled, 5, 'hello.js, util.js, hello.html, hello.css and plain.js are compiled');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second build takes unchanged files from the compile cache and compiles only what changed', async () => {
  const dir = fixture(HELLO);
  const cache = mkdtempSync(path.join(os.tmpdir(), 'lwc-cache-'));
  try {
    const entry = `import Hello from 'c/hello'; export { Hello };`;
    const first = await bundle(dir, entry, cache);
    const second = await bundle(dir, entry, cache);
    assert.deepEqual(second.stats, { compiled: 0, fromCache: first.stats.compiled });
    assert.equal(second.code, first.code, 'the cached build is the same bundle');
    writeFileSync(path.join(dir, 'hello', 'hello.css'), 'p { color: rgb(4, 5, 6); }\n');
    const third = await bundle(dir, entry, cache);
    assert.deepEqual(third.stats, { compiled: 1, fromCache: first.stats.compiled - 1 });
    assert.match(third.code, /rgb\(4, 5, 6\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
});

test('what cannot be bundled fails with the reason', async () => {
  const dir = fixture({
    ...HELLO,
    'typed/typed.ts': `import { LightningElement } from 'lwc';\nexport default class Typed extends LightningElement {}\n`,
    'badlabel/badlabel.js': `import x from '@salesforce/label/c.Nope';\nexport default x;\n`,
    'broken/broken.html': `<template><div lwc:foo={x}></div></template>\n`,
    'broken/broken.js': `import { LightningElement } from 'lwc';\nexport default class Broken extends LightningElement {}\n`,
  });
  try {
    await assert.rejects(bundle(dir, `import 'c/typed';`), /c\/typed has no compiled \.js: run `npm run build:lwc`/);
    await assert.rejects(bundle(dir, `import 'c/badlabel';`), /Custom label "Nope" is not defined/);
    await assert.rejects(bundle(dir, `import 'c/missing';`), /Could not resolve "c\/missing"/);
    await assert.rejects(bundle(dir, `import 'c/broken';`), /LWC1127: Invalid directive "lwc:foo".*broken\.html/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
