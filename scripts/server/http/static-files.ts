/**
 * Serves files from a folder, safely (no path escapes), with content types for what the page needs.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type * as http from 'node:http';

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

/** Returns true if it served the file. */
export function serveFile(res: http.ServerResponse, dir: string, relative: string, cacheSeconds = 0): boolean {
  const decoded = decodeURIComponent(relative);
  const file = path.resolve(dir, `.${path.sep}${decoded}`);
  if (!file.startsWith(path.resolve(dir) + path.sep)) return false;
  if (!existsSync(file) || !statSync(file).isFile()) return false;
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': String(statSync(file).size),
    'Cache-Control': cacheSeconds ? `public, max-age=${cacheSeconds}` : 'no-cache',
  });
  createReadStream(file).pipe(res);
  return true;
}
