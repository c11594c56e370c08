/** The conformance suite's own invariants and helpers (no org needed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { discoverPrograms } from '../../conformance/discover.js';
import { lineDiff } from '../../conformance/diff.js';
import { compareOutcome, conformanceDirs } from '../../conformance/run.js';
import { checkResult, loadExpectations, testClassNames } from '../../conformance/test-classes.js';

const programs = discoverPrograms(conformanceDirs.programs);

test('there are at least 80 programs, each with an expected output', () => {
  assert.ok(programs.length >= 80, `${programs.length} programs`);
  for (const p of programs) assert.ok(existsSync(p.file.replace(/\.apex$/, '.out')), `${p.name}.out is missing`);
});

test('every program starts with a comment naming its rule and its source', () => {
  for (const p of programs) {
    const head = p.source.split('\n').slice(0, 12).join('\n');
    assert.match(head, /^\/\/ Rule: /, `${p.name} does not start with "// Rule:"`);
    assert.match(head, /Source: /, `${p.name} cites no source`);
  }
});

test('programs that must fail have an exit code other than 0', () => {
  for (const p of programs) if (p.expectedStderr !== null) assert.notEqual(p.expectedExit, 0, p.name);
});

test('every test class cites its source and expected.json names only existing methods', () => {
  const dir = conformanceDirs.testclasses;
  const classes = testClassNames(dir);
  assert.ok(classes.length >= 5);
  for (const c of classes) assert.match(readFileSync(path.join(dir, `${c}.cls`), 'utf8'), /Source: /, c);
  for (const key of Object.keys(loadExpectations(dir))) {
    const [cls, method] = key.split('.');
    const file = readdirSync(dir).find((f) => f.toLowerCase() === `${cls}.cls`);
    assert.ok(file, `${key}: no class file`);
    assert.match(readFileSync(path.join(dir, file), 'utf8').toLowerCase(), new RegExp(`void ${method}\\(`), key);
  }
});

test('lineDiff marks missing and extra lines', () => {
  assert.deepEqual(lineDiff(['a', 'b', 'c'], ['a', 'x', 'c']), ['  a', '+ x', '- b', '  c']);
  assert.deepEqual(lineDiff([], ['n']), ['+ n']);
});

test('compareOutcome checks stdout, the first stderr line and the exit code', () => {
  const p = {
    name: 't',
    file: 't.apex',
    source: '',
    expectedStdout: ['1'],
    expectedStderr: 'System.X: boom',
    expectedExit: 1,
    afterSource: null,
  };
  assert.deepEqual(compareOutcome(p, { stdout: ['1'], stderrFirstLine: 'System.X: boom', exit: 1 }), []);
  const problems = compareOutcome(p, { stdout: ['2'], stderrFirstLine: 'System.Y: boom', exit: 2 });
  assert.equal(problems.length, 3);
});

test('checkResult compares outcome and message', () => {
  const r = {
    className: 'A',
    methodName: 'm',
    outcome: 'Fail' as const,
    message: 'System.AssertException: Assertion Failed: x',
    stackTrace: null,
    timeMs: 1,
  };
  assert.ok(checkResult('A.m', r, { outcome: 'Fail', message: 'System.AssertException: Assertion Failed: x' }).ok);
  assert.ok(!checkResult('A.m', r, { outcome: 'Pass' }).ok);
  assert.ok(checkResult('A.m', r, { outcome: 'Fail', messageStartsWith: 'System.AssertException' }).ok);
});
