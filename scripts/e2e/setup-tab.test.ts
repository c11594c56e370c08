/**
 * End-to-end: the Avochato Setup tab in headless Chromium against `npm start`'s server and the seeded demo org.
 * Screenshots go to .tmp/screenshots (git-ignored).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath } from './browser.js';
import { localStatus, startServer, type RunningServer } from './server-process.js';
import { SetupTab } from './setup-tab-page.js';
import { recordTiming } from './timings.js';

const CONFIRM_TIMEOUT_MS = 30_000;
let server: RunningServer;
let browser: Browser;
let page: Page;
let tab: SetupTab;
const run = Date.now().toString(36).toUpperCase();

before(async () => {
  // E2E_SERVER_ARGS, e.g. "--users 50000", measures a bigger org.
  server = await startServer({
    script: process.env.E2E_SERVER_SCRIPT,
    args: (process.env.E2E_SERVER_ARGS ?? '').split(' ').filter(Boolean),
  });
  if (server.readyMs !== null) recordTiming('serverStartMs', server.readyMs);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(15_000);
  tab = new SetupTab(page, server.tabUrl);
  // The printed URL (with the start-up key) gives this browser the cookie the local org's pages want.
  await page.goto(server.loginUrl);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an admin sees the Essentials health and the credentials table', async () => {
  const t0 = Date.now();
  await tab.open();
  await page.getByText('Credentials by status').waitFor();
  await tab.openAdvanced();
  recordTiming('firstRowsMs', Date.now() - t0);
  const status = await localStatus<{ apexCalls: { methodName: string; ms: number }[] }>(server);
  const getRows = status.apexCalls.filter((c) => c.methodName === 'getRows').at(-1);
  if (getRows) recordTiming('getRowsServerMs', getRows.ms);
  await page.screenshot({ path: screenshotPath('01-advanced-table') });
  assert.ok((await tab.table().locator('tbody tr').count()) > 0);
  assert.deepEqual(await tab.errors(), []);
});

test('an admin adds a credential and sees it confirmed without reloading', async () => {
  await tab.open();
  await tab.openAdvanced();
  await tab.search('Ben Okafor');
  const user = tab.row('Ben Okafor').first();
  await user.waitFor();
  const authId = `AVO-E2E-${run}`;
  await tab.addCredential(user, { authId, secret: `secret-${run}`, inbox: 'e2e' });
  const clicked = Date.now();
  await tab.toast('Credential created').waitFor();
  await page.screenshot({ path: screenshotPath('02-credential-created-toast') });
  await tab.search(authId);
  const row = tab.row(authId);
  await tab.waitForStatus(row, 'Confirmed', CONFIRM_TIMEOUT_MS);
  recordTiming('createToConfirmedMs', Date.now() - clicked);
  await page.screenshot({ path: screenshotPath('03-credential-confirmed') });
  assert.equal(await tab.statusIconColour(row), 'slds-icon-text-success', 'Confirmed is green as well as labelled');
  const text = await row.innerText();
  assert.match(text, /Ben Okafor/);
  assert.ok(!text.includes(`secret-${run}`), 'the secret is never shown');
  assert.deepEqual(await tab.errors(), []);
});

test('a FAIL credential shows Failed with its reason', async () => {
  await tab.open();
  await tab.openAdvanced();
  await tab.search('Ana Lopez');
  const user = tab.row('Ana Lopez').first();
  await user.waitFor();
  const authId = `FAIL-E2E-${run}`;
  await tab.addCredential(user, { authId, secret: 'wrong', inbox: 'e2e-fail' });
  await tab.toast('Credential created').waitFor();
  await tab.search(authId);
  const row = tab.row(authId);
  await tab.waitForStatus(row, 'Failed', CONFIRM_TIMEOUT_MS);
  await page.screenshot({ path: screenshotPath('04-credential-failed') });
  assert.equal(await tab.statusIconColour(row), 'slds-icon-text-error', 'Failed is red as well as labelled');
  assert.match(await row.innerText(), /401|Unauthorized|refused|rejected/i);
});

test('Make Default and Deactivate / Activate change the rows', async () => {
  await tab.open();
  await tab.openAdvanced();
  const authId = `AVO-E2E-${run}`;
  await tab.search(authId);
  const row = tab.row(authId);
  await tab.waitForStatus(row, 'Confirmed', CONFIRM_TIMEOUT_MS);
  assert.ok((await tab.rowActions(row)).includes('Make Default'));

  await tab.rowAction(row, 'Make Default');
  await page.waitForFunction(() => !document.querySelector('c-avochato-status-datatable lightning-spinner'));
  await assertEventually(
    async () => !(await tab.rowActions(row)).includes('Make Default'),
    'the new default no longer offers Make Default',
  );
  await page.screenshot({ path: screenshotPath('05-made-default') });

  await tab.rowAction(row, 'Deactivate');
  await tab.waitForStatus(row, 'Inactive', 10_000);
  assert.ok((await tab.rowActions(row)).includes('Activate'));
  await page.screenshot({ path: screenshotPath('06-deactivated') });

  await tab.rowAction(row, 'Activate');
  await assertEventually(async () => (await tab.status(row)) !== 'Inactive', 'the row is active again');
  assert.ok((await tab.rowActions(row)).includes('Deactivate'));
  await page.screenshot({ path: screenshotPath('07-activated') });
});

test('a user without the Avochato permission sees an explanation, not the table', async () => {
  await tab.open('sam.viewer@avochato.demo');
  await page
    .getByText(/permission/i)
    .first()
    .waitFor();
  await page.screenshot({ path: screenshotPath('08-no-permission') });
  assert.equal(await page.locator('c-avochato-status-datatable').count(), 0);
  assert.deepEqual(await tab.errors(), []);
});

test('the App Launcher finds the tab by name, and "View background jobs" navigates to Apex Jobs', async () => {
  await tab.open();
  await page.getByTitle('App Launcher').click();
  await page.getByLabel('Search apps and items').fill('avochato set');
  const item = page.locator('#local-app-launcher-panel a', { hasText: 'Avochato Setup' });
  await item.waitFor();
  await page.screenshot({ path: screenshotPath('09-app-launcher') });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'View background jobs' }).click();
  await page.waitForURL(/\/lightning\/setup\/AsyncApexJobs\/home/);
  await page.getByText('Apex Jobs (local org)').waitFor();
  await page.screenshot({ path: screenshotPath('10-apex-jobs') });
});

async function assertEventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  assert.fail(`timed out waiting until ${what}`);
}
