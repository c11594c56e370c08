/**
 * `npm run bench:durability`: what `npm start -- --data DIR` keeps and what it costs. Prints figures, asserts nothing
 * about speed; exits 1 only when the server fails.
 *
 *   commits/s     sequential REST pushes of one credential each (one committed transaction per request, answered
 *                 200) against a server with --data, and the median request time
 *   recovery      start-up with --data DIR holding a --recovery-users org (default 50,000): the "load the saved org"
 *                 step (snapshot read + journal replay + decode) after a clean stop, and after a kill -9 that left a
 *                 journal of --pushes records
 *   kill -9 loop  --rounds times: start, push --pushes credentials (each answered 200), SIGKILL right after the last
 *                 answer, start again and count the pushed credentials that are there
 *
 * Usage: npm run bench:durability -- [--commits 200] [--rounds 5] [--pushes 20] [--recovery-users 50000] [--json]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { requestClientCredentialsToken, startServer, type RunningServer } from '../e2e/server-process.js';
import { median, numberArg as arg } from './figures.js';

const run = Date.now().toString(36).toUpperCase();
const PUSH_USERS = 20;
const CREDENTIALS = '/services/apexrest/avochato/v1/credentials';

interface Client {
  push(authId: string, username: string): Promise<number>;
  authIds(): Promise<Set<string>>;
}

async function client(server: RunningServer): Promise<Client> {
  const t = await requestClientCredentialsToken(server);
  if (t.status !== 200) throw new Error(`token request answered ${t.status}`);
  const { access_token: token } = (await t.json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  return {
    async push(authId, username) {
      const r = await fetch(`${server.baseUrl}${CREDENTIALS}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          credentials: [
            { authId, authSecret: `bench-secret-${authId}`, inbox: authId.toLowerCase(), user: { username } },
          ],
        }),
      });
      await r.arrayBuffer();
      return r.status;
    },
    async authIds() {
      const r = await fetch(`${server.baseUrl}${CREDENTIALS}?limit=2000`, { headers });
      const b = (await r.json()) as { authId: string }[] | { credentials?: { authId: string }[] };
      return new Set((Array.isArray(b) ? b : (b.credentials ?? [])).map((c) => c.authId));
    },
  };
}

const genericUser = (n: number) => `demo.user${String(n).padStart(5, '0')}@avochato.demo`;

/** The "load the saved org" step's time (ms), from the server's step line. */
function loadStepMs(out: string): number | null {
  const m = /^\s*ok\s+loaded the org saved in .*?\s(\d+(?:\.\d+)?) (ms|s)\s*$/m.exec(out);
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : null;
}

async function commitsPerSecond(dir: string, n: number): Promise<{ perSecond: number; medianMs: number; ok: number }> {
  const server = await startServer({ args: ['--api-only', '--users', String(PUSH_USERS), '--data', dir] });
  try {
    const c = await client(server);
    const times: number[] = [];
    let ok = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      if ((await c.push(`BENCH-COMMIT-${run}-${i}`, genericUser((i % PUSH_USERS) + 1))) === 200) ok++;
      times.push(performance.now() - t);
    }
    const s = (performance.now() - t0) / 1000;
    return { perSecond: n / s, medianMs: median(times), ok };
  } finally {
    await server.stop();
  }
}

async function killLoop(dir: string, rounds: number, pushes: number): Promise<{ pushed: number; found: number }[]> {
  const out: { pushed: number; found: number }[] = [];
  const args = ['--api-only', '--users', String(PUSH_USERS), '--data', dir];
  for (let round = 0; round < rounds; round++) {
    const server = await startServer({ args });
    const ids: string[] = [];
    try {
      const c = await client(server);
      for (let i = 0; i < pushes; i++) {
        const id = `BENCH-KILL-${run}-${round}-${i}`;
        if ((await c.push(id, genericUser((i % PUSH_USERS) + 1))) === 200) ids.push(id);
      }
    } finally {
      await server.stop('SIGKILL');
    }
    const again = await startServer({ args });
    try {
      const have = await (await client(again)).authIds();
      out.push({ pushed: ids.length, found: ids.filter((id) => have.has(id)).length });
    } finally {
      await again.stop('SIGKILL');
    }
  }
  return out;
}

async function recovery(dir: string, users: number, pushes: number) {
  const args = ['--api-only', '--users', String(users), '--data', dir];
  const first = await startServer({ args, timeoutMs: 900_000 });
  await first.stop();
  const clean = await startServer({ args, timeoutMs: 900_000 });
  const cleanMs = loadStepMs(clean.output());
  const c = await client(clean);
  for (let i = 0; i < pushes; i++) await c.push(`BENCH-REC-${run}-${i}`, genericUser((i % 1000) + 1));
  await clean.stop('SIGKILL');
  const afterKill = await startServer({ args, timeoutMs: 900_000 });
  const killMs = loadStepMs(afterKill.output());
  const files = fs.readdirSync(dir).map((f) => `${f} ${(fs.statSync(path.join(dir, f)).size / 1e6).toFixed(1)} MB`);
  await afterKill.stop('SIGKILL');
  return { users, cleanMs, afterKillMs: killMs, files };
}

async function main(): Promise<void> {
  const commits = arg('--commits', 200);
  const rounds = arg('--rounds', 5);
  const pushes = arg('--pushes', 20);
  const recoveryUsers = arg('--recovery-users', 50000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-durability-'));
  try {
    const cps = await commitsPerSecond(path.join(tmp, 'commits'), commits);
    console.log(
      `commits: ${cps.perSecond.toFixed(1)} per second (${commits} sequential REST pushes, ${cps.ok} answered 200, median ${cps.medianMs.toFixed(1)} ms each)`,
    );
    const loop = await killLoop(path.join(tmp, 'kill'), rounds, pushes);
    const pushed = loop.reduce((n, r) => n + r.pushed, 0);
    const found = loop.reduce((n, r) => n + r.found, 0);
    console.log(
      `kill -9 loop: ${found} of ${pushed} pushed credentials (answered 200) found after restart [${loop.map((r) => `${r.found}/${r.pushed}`).join(', ')}]`,
    );
    const rec = recoveryUsers > 0 ? await recovery(path.join(tmp, 'recovery'), recoveryUsers, pushes) : null;
    if (rec)
      console.log(
        `recovery, ${rec.users} users: load after a clean stop ${rec.cleanMs ?? 'n/a'} ms; after kill -9 with ${pushes} commits since ${rec.afterKillMs ?? 'n/a'} ms (${rec.files.join(', ')})`,
      );
    if (process.argv.includes('--json'))
      console.log(JSON.stringify({ commits: cps, killLoop: loop, recovery: rec }, null, 2));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench:durability: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
