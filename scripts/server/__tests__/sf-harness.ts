/**
 * Runs the real `sf` binary (node_modules/.bin/sf) against `npm start`'s server, with telemetry, auto-update and
 * version checks off and an isolated HOME (so ~/.sf and ~/.sfdx are never touched), and signs JWT assertions for
 * direct calls to the token endpoint. Used by sf-cli.test.ts (npm test) and sf-cli-full.test.ts (npm run test:sf).
 */
import { spawn } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, startServer, type RunningServer } from '../../e2e/server-process.js';

export { ROOT };

export interface SfResult {
  code: number;
  json: { status: number; result?: Record<string, unknown>; name?: string; message?: string; data?: unknown } & Record<
    string,
    unknown
  >;
  ms: number;
}

export interface SfSession {
  server: RunningServer;
  /** The `sf org login jwt ...` line the server printed (without the leading `sf `). */
  loginArgs: string[];
  home: string;
  sf(args: string[]): Promise<SfResult>;
  close(): Promise<void>;
}

/** Starts the server (API only) and a throwaway HOME for sf. */
export async function startSfSession(): Promise<SfSession> {
  const server = await startServer({ args: ['--api-only', '--users', '2'] });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-home-'));
  const line = /^sf CLI: sf (.+)$/m.exec(server.output());
  if (!line) {
    await server.stop();
    throw new Error(`the server printed no "sf CLI:" line:\n${server.output()}`);
  }
  const sf = (args: string[]): Promise<SfResult> =>
    new Promise((resolve, reject) => {
      const t0 = Date.now();
      const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'sf'), [...args, '--json'], {
        cwd: home,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          XDG_CONFIG_HOME: path.join(home, '.config'),
          XDG_DATA_HOME: path.join(home, '.local', 'share'),
          XDG_CACHE_HOME: path.join(home, '.cache'),
          SF_DISABLE_TELEMETRY: 'true',
          SF_DISABLE_AUTOUPDATE: 'true',
          SF_SKIP_NEW_VERSION_CHECK: 'true',
          SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
          NODE_OPTIONS: '--no-deprecation',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        try {
          resolve({ code: code ?? -1, json: JSON.parse(out) as SfResult['json'], ms: Date.now() - t0 });
        } catch {
          reject(new Error(`sf ${args.join(' ')} printed no JSON (exit ${code}):\n${out}\n${err}`));
        }
      });
    });
  return {
    server,
    loginArgs: line[1].trim().split(/\s+/),
    home,
    sf,
    close: async () => {
      await server.stop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** An RS256 JWT bearer assertion, as @salesforce/core builds it (iss, sub, aud, exp). */
export function assertion(
  key: KeyObject,
  claims: { iss: string; sub: string; aud: string; exp: number },
  alg = 'RS256',
): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg, typ: 'JWT' })}.${enc(claims)}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), key).toString('base64url')}`;
}

export function serverKey(file: string): KeyObject {
  return createPrivateKey(fs.readFileSync(file, 'utf8'));
}

export function otherKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

export async function jwtToken(
  baseUrl: string,
  jwt: string,
): Promise<{ status: number; body: Record<string, string> }> {
  const r = await fetch(`${baseUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }).toString(),
  });
  return { status: r.status, body: (await r.json()) as Record<string, string> };
}

/** The number of @IsTest methods of a test class, read from its source. */
export function testMethodCount(className: string): number {
  const file = (fs.readdirSync(path.join(ROOT, 'force-app'), { recursive: true }) as string[]).find(
    (f) => path.basename(f) === `${className}.cls`,
  );
  if (!file) throw new Error(`no ${className}.cls under force-app`);
  const src = fs.readFileSync(path.join(ROOT, 'force-app', file), 'utf8');
  return (src.match(/@IsTest\s+(?:public\s+|private\s+)?static\s+void/gi) ?? []).length;
}
