/**
 * What an admin does on the Avochato Setup tab, in terms of what they see (labels, row menus, toasts), for the
 * end-to-end tests. lightning-datatable renders rows as <tr> with one gridcell per column.
 */
import type { Locator, Page } from 'playwright-core';

export class SetupTab {
  constructor(
    readonly page: Page,
    private readonly tabUrl: string,
  ) {}

  async open(asUsername?: string): Promise<void> {
    const url = asUsername ? `${this.tabUrl}?as=${encodeURIComponent(asUsername)}` : this.tabUrl;
    await this.page.goto(url);
    await this.page.waitForSelector('body[data-ready="true"]');
  }

  async openAdvanced(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Advanced' }).click();
    await this.table().locator('tbody tr').first().waitFor();
  }

  table(): Locator {
    return this.page.locator('c-avochato-status-datatable table');
  }

  async search(term: string): Promise<void> {
    const box = this.page.getByLabel('Search users and credentials');
    await box.fill(term);
    await box.press('Enter');
    // The table reloads from the server: wait until every row shown matches the term. (Synthetic shadow keeps
    // document.querySelectorAll out of components, so this polls Playwright's shadow-piercing locators.)
    const t = term.toLowerCase();
    const end = Date.now() + 15_000;
    for (;;) {
      const rows = await this.table().locator('tbody tr').allInnerTexts();
      if (rows.length > 0 && rows.every((r) => r.toLowerCase().includes(t))) return;
      if (Date.now() > end) throw new Error(`search for "${term}" did not narrow the table (rows: ${rows.length})`);
      await this.page.waitForTimeout(200);
    }
  }

  row(text: string | RegExp): Locator {
    return this.table().locator('tbody tr', { hasText: text });
  }

  /** The labels of the row's action menu (opens and closes it). */
  async rowActions(row: Locator): Promise<string[]> {
    await row.getByRole('button', { name: 'Show actions' }).click();
    const items = row.locator('lightning-button-menu [role="menuitem"]');
    await items.first().waitFor();
    const labels = (await items.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    await this.page.keyboard.press('Escape');
    return labels;
  }

  async rowAction(row: Locator, label: string): Promise<void> {
    await row.getByRole('button', { name: 'Show actions' }).click();
    await row.locator('lightning-button-menu [role="menuitem"]', { hasText: label }).click();
  }

  /** The status column's text (Pending / Confirmed / Failed / Inactive / No credential). */
  async status(row: Locator): Promise<string> {
    return (await row.locator('th, td').first().innerText()).trim();
  }

  /** The SLDS colour class of the status icon (`slds-icon-text-success` / `-warning` / `-error` / `-default`). */
  async statusIconColour(row: Locator): Promise<string> {
    const svgClass = (await row.locator('th, td').first().locator('lightning-icon svg').getAttribute('class')) ?? '';
    return svgClass.split(/\s+/).find((c) => c.startsWith('slds-icon-text-')) ?? '';
  }

  async waitForStatus(row: Locator, status: string, timeoutMs: number): Promise<number> {
    const t0 = Date.now();
    await row.locator('th, td').first().filter({ hasText: status }).waitFor({ timeout: timeoutMs });
    return Date.now() - t0;
  }

  async addCredential(
    row: Locator,
    c: { authId: string; secret: string; inbox?: string; makeDefault?: boolean },
  ): Promise<void> {
    await this.rowAction(row, 'Add API Credential');
    const modal = this.page.locator('lightning-modal, [role="dialog"]').last();
    await modal.getByLabel('Auth Id').fill(c.authId);
    await modal.getByLabel('Auth Secret').fill(c.secret);
    if (c.inbox) await modal.getByLabel('Avochato Inbox').fill(c.inbox);
    if (c.makeDefault) await modal.getByLabel('Default Credential').check();
    await modal.getByRole('button', { name: 'Create Credential' }).click();
  }

  toast(title: string | RegExp): Locator {
    return this.page.locator('#local-toasts .slds-notify_toast', { hasText: title });
  }

  async errors(): Promise<string[]> {
    return this.page.evaluate(() => window.__LOCAL_ERRORS__ ?? []);
  }
}
