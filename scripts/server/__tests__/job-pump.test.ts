import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobPump } from '../org/job-pump.js';
import { FakeOrg } from './fake-org.js';

/** Waits until `cond` holds (timers may run late on a busy machine, so never a fixed sleep). */
async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('jobs enqueued by a call run shortly after it, in a later turn', async () => {
  const org = new FakeOrg();
  const pump = new JobPump(org, { afterCallMs: 30, pollMs: 60_000 });
  org.enqueue();
  pump.kick();
  assert.equal(org.jobsRun, 0, 'not inside the call');
  await until(() => org.jobsRun === 1);
  assert.equal(pump.history.at(-1)?.jobs, 1);
  pump.stop();
});

test('delayed jobs are picked up by the slow poll once due', async () => {
  const org = new FakeOrg();
  const pump = new JobPump(org, { afterCallMs: 10, pollMs: 40 });
  org.enqueue(300);
  assert.equal(pump.drain(), 0, 'not due yet');
  await until(() => org.jobsRun === 1);
  pump.stop();
});

test('a failing run is recorded and does not stop the pump', async () => {
  const org = new FakeOrg();
  let calls = 0;
  org.runQueuedJobs = () => {
    calls++;
    if (calls === 1) throw new Error('boom');
    return 0;
  };
  const errors: unknown[] = [];
  const pump = new JobPump(org, { afterCallMs: 5, pollMs: 60_000, onError: (e) => errors.push(e) });
  pump.kick();
  await until(() => calls === 1);
  pump.kick();
  await until(() => calls === 2);
  assert.equal(errors.length, 1);
  assert.match(pump.history[0].error ?? '', /boom/);
  pump.stop();
});
