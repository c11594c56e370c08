/**
 * End-to-end, the seed's quick setup (section B) in headless Chromium: the Avochato console -> Connect Production
 * -> the org's login and consent pages (Allow) -> Settings > API Access -> Generate Credentials -> a Confirmed row
 * on the Avochato Setup tab. Measures the time from Generate Credentials to Confirmed on screen.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath } from './browser.js';
import { startServer, type RunningServer } from './server-process.js';
import { SetupTab } from './setup-tab-page.js';
import { recordTiming } from './timings.js';

let server: RunningServer;
let browser: Browser;
let avochato: Page;
let authId = '';
let generatedAt = 0;

before(async () => {
  server = await startServer({ args: ['--users', '5'] });
  browser = await launchBrowser();
  avochato = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  avochato.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('npm start prints the console URL; Integrations shows both orgs Not connected', async () => {
  assert.ok(server.consoleUrl, server.output());
  await avochato.goto(server.consoleUrl);
  await avochato.getByRole('heading', { name: 'Integrations' }).waitFor();
  for (const env of ['production', 'sandbox'])
    assert.equal(await avochato.locator(`[data-env="${env}"] [data-field="status"]`).innerText(), 'Not connected');
  await avochato.screenshot({ path: screenshotPath('20-console-integrations') });
});

test('Connect Production: the org asks who logs in, shows the app and its scopes, Allow connects', async () => {
  await avochato.getByRole('button', { name: 'Connect Production' }).click();
  await avochato.getByLabel('Username').fill('integration@avochato.demo');
  await avochato.screenshot({ path: screenshotPath('21-org-login') });
  await avochato.getByRole('button', { name: 'Log In' }).click();
  await avochato.getByRole('heading', { name: 'Allow Access?' }).waitFor();
  assert.match(await avochato.locator('#scopes').innerText(), /Access and manage your data/);
  await avochato.screenshot({ path: screenshotPath('22-org-consent') });
  await avochato.getByRole('button', { name: 'Allow' }).click();
  const card = avochato.locator('[data-env="production"]');
  await card.locator('[data-field="status"]', { hasText: 'Connected' }).waitFor();
  assert.equal(await card.locator('[data-field="instance"]').innerText(), server.baseUrl);
  assert.equal(await card.locator('[data-field="user"]').innerText(), 'integration@avochato.demo');
  assert.equal(await avochato.locator('[data-env="sandbox"] [data-field="status"]').innerText(), 'Not connected');
  await avochato.screenshot({ path: screenshotPath('23-console-connected') });
});

test('API Access: Generate Credentials shows the Auth Id and Secret once and syncs them to Salesforce', async () => {
  await avochato.getByRole('link', { name: 'Settings › API Access' }).click();
  await avochato.getByLabel('User').selectOption({ label: 'Ben Okafor (ben.okafor@avochato.demo)' });
  generatedAt = Date.now();
  await avochato.getByRole('button', { name: 'Generate Credentials' }).click();
  const generated = avochato.locator('#generated');
  await generated.waitFor();
  authId = await generated.locator('[data-field="auth-id"]').innerText();
  assert.match(authId, /^AVO-[0-9A-F]{12}$/);
  assert.ok((await generated.locator('[data-field="auth-secret"]').innerText()).length >= 24);
  assert.match(
    await generated.locator('[data-sync="production"]').innerText(),
    /Synced to Salesforce Production: created/,
  );
  await avochato.screenshot({ path: screenshotPath('24-console-generated') });
  await avochato.getByRole('link', { name: 'Settings › API Access' }).click();
  await avochato.getByRole('button', { name: 'Generate Credentials' }).waitFor();
  assert.equal(await avochato.locator('#generated').count(), 0, 'the secret is shown once');
});

test('the credential is Confirmed on the Avochato Setup tab', async () => {
  const admin = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  admin.setDefaultTimeout(15_000);
  await admin.goto(server.loginUrl);
  const tab = new SetupTab(admin, server.tabUrl);
  await tab.open();
  await tab.openAdvanced();
  await tab.search(authId);
  const row = tab.row(authId);
  await tab.waitForStatus(row, 'Confirmed', 30_000);
  recordTiming('generateToConfirmedMs', Date.now() - generatedAt);
  assert.match(await row.innerText(), /Ben Okafor/);
  await admin.screenshot({ path: screenshotPath('25-setup-tab-confirmed') });
  assert.deepEqual(await tab.errors(), []);
});
