import { createElement } from 'lwc';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import AvochatoSetup from 'c/avochatoSetup';
import getHealth from '@salesforce/apex/AvochatoSetupController.getHealth';
import getRows from '@salesforce/apex/AvochatoSetupController.getRows';
import { resetDom } from '../../__tests__/setupTabTestUtils';

// The running user lacks Avochato_Manage_Credentials.
jest.mock('@salesforce/customPermission/Avochato_Manage_Credentials', () => ({ default: false }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.getHealth', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.getRows', () => ({ default: jest.fn() }), { virtual: true });
// Records whether the Advanced tab's code is ever loaded (it should not be, for a user who cannot see the table).
const mockTableLoaded = jest.fn();
jest.mock('c/avochatoCredentialTable', () => {
  mockTableLoaded();
  return jest.requireActual('c/avochatoCredentialTable');
});

describe('c-avochato-setup without the Avochato admin permission', () => {
  afterEach(resetDom);

  it('explains what is missing instead of showing the table, and calls no Apex', async () => {
    jest.useFakeTimers();
    const element = createElement('c-avochato-setup', { is: AvochatoSetup });
    document.body.appendChild(element);
    await Promise.resolve();

    const message = element.shadowRoot!.querySelector('[data-id="no-permission"]')!.textContent ?? '';
    expect(message).toContain("You don't have access to Avochato credentials.");
    expect(message).toContain('"Avochato Admin" permission set');
    expect(message).toContain('Ask your Salesforce administrator');
    expect(element.shadowRoot!.querySelector('lightning-tabset')).toBeNull();
    expect(element.shadowRoot!.querySelector('c-avochato-credential-table')).toBeNull();
    expect(jest.mocked(getHealth)).not.toHaveBeenCalled();
    expect(jest.mocked(getRows)).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1000);
    expect(mockTableLoaded).not.toHaveBeenCalled();
  });
});
