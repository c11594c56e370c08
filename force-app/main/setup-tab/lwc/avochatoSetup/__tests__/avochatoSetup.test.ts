import { createElement } from 'lwc';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import AvochatoSetup from 'c/avochatoSetup';
import getHealth from '@salesforce/apex/AvochatoSetupController.getHealth';
import getRows from '@salesforce/apex/AvochatoSetupController.getRows';
import type { HealthDto, RowPageDto } from 'c/avochatoSetupUtils';
import healthJson from '../../avochatoSetupEssentials/__tests__/data/getHealthNoDefault.json';
import firstPageJson from '../../avochatoCredentialTable/__tests__/data/getRowsSecondPage.json';
import { fire, flush, resetDom } from '../../__tests__/setupTabTestUtils';

// The running user holds Avochato_Manage_Credentials.
jest.mock('@salesforce/customPermission/Avochato_Manage_Credentials', () => ({ default: true }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.getHealth', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.getRows', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.getStatuses', () => ({ default: jest.fn() }), { virtual: true });

const mockGetHealth = jest.mocked(getHealth);
const mockGetRows = jest.mocked(getRows);

interface TabStub extends HTMLElement {
  label: string;
  value: string;
}

async function mount(): Promise<HTMLElement> {
  const element = createElement('c-avochato-setup', { is: AvochatoSetup });
  document.body.appendChild(element);
  await flush();
  return element;
}

/**
 * The credentials table in the Advanced tab. It is a dynamic component (<lwc:component lwc:is>), whose tag comes from
 * its constructor: c-avochato-credential-table on the platform, another name under Jest, so it is found by attribute.
 */
const TABLE = 'lightning-tab:nth-of-type(2) [data-refreshable]';

/** Lets the Advanced tab's deferred import of the credentials table run (it starts after the first render). */
async function tableLoaded(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
  await flush();
}

describe('c-avochato-setup', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    mockGetHealth.mockResolvedValue(healthJson as HealthDto);
    mockGetRows.mockResolvedValue(firstPageJson as RowPageDto);
  });

  afterEach(resetDom);

  it('shows the Essentials and Advanced tabs with their content', async () => {
    const element = await mount();
    // The first paint has Essentials; the table's code is imported just after it, a spinner holding its place.
    expect(element.shadowRoot!.querySelector(TABLE)).toBeNull();
    expect(element.shadowRoot!.querySelector('[data-id="table-loading"] lightning-spinner')).not.toBeNull();
    expect(mockGetRows).not.toHaveBeenCalled();
    await tableLoaded();

    const card = element.shadowRoot!.querySelector('lightning-card') as HTMLElement & { title: string };
    expect(card.title).toBe('Avochato Setup');
    const tabs = [...element.shadowRoot!.querySelectorAll('lightning-tab')] as TabStub[];
    expect(tabs.map((t) => [t.label, t.value])).toEqual([
      ['Essentials', 'essentials'],
      ['Advanced', 'advanced'],
    ]);
    expect(tabs[0].querySelector('c-avochato-setup-essentials')).not.toBeNull();
    expect(tabs[1].querySelector('[data-refreshable]')).toBe(element.shadowRoot!.querySelector(TABLE));
    expect(element.shadowRoot!.querySelector(TABLE)).not.toBeNull();
    expect(mockGetRows).toHaveBeenCalledTimes(1);
    expect(element.shadowRoot!.querySelector('[data-id="table-loading"]')).toBeNull();
    expect(element.shadowRoot!.querySelector('[data-id="table-error"]')).toBeNull();
    expect(element.shadowRoot!.querySelector('[data-id="no-permission"]')).toBeNull();
  });

  it('keeps the other tab fresh when one of them changes credentials', async () => {
    const element = await mount();
    await tableLoaded();
    expect(mockGetHealth).toHaveBeenCalledTimes(1);
    expect(mockGetRows).toHaveBeenCalledTimes(1);

    await fire(element, TABLE, 'credentialschange');
    expect(mockGetHealth).toHaveBeenCalledTimes(2);
    expect(mockGetRows).toHaveBeenCalledTimes(1);

    await fire(element, 'c-avochato-setup-essentials', 'credentialschange');
    expect(mockGetRows).toHaveBeenCalledTimes(2);
  });

  it('switches to Advanced when Essentials asks for the table, and follows the tab the admin picks', async () => {
    const element = await mount();
    const tabset = element.shadowRoot!.querySelector('lightning-tabset') as HTMLElement & { activeTabValue: string };
    expect(tabset.activeTabValue).toBe('essentials');

    await fire(element, 'c-avochato-setup-essentials', 'showadvanced');
    expect(tabset.activeTabValue).toBe('advanced');

    const essentialsTab = element.shadowRoot!.querySelector('lightning-tab') as TabStub;
    essentialsTab.dispatchEvent(new CustomEvent('active'));
    await flush();
    expect(tabset.activeTabValue).toBe('essentials');
  });
});
