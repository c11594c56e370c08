import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectTests, splitList } from '../select.js';
import { summarizeCoverage, coverageGateProblems } from '../coverage.js';

const catalog = [
  { className: 'ATest', methods: ['a1', 'a2'] },
  { className: 'BTest', methods: ['b1'] },
];

test('no selection runs every test class', () => {
  assert.equal(selectTests(catalog).length, 3);
});

test('a bare class name in --tests selects the whole class', () => {
  assert.deepEqual(selectTests(catalog, [], ['btest']), [{ className: 'BTest', methodName: 'b1' }]);
});

test('splitList handles repeated and comma-separated values', () => {
  assert.deepEqual(splitList(['A,B', ' C ', '']), ['A', 'B', 'C']);
});

test('coverage: a class without executable lines counts as covered and does not fail the gate', () => {
  const r = summarizeCoverage([
    { name: 'Iface', lines: [], covered: [] },
    { name: 'X', lines: [1, 2], covered: [1, 2] },
  ]);
  assert.equal(r.coverage.find((c) => c.name === 'Iface')?.coveredPercent, 100);
  assert.deepEqual(coverageGateProblems(r), []);
  assert.equal(r.orgWideCoverage, '100%');
});

test('coverage ignores covered lines that are not executable and lists uncovered lines', () => {
  const r = summarizeCoverage([{ name: 'X', lines: [3, 4, 5, 6], covered: [3, 99] }]);
  assert.equal(r.coverage[0].totalCovered, 1);
  assert.deepEqual(r.coverage[0].uncoveredLines, [4, 5, 6]);
  assert.deepEqual(r.coverage[0].lines, { '3': 1, '4': 0, '5': 0, '6': 0 });
});
