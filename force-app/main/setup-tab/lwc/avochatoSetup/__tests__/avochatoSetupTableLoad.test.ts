import { createElement } from 'lwc';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import AvochatoSetup from 'c/avochatoSetup';
import getRows from '@salesforce/apex/AvochatoSetupController.getRows';
import { resetDom } from '../../__tests__/setupTabTestUtils';

// The Advanced tab's code is imported after the first paint. Here that import fails until mockTableReachable is set
// (as when the network drops, or in an org without Lightning Web Security, where dynamic imports are refused).
let mockTableReachable = false;
jest.mock('c/avochatoCredentialTable', () => {
  if (!mockTableReachable) throw new Error('Failed to fetch dynamically imported module');
  return jest.requireActual('c/avochatoCredentialTable');
});
jest.mock('@salesforce/customPermission/Avochato_Manage_Credentials', () => ({ default: true }), { virtual: true });
jest.mock(
  '@salesforce/apex/AvochatoSetupController.getHealth',
  () => ({ default: jest.fn(() => new Promise(() => {})) }),
  {
    virtual: true,
  },
);
jest.mock(
  '@salesforce/apex/AvochatoSetupController.getRows',
  () => ({ default: jest.fn(() => new Promise(() => {})) }),
  {
    virtual: true,
  },
);
jest.mock('@salesforce/apex/AvochatoSetupController.getStatuses', () => ({ default: jest.fn() }), { virtual: true });

/** Runs the timers due now (the deferred import starts on one) and what their promises settle. */
async function settle(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
}

describe('c-avochato-setup when the credentials table cannot load', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(resetDom);

  it('says why in the Advanced tab, keeps Essentials, and loads the table on "Try again"', async () => {
    const element = createElement('c-avochato-setup', { is: AvochatoSetup });
    document.body.appendChild(element);
    const root = element.shadowRoot!;
    const alert = () => root.querySelector('[data-id="table-error"]');
    await settle();

    const text = alert()!.textContent ?? '';
    expect(text).toContain('The credentials table could not load: Failed to fetch dynamically imported module.');
    expect(text).toContain('Lightning Web Security');
    expect(root.querySelector('[data-id="table-loading"]')).toBeNull();
    expect(root.querySelector('c-avochato-setup-essentials')).not.toBeNull();
    expect(jest.mocked(getRows)).not.toHaveBeenCalled();

    mockTableReachable = true;
    (alert()!.querySelector('lightning-button') as HTMLElement).click();
    const advanced = root.querySelectorAll('lightning-tab')[1];
    await settle();
    expect(advanced.querySelector('[data-refreshable]')).not.toBeNull();
    expect(alert()).toBeNull();
    expect(jest.mocked(getRows)).toHaveBeenCalledTimes(1);
  });
});
