/**
 * OAuth 2.0 JWT bearer flow for the local connected app, as `sf org login jwt` uses it in CI
 * (grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer, assertion = RS256-signed JWT with iss = consumer key,
 * sub = username, aud = the login URL, exp). The connected app's certificate is a key pair kept under .tmp/
 * (git-ignored; created on first start with mode 0600) so the printed `sf org login jwt` line works across restarts.
 *
 * Errors as the platform answers them (400, {"error","error_description"}; RFC 7523 section 3.1 and Salesforce Help
 * "OAuth 2.0 Authorization Errors"): a bad or unsigned assertion "invalid assertion", an audience other than this
 * org's login URL "audience is invalid", an exp in the past "expired authorization code", an unknown or inactive
 * user "user hasn't approved this consumer", an unknown iss "invalid_client_id / client identifier invalid".
 * Salesforce accepts aud https://login.salesforce.com / https://test.salesforce.com / a site URL; the local org's
 * login URL is its own base URL, so that is the one audience accepted here.
 */
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { HttpError } from '../http/http-util.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface JwtKeyPair {
  /** server.key: the private key `sf org login jwt --jwt-key-file` signs with (PEM, mode 0600). */
  privateKeyFile: string;
  /** The connected app's certificate key (the public half), used to verify assertions. */
  publicKey: KeyObject;
  created: boolean;
}

/** The key pair under DIR (created with mode 0600 when missing; a file left readable by others is tightened). */
export function ensureJwtKeyPair(dir: string): JwtKeyPair {
  const privateKeyFile = path.join(dir, 'server.key');
  let created = false;
  if (!existsSync(privateKeyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    try {
      // 'wx': two servers starting at once keep the first key instead of overwriting each other's.
      writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  if ((statSync(privateKeyFile).mode & 0o077) !== 0) chmodSync(privateKeyFile, 0o600);
  const publicKey = createPublicKey(readFileSync(privateKeyFile, 'utf8'));
  return { privateKeyFile, publicKey, created };
}

export class JwtGrantError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

const invalidAssertion = () => new JwtGrantError('invalid_grant', 'invalid assertion');

function decodePart(part: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw invalidAssertion();
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidAssertion();
  return v as Record<string, unknown>;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/**
 * Checks an assertion; returns the username (sub) it grants. `loginUrl` is the org's base URL (the audience);
 * `clientId` the connected app's consumer key; `nowMs` the clock.
 */
export function verifyAssertion(
  assertion: string,
  o: { publicKey: KeyObject; clientId: string; loginUrl: string; nowMs?: number },
): string {
  const parts = assertion.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw invalidAssertion();
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (header.alg !== 'RS256') throw invalidAssertion();
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    o.publicKey,
    Buffer.from(parts[2], 'base64url'),
  );
  if (!signed) throw invalidAssertion();
  if (claims.iss !== o.clientId) throw new JwtGrantError('invalid_client_id', 'client identifier invalid');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && sameOrigin(a, o.loginUrl)))
    throw new JwtGrantError('invalid_grant', 'audience is invalid');
  // exp is seconds since the epoch (RFC 7519 4.1.4); @salesforce/core sends Date.now() + 300, which lies far ahead.
  if (typeof claims.exp !== 'number') throw invalidAssertion();
  if (claims.exp * 1000 <= (o.nowMs ?? Date.now()))
    throw new JwtGrantError('invalid_grant', 'expired authorization code');
  if (typeof claims.sub !== 'string' || !claims.sub) throw invalidAssertion();
  return claims.sub;
}

/** Adds the JWT bearer grant to the org's token endpoint. */
export function installJwtBearer(
  oauth: { registerGrant(type: string, handler: (params: URLSearchParams) => string): void; app: { clientId: string } },
  o: { publicKey: KeyObject; loginUrl: () => string; findActiveUser: (username: string) => string | null },
): void {
  oauth.registerGrant(JWT_BEARER_GRANT, (params) => {
    let username: string;
    try {
      username = verifyAssertion(params.get('assertion') ?? '', {
        publicKey: o.publicKey,
        clientId: oauth.app.clientId,
        loginUrl: o.loginUrl(),
      });
    } catch (e) {
      if (e instanceof JwtGrantError) throw grantError(e);
      throw e;
    }
    const userId = o.findActiveUser(username);
    if (!userId) throw grantError(new JwtGrantError('invalid_grant', "user hasn't approved this consumer"));
    return userId;
  });
}

function grantError(e: JwtGrantError): HttpError {
  return new HttpError(400, { error: e.error, error_description: e.description });
}
