/**
 * Tooling SOQL over the Tooling API rows (api/tooling-store.ts), with the queries `sf apex run test` makes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToolingQueryError, ToolingStore } from '../api/tooling-store.js';

function store() {
  const s = new ToolingStore('T');
  const cls = s.insert('ApexClass', { Name: 'Foo_Tests', NamespacePrefix: null });
  const trig = s.insert('ApexTrigger', { Name: 'FooTrigger', TableEnumOrId: 'Account' });
  const job = s.insert('AsyncApexJob', { Status: 'Completed', JobType: 'TestRequest' });
  const item = s.insert('ApexTestQueueItem', { ApexClassId: cls.Id, Status: 'Completed', ParentJobId: job.Id });
  s.insert('ApexTestResult', {
    QueueItemId: item.Id,
    ApexClassId: cls.Id,
    MethodName: 'b',
    Outcome: 'Fail',
    RunTime: 5,
  });
  s.insert('ApexTestResult', {
    QueueItemId: item.Id,
    ApexClassId: cls.Id,
    MethodName: 'a',
    Outcome: 'Pass',
    RunTime: 3,
  });
  s.insert('ApexCodeCoverageAggregate', {
    ApexClassOrTriggerId: trig.Id,
    NumLinesCovered: 3,
    NumLinesUncovered: 1,
    Coverage: { coveredLines: [1, 2, 3], uncoveredLines: [4] },
  });
  return { s, cls, trig, job, item };
}

test('the queries sf apex run test makes answer with nested relationship objects', () => {
  const { s, cls, job, item } = store();
  const items = s.query(
    `SELECT Id, Status, ApexClassId, TestRunResultId FROM ApexTestQueueItem WHERE ParentJobId = '${job.Id}'`,
    '62.0',
  ) as Record<string, unknown>[];
  assert.deepEqual(
    items.map((r) => [r.Id, r.Status, r.ApexClassId, r.TestRunResultId]),
    [[item.Id, 'Completed', cls.Id, null]],
  );
  const results = s.query(
    `SELECT Id, MethodName, Outcome, ApexClass.Id, ApexClass.Name, ApexClass.NamespacePrefix FROM ApexTestResult WHERE QueueItemId IN ('${item.Id}') ORDER BY MethodName`,
    '62.0',
  ) as { MethodName: string; ApexClass: Record<string, unknown> }[];
  assert.deepEqual(
    results.map((r) => r.MethodName),
    ['a', 'b'],
  );
  assert.deepEqual(results[0].ApexClass, {
    attributes: { type: 'ApexClass', url: `/services/data/v62.0/tooling/sobjects/ApexClass/${cls.Id}` },
    Id: cls.Id,
    Name: 'Foo_Tests',
    NamespacePrefix: null,
  });
  const cov = s.query(
    'SELECT ApexClassOrTrigger.Id, ApexClassOrTrigger.Name, NumLinesCovered, NumLinesUncovered, Coverage FROM ApexCodeCoverageAggregate',
    '62.0',
  ) as { ApexClassOrTrigger: { Name: string; attributes: { type: string } }; Coverage: unknown }[];
  assert.equal(cov[0].ApexClassOrTrigger.Name, 'FooTrigger', 'the polymorphic relationship reaches the trigger');
  assert.equal(cov[0].ApexClassOrTrigger.attributes.type, 'ApexTrigger');
  assert.deepEqual(cov[0].Coverage, { coveredLines: [1, 2, 3], uncoveredLines: [4] });
  assert.equal(s.query(`SELECT COUNT() FROM ApexTestResult WHERE Outcome != 'Pass'`, '62.0'), 1);
  assert.equal((s.query(`SELECT Id FROM ApexClass WHERE Name = 'foo_tests' LIMIT 1`, '62.0') as unknown[]).length, 1);
});

test('unknown objects and fields, malformed and unsupported queries are refused with the platform codes', () => {
  const { s } = store();
  const code = (soql: string): string => {
    try {
      s.query(soql, '62.0');
    } catch (e) {
      assert.ok(e instanceof ToolingQueryError);
      return e.errorCode;
    }
    return 'none';
  };
  assert.equal(code('SELECT Id FROM ApexNope'), 'INVALID_TYPE');
  assert.equal(code('SELECT Nope FROM ApexClass'), 'INVALID_FIELD');
  assert.equal(code('SELECT Id, Nope.Name FROM ApexTestResult'), 'INVALID_FIELD');
  assert.equal(code('SELEC Id FROM ApexClass'), 'MALFORMED_QUERY');
  assert.equal(code('SELECT COUNT(Id) FROM ApexClass'), 'UNSUPPORTED_FEATURE');
  assert.equal(code('SELECT Id FROM ApexClass WHERE Id = :x'), 'UNSUPPORTED_FEATURE');
});
