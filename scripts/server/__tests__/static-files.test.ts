/**
 * Static files (http/static-files.ts): the encoding the browser asks for (brotli, gzip, none; a build's .br/.gz
 * copy sent as is), the cache policy (immutable for hashed names), ETag revalidation, and no path escapes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { IMMUTABLE, negotiateEncoding, serveFile } from '../http/static-files.js';

let dir = '';
let server: http.Server;
let base = '';
const CSS = `.a{color:red}\n`.repeat(2000);
const JS = `export const x = ${JSON.stringify('y'.repeat(5000))};\n`;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'static-files-'));
  fs.mkdirSync(path.join(dir, 'pub'));
  fs.writeFileSync(path.join(dir, 'pub', 'app.css'), CSS);
  fs.writeFileSync(path.join(dir, 'pub', 'bundle.0123456789ab.js'), JS);
  // A build's brotli copy: marked so the test can tell it was sent as is.
  fs.writeFileSync(path.join(dir, 'pub', 'bundle.0123456789ab.js.br'), brotliCompressSync(`${JS}// prebuilt\n`));
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  server = http.createServer((req, res) => {
    const rel = (req.url ?? '/').slice('/pub/'.length);
    const hashed = /\.[0-9a-f]{12}\./.test(rel);
    if (!serveFile(req, res, path.join(dir, 'pub'), rel, hashed ? 'immutable' : 0)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => {
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(p: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`${base}${p}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

test('Accept-Encoding picks brotli, then gzip, then none; q=0 refuses', () => {
  assert.equal(negotiateEncoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(negotiateEncoding('gzip, br;q=0'), 'gzip');
  assert.equal(negotiateEncoding('identity'), 'identity');
  assert.equal(negotiateEncoding(undefined), 'identity');
  assert.equal(negotiateEncoding('*'), 'br');
});

test('a stylesheet is sent brotli or gzip as asked, smaller, and decodes to the file', async () => {
  const br = await get('/pub/app.css', { 'Accept-Encoding': 'gzip, br' });
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers.vary, 'Accept-Encoding');
  assert.equal(Number(br.headers['content-length']), br.body.length);
  assert.ok(br.body.length < CSS.length / 10);
  assert.equal(brotliDecompressSync(br.body).toString(), CSS);
  const gz = await get('/pub/app.css', { 'Accept-Encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz.body).toString(), CSS);
  const plain = await get('/pub/app.css');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString(), CSS);
  assert.equal(plain.headers['cache-control'], 'no-cache');
});

test('a hashed name is immutable for a year and its build-time .br copy is sent as is', async () => {
  const r = await get('/pub/bundle.0123456789ab.js', { 'Accept-Encoding': 'br' });
  assert.equal(r.headers['cache-control'], IMMUTABLE);
  assert.match(String(r.headers['content-type']), /^text\/javascript/);
  assert.match(brotliDecompressSync(r.body).toString(), /\/\/ prebuilt\n$/);
});

test('the ETag revalidates: 304 without a body', async () => {
  const first = await get('/pub/app.css');
  const again = await get('/pub/app.css', { 'If-None-Match': String(first.headers.etag) });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
});

test('no file outside the folder, and no folder, is served', async () => {
  assert.equal((await get('/pub/..%2Fsecret.txt')).status, 404);
  assert.equal((await get('/pub/%2e%2e/secret.txt')).status, 404);
  assert.equal((await get('/pub/%E0%A4%A')).status, 404);
  assert.equal((await get('/pub/')).status, 404);
});
