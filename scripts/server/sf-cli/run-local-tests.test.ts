/**
 * `sf apex run test --test-level RunLocalTests --code-coverage --wait 10` against `npm start` (runTestsAsynchronous,
 * then the ApexTestRunResult / ApexTestQueueItem / ApexTestResult / ApexCodeCoverageAggregate / ApexOrgWideCoverage
 * queries sf makes). Every test method of the project runs (about 20 s), so this is `npm run test:sf`, not npm test.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, startSfSession, testMethodCount, type SfSession } from '../__tests__/sf-harness.js';

let s: SfSession;
before(async () => {
  s = await startSfSession();
  const login = await s.sf(s.loginArgs);
  assert.equal(login.code, 0, JSON.stringify(login.json));
});
after(async () => {
  await s?.close();
});

/** Every @IsTest method of the project's test classes, counted from the source. */
function allTestMethods(): number {
  const files = (fs.readdirSync(path.join(ROOT, 'force-app'), { recursive: true }) as string[]).filter((f) =>
    f.endsWith('.cls'),
  );
  return files
    .map((f) => path.basename(f, '.cls'))
    .filter((n) =>
      /@IsTest/i.test(
        fs.readFileSync(
          path.join(
            ROOT,
            'force-app',
            files.find((f) => path.basename(f, '.cls') === n)!,
          ),
          'utf8',
        ),
      ),
    )
    .reduce((sum, n) => sum + testMethodCount(n), 0);
}

test('sf apex run test --test-level RunLocalTests --code-coverage --wait 10 runs every test with coverage', async () => {
  const r = await s.sf([
    'apex',
    'run',
    'test',
    '-o',
    'localorg',
    '--test-level',
    'RunLocalTests',
    '--code-coverage',
    '--wait',
    '10',
  ]);
  assert.equal(r.code, 0, JSON.stringify(r.json).slice(0, 3000));
  const result = r.json.result as {
    summary: { outcome: string; testsRan: number; failing: number; testRunId: string; orgWideCoverage: string };
    tests: { Outcome: string; AsyncApexJobId: string; QueueItemId: string; ApexClass: { Id: string } }[];
    coverage: { coverage: { id: string; name: string; totalLines: number; totalCovered: number }[] };
  };
  assert.equal(result.summary.outcome, 'Passed');
  assert.equal(result.summary.failing, 0);
  assert.equal(result.summary.testsRan, allTestMethods());
  assert.match(result.summary.testRunId, /^707/);
  assert.ok(result.tests.every((t) => t.AsyncApexJobId === result.summary.testRunId && /^709/.test(t.QueueItemId)));
  assert.ok(result.tests.every((t) => /^01p/.test(t.ApexClass.Id)));
  const pct = Number(/^(\d+)%$/.exec(result.summary.orgWideCoverage)?.[1]);
  assert.ok(pct >= 75, `org-wide coverage ${result.summary.orgWideCoverage}`);
  const vault = result.coverage.coverage.find((c) => c.name === 'AvochatoCredentialVault');
  assert.ok(vault && /^01p/.test(vault.id) && vault.totalCovered > 0 && vault.totalCovered <= vault.totalLines);
  const trigger = result.coverage.coverage.find((c) => /^01q/.test(c.id));
  assert.ok(trigger, 'triggers are covered too (ApexTrigger rows, 01q)');
});
