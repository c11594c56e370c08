/**
 * apex:test and apex:run on another SFDX project (--project-dir DIR), with the real local org: a construct the org
 * cannot model fails only the test that reaches it (fail late), the project's other tests run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli-main.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

function peerProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'peer-project-'));
  writeFileSync(
    path.join(dir, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'src', default: true }], sourceApiVersion: '62.0' }),
  );
  const classes = path.join(dir, 'src', 'main', 'classes');
  mkdirSync(classes, { recursive: true });
  writeFileSync(
    path.join(classes, 'PeerThing.cls'),
    [
      'public with sharing class PeerThing {',
      '    public static Integer twice(Integer n) { return n * 2; }',
      '    public static Object search() {',
      "        return [FIND 'x' IN ALL FIELDS]; // SOSL without RETURNING: not modelled",
      '    }',
      '}',
    ].join('\n'),
  );
  writeFileSync(
    path.join(classes, 'PeerThingTest.cls'),
    [
      '@IsTest',
      'private class PeerThingTest {',
      '    @IsTest static void twice() { Assert.areEqual(4, PeerThing.twice(2)); }',
      '    @IsTest static void search() { PeerThing.search(); }',
      '}',
    ].join('\n'),
  );
  return dir;
}

interface JsonReport {
  result: {
    summary: { testsRan: number; passing: number };
    tests: { ApexClass: { Name: string }; MethodName: string; Outcome: string; Message: string | null }[];
  };
}

/** apex:test --project-dir DIR -r json: the report of a run with failures (exit code 1). */
async function runJson(dir: string): Promise<JsonReport> {
  let out = '';
  let err = '';
  const code = await runCli(['--project-dir', dir, '-r', 'json'], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  assert.equal(code, 1, err);
  return JSON.parse(out) as JsonReport;
}

test('apex:test --project-dir runs another project; an unsupported construct fails only the test reaching it', async () => {
  const dir = peerProject();
  try {
    const j = await runJson(dir);
    assert.equal(j.result.summary.testsRan, 2);
    assert.equal(j.result.summary.passing, 1);
    const search = j.result.tests.find((t) => t.MethodName === 'search')!;
    assert.equal(search.Outcome, 'Fail');
    assert.match(search.Message ?? '', /^Unsupported feature: .*\(PeerThing\.cls:4\)$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('apex:test --project-dir names a folder without sfdx-project.json', async () => {
  let err = '';
  const code = await runCli(['--project-dir', tmpdir()], { stdout: () => undefined, stderr: (t) => (err += t) });
  assert.equal(code, 1);
  assert.match(err, /no sfdx-project\.json/);
});

test('apex:run --project-dir loads that project', () => {
  const dir = peerProject();
  try {
    const file = path.join(dir, 'run.apex');
    writeFileSync(file, 'System.debug(PeerThing.twice(21));');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--stack-size=3800', 'scripts/localorg/cli/apex-run.ts', '--project-dir', dir, file],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '42\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a class, test class or trigger that cannot be parsed does not stop the load: only what reaches it fails', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'peer-broken-'));
  try {
    writeFileSync(
      path.join(dir, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'src', default: true }], sourceApiVersion: '62.0' }),
    );
    const classes = path.join(dir, 'src', 'classes');
    const triggers = path.join(dir, 'src', 'triggers');
    mkdirSync(classes, { recursive: true });
    mkdirSync(triggers, { recursive: true });
    const put = (d: string, f: string, lines: string[]) => writeFileSync(path.join(d, f), lines.join('\n'));
    put(classes, 'Broken.cls', [
      'public class Broken {',
      '    public static Integer go() {',
      '        Integer x = ;',
      '        return 1;',
      '    }',
      '}',
    ]);
    put(classes, 'Child.cls', [
      'public class Child extends Broken {',
      '    public static Integer two() { return 2; }',
      '}',
    ]);
    put(classes, 'Uses.cls', [
      'public class Uses {',
      '    public static Integer viaBroken() { return Broken.go(); }',
      '    public static Integer fine() { return 2; }',
      '}',
    ]);
    put(classes, 'UsesTest.cls', [
      '@IsTest',
      'private class UsesTest {',
      '    @IsTest static void fine() { Assert.areEqual(2, Uses.fine()); }',
      '    @IsTest static void broken() { Uses.viaBroken(); }',
      '    @IsTest static void child() { Child.two(); }',
      "    @IsTest static void trigger() { insert new Account(Name = 'x'); }",
      '}',
    ]);
    put(classes, 'BrokenTest.cls', [
      '@IsTest',
      'private class BrokenTest {',
      '    @IsTest static void one() { Integer x = ; }',
      '}',
    ]);
    put(triggers, 'AccountBroken.trigger', [
      'trigger AccountBroken on Account (before insert) {',
      '    Integer x = ;',
      '}',
    ]);
    const j = await runJson(dir);
    const by = new Map(j.result.tests.map((t) => [`${t.ApexClass.Name}.${t.MethodName}`, t]));
    assert.equal(by.get('UsesTest.fine')?.Outcome, 'Pass');
    assert.match(
      by.get('UsesTest.broken')?.Message ?? '',
      /^Unsupported feature: class Broken, which the local org could not load: syntax error: .*\(Broken\.cls:3\)$/,
    );
    assert.match(
      by.get('UsesTest.child')?.Message ?? '',
      /^Unsupported feature: class (Child|Broken), which the local org could not load/,
    );
    assert.match(
      by.get('UsesTest.trigger')?.Message ?? '',
      /^Unsupported feature: trigger AccountBroken, which the local org could not load: .*\(AccountBroken\.trigger:2\)$/,
    );
    assert.equal(by.get('BrokenTest.one')?.Outcome, 'Fail');
    assert.match(
      by.get('BrokenTest.one')?.Message ?? '',
      /^Unsupported feature: class BrokenTest, which the local org could not load/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
