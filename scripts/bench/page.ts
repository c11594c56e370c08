/**
 * `npm run bench:page`: how fast the Avochato Setup tab opens in a real browser (Debian Chromium through
 * playwright-core) on `npm start`'s server with many users. Prints figures, asserts nothing about speed.
 *
 *   first rows   navigation start -> the Essentials tab shown -> "Advanced" clicked -> the first datatable row
 *                (the end-to-end test's firstRowsMs); one cold load (empty browser cache), then the median of
 *                --loads warm loads (same browser profile: what the cache headers let it keep)
 *   bytes        bytes on the wire per load (Chromium's encodedDataLength: compressed bodies + headers), by resource;
 *                and, from the page's Resource Timing (transferSize), what had arrived by the first contentful paint
 *                and by the moment the Essentials tab showed its figures (what the first paint had to wait for)
 *   search       from the last keystroke in the search box to a table whose every row matches, less the
 *                component's debounce (SEARCH_DELAY_MS): the server and rendering part, median of the terms
 *   start        the server's own "Ready in" figure and the bundle step's line; with --cold, the cold start to a
 *                usable page: "Ready in" plus the first (cold browser cache) load's Essentials time
 *
 * Usage: npm run bench:page -- [--users 50000] [--loads 3] [--cold] [--json]
 *   --cold  deletes the build caches (.tmp/server-build, .tmp/server-state) first: a cold `npm start`.
 * Needs /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../e2e/browser.js';
import { ROOT, startServer } from '../e2e/server-process.js';
import { SetupTab } from '../e2e/setup-tab-page.js';
import { lwcDir } from '../build/project-paths.js';
import { median, numberArg as arg } from './figures.js';

/** The table's search debounce, read from the component (it imports `lwc`, so it is not imported here). */
const SEARCH_DELAY_MS = Number(
  /export const SEARCH_DELAY_MS = (\d+);/.exec(
    readFileSync(path.join(lwcDir(ROOT), 'avochatoCredentialTable', 'avochatoCredentialTable.ts'), 'utf8'),
  )?.[1] ?? NaN,
);

interface LoadFigures {
  essentialsMs: number;
  firstRowsMs: number;
  /** Bytes (Resource Timing transferSize) that had arrived by the first contentful paint, and by Essentials shown. */
  beforePaint: { bytes: number; responses: number; fcpMs: number };
  beforeEssentials: { bytes: number; responses: number };
  bytes: number;
  requests: number;
  byResource: { url: string; bytes: number; status: number; encoding: string }[];
}

/** Sums what Chromium received for each request while `fn` runs (CDP Network domain). */
async function onTheWire<T>(
  cdp: CDPSession,
  fn: () => Promise<T>,
): Promise<{ value: T; bytes: number; resources: LoadFigures['byResource'] }> {
  const byId = new Map<string, { url: string; status: number; encoding: string; bytes: number }>();
  const onResponse = (e: {
    requestId: string;
    response: { url: string; status: number; headers: Record<string, string> };
  }) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    byId.set(e.requestId, {
      url: e.response.url,
      status: e.response.status,
      encoding: h['content-encoding'] ?? 'identity',
      bytes: 0,
    });
  };
  const onFinished = (e: { requestId: string; encodedDataLength: number }) => {
    const r = byId.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  try {
    const value = await fn();
    const resources = [...byId.values()].sort((a, b) => b.bytes - a.bytes);
    return { value, bytes: resources.reduce((n, r) => n + r.bytes, 0), resources };
  } finally {
    cdp.off('Network.responseReceived', onResponse);
    cdp.off('Network.loadingFinished', onFinished);
  }
}

type Arrived = Pick<LoadFigures, 'beforePaint' | 'beforeEssentials'>;

/**
 * In the page: what had arrived (Resource Timing transferSize) by the first contentful paint and by now (Essentials
 * shown). A string, not a function: tsx would wrap a function's inner functions with a helper the page lacks.
 */
const ARRIVED_IN_PAGE = `(() => {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  const fcpEntry = performance.getEntriesByName('first-contentful-paint')[0];
  const fcp = fcpEntry ? fcpEntry.startTime : NaN;
  const now = performance.now();
  const figures = (t) => {
    const arrived = entries.filter((e) => e.responseEnd > 0 && e.responseEnd <= t);
    return { bytes: arrived.reduce((n, e) => n + e.transferSize, 0), responses: arrived.length };
  };
  return { beforePaint: { ...figures(fcp), fcpMs: fcp }, beforeEssentials: figures(now) };
})()`;

async function openToFirstRows(
  page: Page,
  url: string,
): Promise<Omit<LoadFigures, 'bytes' | 'requests' | 'byResource'>> {
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.getByText('Credentials by status').waitFor();
  const essentialsMs = performance.now() - t0;
  const arrived = (await page.evaluate(ARRIVED_IN_PAGE)) as Arrived;
  await page.getByRole('tab', { name: 'Advanced' }).click();
  await new SetupTab(page, '').table().locator('tbody tr').first().waitFor();
  return { essentialsMs, firstRowsMs: performance.now() - t0, ...arrived };
}

async function searchOnce(page: Page, term: string): Promise<number> {
  const box = page.getByLabel('Search users and credentials');
  await box.fill('');
  await page.waitForTimeout(SEARCH_DELAY_MS + 400);
  await box.focus();
  const t = term.toLowerCase();
  await box.pressSequentially(term.slice(0, -1), { delay: 20 });
  await box.press(term.slice(-1));
  const lastKey = performance.now();
  const rows = new SetupTab(page, '').table().locator('tbody tr');
  const end = Date.now() + 30_000;
  for (;;) {
    const texts = await rows.allInnerTexts();
    if (texts.length > 0 && texts.every((r) => r.toLowerCase().includes(t))) break;
    if (Date.now() > end) throw new Error(`search for "${term}" did not narrow the table`);
    await page.waitForTimeout(10);
  }
  return performance.now() - lastKey - SEARCH_DELAY_MS;
}

async function main(): Promise<void> {
  const users = arg('--users', 50000);
  const loads = Math.max(1, arg('--loads', 3));
  const cold = process.argv.includes('--cold');
  if (cold) {
    rmSync(path.join(ROOT, '.tmp', 'server-build'), { recursive: true, force: true });
    rmSync(path.join(ROOT, '.tmp', 'server-state'), { recursive: true, force: true });
  }
  const server = await startServer({ args: ['--users', String(users)], timeoutMs: 600_000 });
  const browser = await launchBrowser();
  try {
    const out = server.output();
    const bundleLine = /^\s*ok\s+(bundled the Setup tab.*)$/m.exec(out)?.[1]?.trim() ?? '';
    const readyLine = /^Ready in (\S+ s)/m.exec(out)?.[1] ?? 'n/a';
    const readyMs = Number.parseFloat(readyLine) * 1000;
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // The printed URL (with the start-up key) gives this browser the cookie the local org's pages want; the page
    // it redirects to starts loading the assets, so the cache is emptied after it: the first measured load is cold.
    await page.goto(server.loginUrl, { waitUntil: 'load' });
    await cdp.send('Network.clearBrowserCache');

    const runs: LoadFigures[] = [];
    for (let i = 0; i <= loads; i++) {
      const r = await onTheWire(cdp, () => openToFirstRows(page, server.tabUrl));
      runs.push({
        ...r.value,
        bytes: r.bytes,
        requests: r.resources.length,
        byResource: r.resources.map((x) => ({ ...x, url: x.url.replace(server.baseUrl, '') })),
      });
    }
    const [first, ...warm] = runs;

    const searches: { term: string; ms: number }[] = [];
    for (const term of ['Okafor', 'User 04242', 'AVO-ANA', 'Rossi'])
      searches.push({ term, ms: await searchOnce(page, term) });
    await context.close();

    const result = {
      users,
      cold,
      serverReady: readyLine,
      bundle: bundleLine,
      coldCache: first,
      warm: {
        loads: warm.length,
        firstRowsMsMedian: median(warm.map((w) => w.firstRowsMs)),
        essentialsMsMedian: median(warm.map((w) => w.essentialsMs)),
        firstRowsMs: warm.map((w) => Math.round(w.firstRowsMs)),
        bytesMedian: median(warm.map((w) => w.bytes)),
      },
      coldStartToUsableMs: cold ? readyMs + first.essentialsMs : null,
      search: { afterDebounceMsMedian: median(searches.map((s) => s.ms)), debounceMs: SEARCH_DELAY_MS, searches },
    };
    if (process.argv.includes('--json')) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(
      `Avochato Setup tab in Chromium, npm start -- --users ${users}${cold ? ' (cold: build caches deleted)' : ''}`,
    );
    console.log(`server ready in ${readyLine}${bundleLine ? `; ${bundleLine}` : ''}`);
    console.log(
      `first rows, cold browser cache: ${first.firstRowsMs.toFixed(0)} ms (Essentials shown at ${first.essentialsMs.toFixed(0)} ms), ${kb(first.bytes)} on the wire in ${first.requests} responses`,
    );
    console.log(
      `before first paint (cold cache): ${kb(first.beforePaint.bytes)} in ${first.beforePaint.responses} responses by the first contentful paint at ${first.beforePaint.fcpMs.toFixed(0)} ms; ${kb(first.beforeEssentials.bytes)} in ${first.beforeEssentials.responses} by the Essentials figures at ${first.essentialsMs.toFixed(0)} ms`,
    );
    if (result.coldStartToUsableMs !== null)
      console.log(
        `cold start to a usable page: ${(result.coldStartToUsableMs / 1000).toFixed(1)} s (server ready in ${readyLine}, then ${first.essentialsMs.toFixed(0)} ms to the Essentials figures with an empty browser cache)`,
      );
    console.log(
      `first rows, warm (median of ${warm.length}): ${result.warm.firstRowsMsMedian.toFixed(0)} ms [${result.warm.firstRowsMs.join(', ')}] (Essentials at ${result.warm.essentialsMsMedian.toFixed(0)} ms), ${kb(result.warm.bytesMedian)} on the wire`,
    );
    console.log('largest responses, cold load:');
    for (const r of first.byResource.slice(0, 6))
      console.log(`  ${kb(r.bytes).padStart(12)}  ${String(r.status)}  ${r.encoding.padEnd(8)} ${r.url.slice(0, 90)}`);
    console.log(
      `search, last keystroke to matching rows less the ${SEARCH_DELAY_MS} ms debounce: median ${result.search.afterDebounceMsMedian.toFixed(0)} ms (${searches.map((s) => `'${s.term}' ${s.ms.toFixed(0)}`).join(', ')})`,
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench:page: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
