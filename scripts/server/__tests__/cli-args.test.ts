import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgError, parseStartArgs } from '../cli-args.js';

test('defaults: port 3000, 30 generic users, the emulator', () => {
  assert.deepEqual(parseStartArgs([], {}), {
    port: 3000,
    users: 30,
    dataDir: null,
    avochatoUrl: null,
    apiOnly: false,
    rebuild: false,
    dev: false,
    sessionMinutes: 120,
  });
});

test('--session-minutes sets the session timeout, within what Setup offers', () => {
  assert.equal(parseStartArgs(['--session-minutes', '15'], {}).sessionMinutes, 15);
  assert.throws(() => parseStartArgs(['--session-minutes', '0'], {}), /1 to 1440/);
  assert.throws(() => parseStartArgs(['--session-minutes', '2000'], {}), /1 to 1440/);
});

test('PORT and AVOCHATO_BASE_URL from the environment; flags win', () => {
  const a = parseStartArgs(['--users', '50000', '--avochato-url=https://www.avochato.com'], {
    PORT: '4000',
    AVOCHATO_BASE_URL: 'http://x',
  });
  assert.equal(a.port, 4000);
  assert.equal(a.users, 50000);
  assert.equal(a.avochatoUrl, 'https://www.avochato.com');
  assert.equal(parseStartArgs(['--port', '5000'], { PORT: '4000' }).port, 5000);
});

test('bad flags are one-line errors', () => {
  assert.throws(() => parseStartArgs(['--nope'], {}), ArgError);
  assert.throws(() => parseStartArgs(['--users'], {}), /needs a value/);
  assert.throws(() => parseStartArgs(['--users', '-1'], {}), /whole number/);
  assert.throws(() => parseStartArgs(['--port', '70000'], {}), /invalid port/);
  assert.throws(() => parseStartArgs(['--avochato-url', 'ftp://x'], {}), /http/);
});
