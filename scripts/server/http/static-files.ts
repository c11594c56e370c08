/**
 * Serves files from a folder, safely (no path escapes), with content types for what the page needs, compressed as
 * the browser asks (Accept-Encoding: brotli, else gzip, else none; a `.br` / `.gz` file written beside the file at
 * build time is sent as is, others are compressed once and kept in memory), with an ETag (If-None-Match -> 304) and
 * the cache policy the caller names: `immutable` for content-hashed names (a new build is a new name), seconds, or
 * 0 = revalidate every time.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type * as http from 'node:http';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
  '.json': 'application/json',
};

/** Types worth compressing (fonts and PNGs are compressed already). */
const COMPRESSIBLE = new Set(['.js', '.css', '.svg', '.map', '.json']);
/** Files compressed on the fly are kept in memory up to this size each. */
const MAX_MEMO_BYTES = 8 * 1024 * 1024;

export const IMMUTABLE = 'public, max-age=31536000, immutable';

type Encoding = 'br' | 'gzip' | 'identity';

/** The encoding to send for an Accept-Encoding header: br, then gzip, then none (q=0 refuses one). */
export function negotiateEncoding(accept: string | undefined): Encoding {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((x) => /^\s*q=([\d.]+)\s*$/.exec(x)?.[1]).find((x) => x !== undefined);
    offered.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (n: string) => (offered.get(n) ?? offered.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

const memo = new Map<string, Buffer>();

function compressed(file: string, tag: string, encoding: 'br' | 'gzip', size: number): Buffer | string | null {
  const built = `${file}${encoding === 'br' ? '.br' : '.gz'}`;
  if (existsSync(built) && statSync(built).mtimeMs >= statSync(file).mtimeMs) return built;
  if (size > MAX_MEMO_BYTES) return null;
  const key = `${file}\0${tag}\0${encoding}`;
  let buf = memo.get(key);
  if (!buf) {
    const raw = readFileSync(file);
    buf =
      encoding === 'br'
        ? brotliCompressSync(raw, {
            params: {
              [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
              [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          })
        : gzipSync(raw, { level: 9 });
    memo.set(key, buf);
  }
  return buf;
}

/**
 * Sends DIR/RELATIVE if it is a file inside DIR; returns true if it did (false: not found, the caller answers).
 * `cache`: 'immutable' (content-hashed names), seconds of max-age, or 0 (no-cache: revalidate with the ETag).
 */
export function serveFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  dir: string,
  relative: string,
  cache: 'immutable' | number = 0,
): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return false;
  }
  const file = path.resolve(dir, `.${path.sep}${decoded}`);
  if (!file.startsWith(path.resolve(dir) + path.sep)) return false;
  if (!existsSync(file)) return false;
  const st = statSync(file);
  if (!st.isFile()) return false;
  const ext = path.extname(file);
  const tag = `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`;
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Cache-Control': cache === 'immutable' ? IMMUTABLE : cache ? `public, max-age=${cache}` : 'no-cache',
    ETag: tag,
  };
  if (COMPRESSIBLE.has(ext)) headers.Vary = 'Accept-Encoding';
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === tag)) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const encoding = COMPRESSIBLE.has(ext) ? negotiateEncoding(req.headers['accept-encoding']) : 'identity';
  const body = encoding === 'identity' ? null : compressed(file, tag, encoding, st.size);
  if (encoding !== 'identity' && body !== null) headers['Content-Encoding'] = encoding;
  const send = body ?? file;
  if (typeof send === 'string') {
    headers['Content-Length'] = String(statSync(send).size);
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(send).pipe(res);
  } else {
    headers['Content-Length'] = String(send.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : send);
  }
  return true;
}
