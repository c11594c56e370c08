/**
 * The LWC build on a throw-away project: component discovery, generated `paths`, tsc emit that keeps standard
 * decorators for the LWC compiler, and the LWC compile check catching what a deployment would refuse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBundle, compileLwc, findBundles, lwcDir, writeComponentPaths } from '../compile-lwc.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const META = `<?xml version="1.0" encoding="UTF-8" ?>
<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>62.0</apiVersion>
    <isExposed>false</isExposed>
</LightningComponentBundle>
`;

function project(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'compile-lwc-'));
  symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const dir = lwcDir(root);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ESNext',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        experimentalDecorators: false,
        skipLibCheck: true,
        types: [],
        paths: {},
      },
      include: ['**/*.ts'],
    }),
  );
  return root;
}

function component(root: string, name: string, files: Record<string, string>): void {
  const dir = path.join(lwcDir(root), name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
}

test('finds TypeScript components and writes one paths entry each, only when they change', () => {
  const root = project();
  try {
    component(root, 'beta', { 'beta.ts': 'export const b = 1;\n' });
    component(root, 'alpha', { 'alpha.ts': 'export const a = 1;\n' });
    component(root, '__tests__', { '__tests__.ts': '' });
    mkdirSync(path.join(lwcDir(root), 'types'));
    const bundles = findBundles(lwcDir(root));
    assert.deepEqual(bundles, ['alpha', 'beta']);
    assert.equal(writeComponentPaths(lwcDir(root), bundles), true);
    const config = JSON.parse(readFileSync(path.join(lwcDir(root), 'tsconfig.json'), 'utf8'));
    assert.deepEqual(config.compilerOptions.paths, {
      'c/alpha': ['./alpha/alpha.ts'],
      'c/beta': ['./beta/beta.ts'],
    });
    assert.equal(writeComponentPaths(lwcDir(root), bundles), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('emits JavaScript the LWC compiler accepts, with decorators left as written', () => {
  const root = project();
  try {
    component(root, 'greeting', {
      'greeting.ts': [
        "import { LightningElement, api } from 'lwc';",
        "import { shout } from 'c/shared';",
        'export default class Greeting extends LightningElement {',
        "  @api name = 'world';",
        '  get text(): string {',
        '    return shout(this.name);',
        '  }',
        '}',
        '',
      ].join('\n'),
      'greeting.html': '<template><p>{text}</p></template>\n',
      'greeting.js-meta.xml': META,
    });
    component(root, 'shared', {
      'shared.ts': 'export function shout(s: string): string {\n  return s.toUpperCase();\n}\n',
      'shared.js-meta.xml': META,
    });
    component(root, 'greeting/__tests__', { 'greeting.test.ts': 'export {};\n' });
    const result = compileLwc(root);
    assert.deepEqual(result.errors, []);
    assert.equal(result.ok, true);
    assert.deepEqual(result.bundles, ['greeting', 'shared']);
    assert.equal(result.emitted, 2);
    const js = readFileSync(path.join(lwcDir(root), 'greeting', 'greeting.js'), 'utf8');
    assert.match(js, /@api\s+name = 'world';/);
    assert.doesNotMatch(js, /__decorate|__esDecorate/);
    assert.equal(existsSync(path.join(lwcDir(root), 'greeting', '__tests__', 'greeting.test.js')), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('reports type errors, missing metadata and templates the LWC compiler rejects', () => {
  const root = project();
  try {
    component(root, 'broken', {
      'broken.ts':
        "import { LightningElement } from 'lwc';\nexport default class Broken extends LightningElement {\n  n: number = 'one';\n}\n",
      'broken.html': '<template><template for:each={items}><p>no key</p></template></template>\n',
    });
    const result = compileLwc(root);
    assert.equal(result.ok, false);
    assert.ok(
      result.errors.some((e) => /TS2322/.test(e)),
      result.errors.join('\n'),
    );
    assert.ok(
      result.errors.some((e) => /broken\.js-meta\.xml: missing/.test(e)),
      result.errors.join('\n'),
    );
    assert.ok(
      result.errors.some((e) => /broken\.html/.test(e)),
      result.errors.join('\n'),
    );
    const direct = checkBundle(lwcDir(root), 'broken');
    assert.ok(direct.checked >= 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a component that creates components dynamically needs the lightning__dynamicComponent capability', () => {
  const root = project();
  try {
    const lazy = [
      "import { LightningElement } from 'lwc';",
      '// import("c/notCounted") in a comment is not a dynamic import',
      'export default class Lazy extends LightningElement {',
      '  ctor: unknown;',
      '  async connectedCallback(): Promise<void> {',
      "    this.ctor = (await import('c/shared')).default;",
      '  }',
      '}',
      '',
    ].join('\n');
    const capable = META.replace(
      '<isExposed>',
      '<capabilities>\n        <capability>lightning__dynamicComponent</capability>\n    </capabilities>\n    <isExposed>',
    );
    component(root, 'shared', {
      'shared.ts': "import { LightningElement } from 'lwc';\nexport default class Shared extends LightningElement {}\n",
      'shared.js-meta.xml': META,
    });
    component(root, 'lazy', { 'lazy.ts': lazy, 'lazy.js-meta.xml': META });
    component(root, 'holder', {
      'holder.ts':
        "import { LightningElement } from 'lwc';\nexport default class Holder extends LightningElement {\n  ctor: unknown;\n}\n",
      'holder.html': '<template><lwc:component lwc:is={ctor}></lwc:component></template>\n',
      'holder.js-meta.xml': capable.replace('62.0', '54.0'),
    });
    component(root, 'plain', {
      'plain.ts':
        "import { LightningElement } from 'lwc';\n// import('c/shared')\nexport default class Plain extends LightningElement {}\n",
      'plain.js-meta.xml': META,
    });
    const needs = /js-meta\.xml: the component creates components dynamically .*lightning__dynamicComponent.*55\.0/;
    const first = compileLwc(root);
    assert.deepEqual(
      first.errors.filter((e) => needs.test(e)).map((e) => e.split(':')[0]),
      ['lwc/holder/holder.js-meta.xml', 'lwc/lazy/lazy.js-meta.xml'],
      first.errors.join('\n'),
    );
    writeFileSync(path.join(lwcDir(root), 'lazy', 'lazy.js-meta.xml'), capable);
    writeFileSync(path.join(lwcDir(root), 'holder', 'holder.js-meta.xml'), capable);
    const second = compileLwc(root);
    assert.deepEqual(second.errors, []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
