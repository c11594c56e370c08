import { createElement } from 'lwc';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import AvochatoSetupEssentials from 'c/avochatoSetupEssentials';
import getHealth from '@salesforce/apex/AvochatoSetupController.getHealth';
import confirmAllPending from '@salesforce/apex/AvochatoSetupController.confirmAllPending';
import type { HealthDto } from 'c/avochatoSetupUtils';
import confirmedDefaultJson from './data/getHealthConfirmedDefault.json';
import noDefaultJson from './data/getHealthNoDefault.json';
import pendingDefaultJson from './data/getHealthPendingDefault.json';
import { alertOf, flush, recordToasts, resetDom, type ToastDetail } from '../../__tests__/setupTabTestUtils';

jest.mock('@salesforce/apex/AvochatoSetupController.getHealth', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.confirmAllPending', () => ({ default: jest.fn() }), {
  virtual: true,
});

const mockGetHealth = jest.mocked(getHealth);
const mockConfirmAll = jest.mocked(confirmAllPending);
const CONFIRMED_DEFAULT = confirmedDefaultJson as HealthDto;
const NO_DEFAULT = noDefaultJson as HealthDto;
const PENDING_DEFAULT = pendingDefaultJson as HealthDto;

async function mount(): Promise<{ element: HTMLElement; toasts: ToastDetail[]; events: string[] }> {
  const element = createElement('c-avochato-setup-essentials', { is: AvochatoSetupEssentials });
  const toasts = recordToasts(element);
  const events: string[] = [];
  element.addEventListener('credentialschange', () => events.push('credentialschange'));
  element.addEventListener('showadvanced', () => events.push('showadvanced'));
  document.body.appendChild(element);
  await flush();
  return { element, toasts, events };
}

/** The visible text of a part, its text nodes separated as a browser lays out the paragraphs and items. */
function text(element: HTMLElement, id: string): string {
  const root = element.shadowRoot!.querySelector(`[data-id="${id}"]`);
  if (!root) return '';
  const parts: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) parts.push(node.textContent ?? '');
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

function button(element: HTMLElement, id: string): HTMLElement & { disabled: boolean } {
  return element.shadowRoot!.querySelector(`lightning-button[data-id="${id}"]`) as HTMLElement & { disabled: boolean };
}

describe('c-avochato-setup-essentials', () => {
  afterEach(resetDom);

  it('shows a confirmed default, the counts by status and my own credential', async () => {
    mockGetHealth.mockResolvedValue(CONFIRMED_DEFAULT);
    const { element } = await mount();

    expect(text(element, 'default-summary')).toBe(
      'The default credential is confirmed FAKE-AUTH-DEFAULT (Ada Admin, inbox acme-support)',
    );
    const icon = element.shadowRoot!.querySelector('[data-id="default-summary"] lightning-icon') as HTMLElement & {
      iconName: string;
      alternativeText: string;
    };
    expect([icon.iconName, icon.alternativeText]).toEqual(['utility:success', 'Confirmed']);
    expect(text(element, 'counts')).toBe('Confirmed: 40 Pending: 2 Failed: 1 Inactive: 3');
    expect(text(element, 'own-credentials')).toBe(
      'FAKE-AUTH-DEFAULT for acme-support: Confirmed (default) - Ada Admin (acme-support)',
    );
    expect(text(element, 'how-to')).toContain('Generate Credentials');
    expect(button(element, 'confirm-all').disabled).toBe(false);
  });

  it('warns when there is no default credential and I have none', async () => {
    mockGetHealth.mockResolvedValue(NO_DEFAULT);
    const { element } = await mount();

    expect(text(element, 'default-summary')).toContain('No default credential');
    expect(text(element, 'default-summary')).toContain('Make Default');
    expect(text(element, 'no-own-credential')).toBe(
      'You have no Avochato credential yet. Messages you send use the default credential.',
    );
    expect(button(element, 'confirm-all').disabled).toBe(true);
  });

  it('explains a default that failed confirmation', async () => {
    mockGetHealth.mockResolvedValue(PENDING_DEFAULT);
    const { element } = await mount();

    expect(text(element, 'default-summary')).toBe(
      'The default credential failed confirmation FAKE-AUTH-PENDING (Ben Pending): Avochato refused the credentials (401 Unauthorized).',
    );
    expect(text(element, 'own-credentials')).toContain('FAKE-AUTH-MINE for its own inbox: Pending');
  });

  it('confirms all pending credentials and says it runs in the background', async () => {
    mockGetHealth.mockResolvedValue(CONFIRMED_DEFAULT);
    mockConfirmAll.mockResolvedValue({ queued: 2, jobId: '707000000000001AAA', requestedAt: null, rows: [] });
    const { element, toasts, events } = await mount();

    button(element, 'confirm-all').click();
    await flush();

    expect(mockConfirmAll).toHaveBeenCalledTimes(1);
    expect(toasts).toEqual([
      {
        title: 'Confirmation started',
        message:
          '2 pending credentials are being confirmed with Avochato in the background. Their status updates here by itself.',
        variant: 'success',
      },
    ]);
    expect(events).toContain('credentialschange');
    expect(mockGetHealth).toHaveBeenCalledTimes(2);
  });

  it('says so when nothing was pending, and shows errors in a toast', async () => {
    mockGetHealth.mockResolvedValue(CONFIRMED_DEFAULT);
    mockConfirmAll
      .mockResolvedValueOnce({ queued: 0, jobId: null, requestedAt: null, rows: [] })
      .mockRejectedValueOnce({
        body: { message: 'Confirm: this transaction cannot queue another background job; try again.' },
      });
    const { element, toasts } = await mount();

    button(element, 'confirm-all').click();
    await flush();
    button(element, 'confirm-all').click();
    await flush();

    expect(toasts.map((t) => [t.variant, t.title])).toEqual([
      ['info', 'Nothing to confirm'],
      ['error', 'Could not start confirmation'],
    ]);
    expect(toasts[1].message).toBe('Confirm: this transaction cannot queue another background job; try again.');
  });

  it('re-reads the health while credentials are pending, and stops when none is left', async () => {
    jest.useFakeTimers();
    mockGetHealth
      .mockResolvedValueOnce(CONFIRMED_DEFAULT)
      .mockResolvedValue({ ...CONFIRMED_DEFAULT, pendingCount: 0, confirmedCount: 42 });
    const { element, events } = await mount();
    expect(text(element, 'counts')).toContain('Pending: 2');

    jest.advanceTimersByTime(2000);
    await flush();
    expect(text(element, 'counts')).toBe('Confirmed: 42 Pending: 0 Failed: 1 Inactive: 3');
    // watching is not changing: the datatable is not asked to reload (it follows its own Pending rows)
    expect(events).toEqual([]);

    jest.advanceTimersByTime(60000);
    await flush();
    expect(mockGetHealth).toHaveBeenCalledTimes(2);
  });

  it('shows an Apex error as a message', async () => {
    mockGetHealth.mockRejectedValue({
      body: { message: 'You need the Avochato Admin permission set to view or change Avochato API credentials.' },
    });
    const { element } = await mount();

    expect(alertOf(element, 'error')!.textContent).toContain('You need the Avochato Admin permission set');
    expect(element.shadowRoot!.querySelector('[data-id="counts"]')).toBeNull();
  });

  it('refreshes, opens the table and the background jobs on request', async () => {
    mockGetHealth.mockResolvedValue(CONFIRMED_DEFAULT);
    const { element, events } = await mount();

    button(element, 'refresh').click();
    await flush();
    button(element, 'show-advanced').click();
    button(element, 'apex-jobs').click();

    expect(mockGetHealth).toHaveBeenCalledTimes(2);
    expect(events).toEqual(['showadvanced']);
  });
});
