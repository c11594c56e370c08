/**
 * `npm run bench:limits` keeps working: it prints a figure for each limit of each bench and never finds a plaintext
 * secret. The figures themselves are asserted as constants by the Apex tests, not here.
 *
 * Run: node --import tsx --test scripts/bench/__tests__/governor-limits.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

test('bench:limits prints the cost of a 200-credential insert and update, with no secret stored in plaintext', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'bench', 'governor-limits.ts')], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  for (const bench of ['credential-insert-200.apex', 'credential-update-200.apex']) {
    const section = r.stdout.slice(r.stdout.indexOf(bench));
    assert.ok(r.stdout.includes(bench), `${bench} missing:\n${r.stdout}`);
    for (const figure of ['records', 'soqlQueries', 'dmlStatements', 'dmlRows', 'queueableJobs'])
      assert.match(section, new RegExp(`^\\s+${figure}\\s+\\d+$`, 'm'), `${bench}: ${figure}`);
    assert.match(section, /^\s+records\s+200$/m);
    assert.match(section, /^\s+plaintextSecretsStored\s+0$/m);
  }
});
