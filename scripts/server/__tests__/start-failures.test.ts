import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const start = (args: string[]) =>
  spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(ROOT, 'scripts', 'server', 'start.ts'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PORT: '' },
      timeout: 60_000,
    },
  );

test('a port in use: one line on stderr and exit 1, before any build', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const r = start(['--port', String(port)]);
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr.trim(),
      `npm start: check the port failed: port ${port} is already in use (set PORT or --port to another port)`,
    );
    assert.ok(!/compiled|bundled/.test(r.stdout), 'nothing is built');
  } finally {
    blocker.close();
  }
});

test('an unknown option: one line and exit 1', () => {
  const r = start(['--bogus']);
  assert.equal(r.status, 1);
  assert.match(r.stderr.trim(), /^npm start: unknown option --bogus \(options: .*\)$/);
});
