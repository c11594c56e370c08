/** apex:test CLI: JSON shape, exit codes, selection errors, coverage gate (against a fake LocalOrgApi). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cli-main.js';
import { fakeOrg, type FakeTest } from './fake-org.js';
import type { CoverageInfo } from '../../core/org-api.js';

const lines = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

async function run(argv: string[], tests: FakeTest[], coverage: CoverageInfo[] = []) {
  let out = '';
  let err = '';
  const org = fakeOrg(tests, coverage);
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), loader: async () => org });
  return { code, out, err, org };
}

const passing: FakeTest[] = [
  { className: 'BTest', methodName: 'two' },
  { className: 'ATest', methodName: 'one' },
  { className: 'ATest', methodName: 'three' },
];

test('json report has the sf shape and exit 0 when all pass', async () => {
  const { code, out, err } = await run(['--result-format', 'json'], passing);
  assert.equal(code, 0);
  assert.equal(err, '');
  const j = JSON.parse(out);
  assert.equal(j.status, 0);
  assert.equal(j.result.summary.outcome, 'Passed');
  assert.equal(j.result.summary.testsRan, 3);
  assert.equal(j.result.summary.passing, 3);
  assert.equal(j.result.summary.failing, 0);
  assert.deepEqual(
    j.result.tests.map(
      (t: { ApexClass: { Name: string }; MethodName: string }) => `${t.ApexClass.Name}.${t.MethodName}`,
    ),
    ['ATest.one', 'ATest.three', 'BTest.two'],
  );
  for (const t of j.result.tests) {
    assert.equal(t.Outcome, 'Pass');
    assert.ok('Message' in t && 'StackTrace' in t);
    assert.equal(typeof t.RunTime, 'number');
  }
  assert.equal(j.result.coverage, undefined, 'coverage only with --code-coverage');
});

test('a failing test gives status 1, outcome Failed, exit 1, message and stack trace', async () => {
  const tests: FakeTest[] = [
    ...passing,
    {
      className: 'CTest',
      methodName: 'bad',
      outcome: 'Fail',
      message: 'System.AssertException: Assertion Failed: Expected: 1, Actual: 2',
    },
  ];
  const { code, out } = await run(['-r', 'json'], tests);
  assert.equal(code, 1);
  const j = JSON.parse(out);
  assert.equal(j.status, 1);
  assert.equal(j.result.summary.outcome, 'Failed');
  assert.equal(j.result.summary.failing, 1);
  assert.equal(j.result.summary.passing, 3);
  const bad = j.result.tests.find((t: { MethodName: string }) => t.MethodName === 'bad');
  assert.equal(bad.Outcome, 'Fail');
  assert.equal(bad.Message, 'System.AssertException: Assertion Failed: Expected: 1, Actual: 2');
  assert.equal(bad.StackTrace, 'Class.CTest.bad: line 3, column 1');
});

test('an org error inside a test method fails that method only', async () => {
  const tests: FakeTest[] = [
    ...passing,
    { className: 'CTest', methodName: 'crash', throws: new Error('Unsupported feature: Database.executeBatch') },
  ];
  const { code, out } = await run(['--result-format=json'], tests);
  assert.equal(code, 1);
  const j = JSON.parse(out);
  assert.equal(j.result.summary.testsRan, 4);
  assert.match(
    j.result.tests.find((t: { MethodName: string }) => t.MethodName === 'crash').Message,
    /Unsupported feature/,
  );
});

test('--class-names and --tests select, case-insensitively, without duplicates', async () => {
  const { code, out, org } = await run(['-n', 'atest', '--tests', 'BTest.TWO,ATest.one', '-r', 'json', '-y'], passing);
  assert.equal(code, 0);
  assert.deepEqual(org.ran, ['ATest.one', 'ATest.three', 'BTest.two']);
  assert.equal(JSON.parse(out).result.summary.testsRan, 3);
});

test('unknown class or method: clear error on stderr, nothing on stdout, exit non-zero', async () => {
  const a = await run(['--class-names', 'NoSuchTest'], passing);
  assert.notEqual(a.code, 0);
  assert.equal(a.out, '');
  assert.match(a.err, /No test class named 'NoSuchTest'/);
  const b = await run(['--tests', 'ATest.missing'], passing);
  assert.notEqual(b.code, 0);
  assert.equal(b.out, '');
  assert.match(b.err, /No test method named 'missing' in test class 'ATest'/);
});

test('bad flags are usage errors', async () => {
  for (const argv of [['--bogus'], ['-r', 'xml'], ['--test-level', 'Nope'], ['--class-names']]) {
    const r = await run(argv, passing);
    assert.notEqual(r.code, 0, argv.join(' '));
    assert.equal(r.out, '');
    assert.match(r.err, /^Error: /);
  }
});

test('--code-coverage adds coverage per class and org-wide percent', async () => {
  const coverage: CoverageInfo[] = [
    { name: 'Service', lines: lines(10), covered: lines(9) },
    { name: 'CredTrigger', lines: lines(4), covered: lines(4) },
  ];
  const { code, out } = await run(['-r', 'json', '-c'], passing, coverage);
  assert.equal(code, 0);
  const c = JSON.parse(out).result.coverage;
  assert.deepEqual(
    c.coverage.map((x: { name: string; totalLines: number; totalCovered: number; coveredPercent: number }) => [
      x.name,
      x.totalLines,
      x.totalCovered,
      x.coveredPercent,
    ]),
    [
      ['CredTrigger', 4, 4, 100],
      ['Service', 10, 9, 90],
    ],
  );
  assert.equal(c.summary.orgWideCoverage, '93%');
});

test('--coverage-gate fails under 75% for a class and names it', async () => {
  const coverage: CoverageInfo[] = [
    { name: 'Big', lines: lines(100), covered: lines(100) },
    { name: 'Weak', lines: lines(10), covered: lines(7) },
  ];
  const r = await run(['-r', 'json', '--coverage-gate'], passing, coverage);
  assert.equal(r.code, 1);
  assert.match(r.err, /Weak: 70\.0% \(7\/10 lines\) is under 75%/);
  assert.doesNotMatch(r.err, /Org-wide/);
  assert.equal(JSON.parse(r.out).status, 0, 'the tests themselves passed');
});

test('--coverage-gate fails under 90% org-wide', async () => {
  const coverage: CoverageInfo[] = [
    { name: 'A', lines: lines(10), covered: lines(8) },
    { name: 'B', lines: lines(10), covered: lines(8) },
  ];
  const r = await run(['--coverage-gate', '-c'], passing, coverage);
  assert.equal(r.code, 1);
  assert.match(r.err, /Org-wide coverage 80\.0% \(16\/20 lines\) is under 90%/);
  assert.match(r.out, /=== Apex Code Coverage by Class/);
});

test('human format: summary table, failures with message and stack trace', async () => {
  const tests: FakeTest[] = [
    ...passing,
    {
      className: 'CTest',
      methodName: 'bad',
      outcome: 'Fail',
      message: 'System.NullPointerException: Attempt to de-reference a null object',
    },
  ];
  const { code, out } = await run([], tests);
  assert.equal(code, 1);
  assert.match(
    out,
    /=== Test Failures\nCTest\.bad\n  Message: System\.NullPointerException: Attempt to de-reference a null object\n  Stack Trace: Class\.CTest\.bad: line 3, column 1/,
  );
  assert.match(out, /=== Test Summary/);
  assert.match(out, /Outcome\s+Failed/);
  assert.match(out, /Tests Ran\s+4/);
  assert.match(out, /=== Test Results/);
  assert.match(out, /ATest\.one\s+Pass/);
});

test('--json is accepted like sf and gives the JSON report', async () => {
  const { code, out } = await run(['--json', '--test-level', 'RunLocalTests'], passing);
  assert.equal(code, 0);
  assert.equal(JSON.parse(out).result.summary.outcome, 'Passed');
});

test('the real command prints nothing on stdout for a usage error and exits non-zero', async () => {
  const { spawnSync } = await import('node:child_process');
  const path = await import('node:path');
  const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');
  const r = spawnSync(
    path.join(root, 'node_modules', '.bin', 'tsx'),
    [path.join(root, 'scripts', 'localorg', 'cli', 'apex-test.ts'), '--no-such-flag'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /Unknown flag or argument '--no-such-flag'/);
});

test('console output of the org during the run goes to stderr, not into the report', async () => {
  let out = '';
  let err = '';
  const org = fakeOrg(passing);
  const runTest = org.runTest.bind(org);
  org.runTest = (c: string, m: string) => {
    console.log('noise from the org');
    return runTest(c, m);
  };
  const code = await runCli(['-r', 'json'], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    loader: async () => org,
  });
  assert.equal(code, 0);
  assert.equal(JSON.parse(out).result.summary.testsRan, 3);
  assert.match(err, /noise from the org/);
});
