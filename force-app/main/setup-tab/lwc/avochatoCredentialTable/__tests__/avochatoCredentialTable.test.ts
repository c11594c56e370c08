import { createElement } from 'lwc';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import AvochatoCredentialTable from 'c/avochatoCredentialTable';
import AvochatoCredentialModal from 'c/avochatoCredentialModal';
import getRows from '@salesforce/apex/AvochatoSetupController.getRows';
import getStatuses from '@salesforce/apex/AvochatoSetupController.getStatuses';
import makeDefault from '@salesforce/apex/AvochatoSetupController.makeDefault';
import setActive from '@salesforce/apex/AvochatoSetupController.setActive';
import confirm from '@salesforce/apex/AvochatoSetupController.confirm';
import type { Column, RowAction } from 'lightning/datatable';
import type { CredentialRow, CredentialRowDto, RowPageDto } from 'c/avochatoSetupUtils';
import firstPageJson from './data/getRowsFirstPage.json';
import secondPageJson from './data/getRowsSecondPage.json';
import searchJson from './data/getRowsSearchSales.json';
import truncatedJson from './data/getRowsSearchTruncated.json';
import confirmedJson from './data/getStatusesConfirmed.json';
import createdJson from './data/createCredentialRows.json';
import { alertOf, clone, flush, recordToasts, resetDom, type ToastDetail } from '../../__tests__/setupTabTestUtils';

jest.mock('@salesforce/apex/AvochatoSetupController.getRows', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.getStatuses', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.makeDefault', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.setActive', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.confirm', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AvochatoSetupController.createCredential', () => ({ default: jest.fn() }), {
  virtual: true,
});

const FIRST_PAGE = firstPageJson as RowPageDto;
const SECOND_PAGE = secondPageJson as RowPageDto;
const SEARCH_PAGE = searchJson as RowPageDto;
const TRUNCATED_PAGE = truncatedJson as RowPageDto;
const CONFIRMED = confirmedJson as CredentialRowDto[];
const CREATED = createdJson as CredentialRowDto[];

const mockGetRows = jest.mocked(getRows);
const mockGetStatuses = jest.mocked(getStatuses);
const mockMakeDefault = jest.mocked(makeDefault);
const mockSetActive = jest.mocked(setActive);
const mockConfirm = jest.mocked(confirm);
const mockOpen = jest.mocked(AvochatoCredentialModal.open);

interface DatatableStub extends HTMLElement {
  data: CredentialRow[];
  columns: Column<CredentialRow>[];
  enableInfiniteLoading: boolean;
  isLoading: boolean;
}

async function mount(): Promise<{ element: HTMLElement; toasts: ToastDetail[]; changes: number[] }> {
  const element = createElement('c-avochato-credential-table', { is: AvochatoCredentialTable });
  const toasts = recordToasts(element);
  const changes: number[] = [];
  element.addEventListener('credentialschange', () => changes.push(Date.now()));
  document.body.appendChild(element);
  await flush();
  return { element, toasts, changes };
}

function table(element: HTMLElement): DatatableStub {
  return element.shadowRoot!.querySelector('c-avochato-status-datatable') as DatatableStub;
}

function rowByKey(element: HTMLElement, key: string): CredentialRow {
  const row = table(element).data.find((r) => r.key === key);
  if (!row) throw new Error(`no row ${key}`);
  return row;
}

function actionsOf(element: HTMLElement, key: string): string[] {
  const actionColumn = table(element).columns.find((c) => c.type === 'action');
  const provider = actionColumn?.typeAttributes?.rowActions as (
    row: CredentialRow,
    done: (a: RowAction[]) => void,
  ) => void;
  let actions: RowAction[] = [];
  provider(rowByKey(element, key), (a) => {
    actions = a;
  });
  return actions.map((a) => (a.disabled ? `${a.label} (disabled)` : a.label));
}

function rowAction(element: HTMLElement, name: string, key: string): void {
  table(element).dispatchEvent(
    new CustomEvent('rowaction', { detail: { action: { name, label: name }, row: rowByKey(element, key) } }),
  );
}

describe('c-avochato-credential-table', () => {
  beforeEach(() => {
    mockGetRows.mockResolvedValue(clone(FIRST_PAGE));
    mockGetStatuses.mockResolvedValue([]);
  });

  afterEach(resetDom);

  it('shows one row per user and credential, and users without a credential once', async () => {
    const { element } = await mount();

    expect(mockGetRows).toHaveBeenCalledWith({ searchTerm: null, pageSize: 50, afterCursor: null });
    const rows = table(element).data;
    expect(rows.map((r) => r.key)).toEqual([
      'a01000000000001AAA',
      'a01000000000002AAA',
      'a01000000000003AAA',
      'a01000000000004AAA',
      '005000000000004AAA',
    ]);
    expect(rows.filter((r) => r.userId === '005000000000004AAA')).toHaveLength(1);
    expect(element.shadowRoot!.querySelector('[data-id="row-count"]')!.textContent).toBe(
      '4 users, 5 rows, scroll for more',
    );
  });

  it('has the columns of the original table, with the row menu at the far right', async () => {
    const { element } = await mount();

    const columns = table(element).columns;
    expect(columns.map((c) => c.label ?? `(${c.type})`)).toEqual([
      'Status',
      'User',
      'Username / Email',
      'Inbox',
      'Auth Id',
      'Default',
      'Active',
      'Last Confirmed',
      'Message',
      '(action)',
    ]);
    expect(columns[0]).toMatchObject({
      type: 'status',
      fieldName: 'statusLabel',
      typeAttributes: {
        iconName: { fieldName: 'statusIcon' },
        variant: { fieldName: 'statusVariant' },
        alternativeText: { fieldName: 'statusAlternativeText' },
      },
    });
  });

  it('names the table, the search box and the live result count for assistive technology', async () => {
    const { element } = await mount();

    expect(table(element).getAttribute('aria-label')).toBe('Salesforce users and their Avochato API credentials');
    const search = element.shadowRoot!.querySelector('lightning-input[data-id="search"]') as HTMLElement & {
      label: string;
      type: string;
    };
    expect([search.type, search.label]).toEqual(['search', 'Search users and credentials']);
    const count = element.shadowRoot!.querySelector('[data-id="row-count"]')!;
    expect(count.getAttribute('aria-live')).toBe('polite');
  });

  it('shows each status as an icon coloured by its meaning, with alternative text', async () => {
    const { element } = await mount();

    const status = (key: string) => {
      const r = rowByKey(element, key);
      return [r.statusIcon, r.statusVariant, r.statusAlternativeText];
    };
    expect(status('a01000000000001AAA')).toEqual(['utility:success', 'success', 'Confirmed']);
    expect(status('a01000000000002AAA')).toEqual(['utility:warning', 'warning', 'Pending confirmation']);
    expect(status('a01000000000003AAA')).toEqual(['utility:toggle_off', null, 'Inactive (last status: Confirmed)']);
    expect(status('a01000000000004AAA')).toEqual(['utility:error', 'error', 'Failed']);
    expect(status('005000000000004AAA')).toEqual([null, null, 'No credential']);
    expect(rowByKey(element, 'a01000000000001AAA').userLogin).toBe('ada@example.com.invalid / ada@example.com');
    expect(rowByKey(element, 'a01000000000002AAA').userLogin).toBe('ben@example.com');
  });

  it('offers only the row actions that apply', async () => {
    const { element } = await mount();

    expect(actionsOf(element, 'a01000000000001AAA')).toEqual(['Add API Credential', 'Deactivate']);
    expect(actionsOf(element, 'a01000000000002AAA')).toEqual([
      'Add API Credential',
      'Make Default',
      'Deactivate',
      'Confirm',
    ]);
    expect(actionsOf(element, 'a01000000000003AAA')).toEqual(['Add API Credential', 'Activate']);
    expect(actionsOf(element, 'a01000000000004AAA')).toEqual([
      'Add API Credential',
      'Make Default',
      'Deactivate',
      'Confirm',
    ]);
    expect(actionsOf(element, '005000000000004AAA')).toEqual(['Add API Credential']);
  });

  it('searches on the server once typing pauses', async () => {
    jest.useFakeTimers();
    const { element } = await mount();
    mockGetRows.mockResolvedValue(clone(SEARCH_PAGE));

    const search = element.shadowRoot!.querySelector('lightning-input[data-id="search"]')!;
    for (const value of ['s', 'sa', 'sales']) {
      search.dispatchEvent(new CustomEvent('change', { detail: { value } }));
      jest.advanceTimersByTime(100);
    }
    expect(mockGetRows).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(300);
    await flush();

    expect(mockGetRows).toHaveBeenCalledTimes(2);
    expect(mockGetRows).toHaveBeenLastCalledWith({ searchTerm: 'sales', pageSize: 50, afterCursor: null });
    expect(table(element).data.map((r) => r.key)).toEqual(['a01000000000002AAA']);
    expect(table(element).enableInfiniteLoading).toBe(false);
  });

  it('says when nothing matches the search', async () => {
    jest.useFakeTimers();
    const { element } = await mount();
    mockGetRows.mockResolvedValue({ rows: [], hasMore: false, nextCursor: null, searchTruncated: false });

    element
      .shadowRoot!.querySelector('lightning-input[data-id="search"]')!
      .dispatchEvent(new CustomEvent('change', { detail: { value: 'nobody' } }));
    jest.advanceTimersByTime(300);
    await flush();

    const empty = element.shadowRoot!.querySelector('[data-id="empty"]')!;
    expect(empty.textContent).toBe('No user or credential matches "nobody".');
    expect(empty.getAttribute('role')).toBe('status');
  });

  it('says when a search matches more credentials than the server considers, until the search is refined', async () => {
    jest.useFakeTimers();
    const { element } = await mount();
    const notice = (): HTMLElement | null => alertOf(element, 'notice');
    const search = element.shadowRoot!.querySelector('lightning-input[data-id="search"]')!;
    expect(notice()).toBeNull();

    mockGetRows.mockResolvedValue(clone(TRUNCATED_PAGE));
    search.dispatchEvent(new CustomEvent('change', { detail: { value: 'acme' } }));
    jest.advanceTimersByTime(300);
    await flush();

    expect(mockGetRows).toHaveBeenLastCalledWith({ searchTerm: 'acme', pageSize: 50, afterCursor: null });
    expect(notice()!.textContent).toBe(
      'More than 2,000 credentials match this search by Auth Id or inbox, so some users may not be listed. Refine your search.',
    );
    expect(notice()!.getAttribute('role')).toBe('status');
    expect(table(element).data.map((r) => r.key)).toEqual(['a01000000000001AAA', 'a01000000000002AAA']);

    mockGetRows.mockResolvedValue({ ...clone(SECOND_PAGE), searchTruncated: false, notice: null });
    table(element).dispatchEvent(new CustomEvent('loadmore'));
    await flush();
    expect(notice()).not.toBeNull();

    mockGetRows.mockResolvedValue(clone(SEARCH_PAGE));
    search.dispatchEvent(new CustomEvent('change', { detail: { value: 'acme-sales' } }));
    jest.advanceTimersByTime(300);
    await flush();

    expect(mockGetRows).toHaveBeenLastCalledWith({ searchTerm: 'acme-sales', pageSize: 50, afterCursor: null });
    expect(notice()).toBeNull();
  });

  it('loads the next page when the table scrolls to the end', async () => {
    const { element } = await mount();
    expect(table(element).enableInfiniteLoading).toBe(true);
    mockGetRows.mockResolvedValue(clone(SECOND_PAGE));

    table(element).dispatchEvent(new CustomEvent('loadmore'));
    await flush();

    expect(mockGetRows).toHaveBeenLastCalledWith({
      searchTerm: null,
      pageSize: 50,
      afterCursor: '005000000000004AAAJane Roe',
    });
    expect(table(element).data).toHaveLength(7);
    expect(table(element).enableInfiniteLoading).toBe(false);
    expect(rowByKey(element, '005000000000005AAA').userLabel).toBe('Kim Gone (inactive user)');
    expect(actionsOf(element, '005000000000005AAA')).toEqual(['Add API Credential (disabled)']);

    table(element).dispatchEvent(new CustomEvent('loadmore'));
    await flush();
    expect(mockGetRows).toHaveBeenCalledTimes(2);
  });

  it('turns a Pending row into Confirmed by itself, without a reload', async () => {
    jest.useFakeTimers();
    mockGetStatuses.mockResolvedValueOnce([clone(FIRST_PAGE.rows[1])]).mockResolvedValue(clone(CONFIRMED));
    const { element, changes } = await mount();
    expect(element.shadowRoot!.querySelector('[data-id="awaiting"]')!.textContent).toContain(
      'Waiting for Avochato to confirm 1 credential',
    );

    jest.advanceTimersByTime(2000);
    await flush();
    expect(mockGetStatuses).toHaveBeenCalledWith({ credentialIds: ['a01000000000002AAA'] });
    expect(rowByKey(element, 'a01000000000002AAA').statusLabel).toBe('Pending');

    jest.advanceTimersByTime(3000);
    await flush();
    const row = rowByKey(element, 'a01000000000002AAA');
    expect(row.statusLabel).toBe('Confirmed');
    expect(row.statusIcon).toBe('utility:success');
    expect(row.statusMessage).toBe('Ben Pending (acme-sales)');
    expect(element.shadowRoot!.querySelector('[data-id="awaiting"]')).toBeNull();
    expect(changes).toHaveLength(1);
    expect(mockGetRows).toHaveBeenCalledTimes(1);

    jest.advanceTimersByTime(60000);
    await flush();
    expect(mockGetStatuses).toHaveBeenCalledTimes(2);
  });

  it('stops waiting when a reload already brings the answer', async () => {
    jest.useFakeTimers();
    const { element } = await mount();
    expect(element.shadowRoot!.querySelector('[data-id="awaiting"]')).not.toBeNull();
    const page = clone(FIRST_PAGE);
    page.rows[1] = clone(CONFIRMED[0]);
    mockGetRows.mockResolvedValue(page);

    element.shadowRoot!.querySelector<HTMLElement>('lightning-button[data-id="refresh"]')!.click();
    await flush();

    expect(rowByKey(element, 'a01000000000002AAA').statusLabel).toBe('Confirmed');
    expect(element.shadowRoot!.querySelector('[data-id="awaiting"]')).toBeNull();
    jest.advanceTimersByTime(60000);
    await flush();
    expect(mockGetStatuses).not.toHaveBeenCalled();
  });

  it('adds a credential through the modal and explains the background confirmation', async () => {
    jest.useFakeTimers();
    mockOpen.mockResolvedValue({ rows: clone(CREATED), authId: 'FAKE-AUTH-NEW', makeDefault: true });
    const { element, toasts, changes } = await mount();

    rowAction(element, 'add_credential', '005000000000004AAA');
    await flush();

    expect(mockOpen).toHaveBeenCalledWith(
      expect.objectContaining({
        size: 'small',
        label: 'Add API Credential',
        userId: '005000000000004AAA',
        userName: 'Jane Roe',
      }),
    );
    const jane = table(element).data.filter((r) => r.userId === '005000000000004AAA');
    expect(jane.map((r) => [r.authId, r.statusLabel, r.isDefault])).toEqual([['FAKE-AUTH-NEW', 'Pending', true]]);
    expect(rowByKey(element, 'a01000000000001AAA').isDefault).toBe(false);
    expect(toasts).toHaveLength(1);
    expect(toasts[0].variant).toBe('success');
    expect(toasts[0].title).toBe('Credential created');
    expect(toasts[0].message).toContain('confirms it in the background');
    expect(toasts[0].message).toContain('from Pending to Confirmed or Failed here by itself');
    expect(changes).toHaveLength(1);
    expect(element.shadowRoot!.querySelector('[data-id="awaiting"]')!.textContent).toContain('2 credentials');
  });

  it('does nothing when the modal is cancelled', async () => {
    mockOpen.mockResolvedValue(undefined);
    const { element, toasts } = await mount();

    rowAction(element, 'add_credential', '005000000000004AAA');
    await flush();

    expect(toasts).toHaveLength(0);
    expect(table(element).data).toHaveLength(5);
  });

  it('makes a credential the default and clears the previous default', async () => {
    const ben = clone(FIRST_PAGE.rows.slice(1, 3));
    ben[0].isDefault = true;
    mockMakeDefault.mockResolvedValue(ben);
    const { element, toasts } = await mount();

    rowAction(element, 'make_default', 'a01000000000002AAA');
    await flush();

    expect(mockMakeDefault).toHaveBeenCalledWith({ credentialId: 'a01000000000002AAA' });
    expect(rowByKey(element, 'a01000000000002AAA').isDefault).toBe(true);
    expect(rowByKey(element, 'a01000000000001AAA').isDefault).toBe(false);
    expect(toasts[0]).toEqual(expect.objectContaining({ title: 'Default credential changed', variant: 'success' }));
  });

  it('deactivates and activates credentials', async () => {
    const deactivated = clone(FIRST_PAGE.rows[0]);
    deactivated.isActive = false;
    deactivated.isDefault = false;
    mockSetActive.mockResolvedValueOnce([deactivated]);
    const { element, toasts } = await mount();

    rowAction(element, 'deactivate', 'a01000000000001AAA');
    await flush();
    expect(mockSetActive).toHaveBeenCalledWith({ credentialId: 'a01000000000001AAA', active: false });
    expect(rowByKey(element, 'a01000000000001AAA').statusLabel).toBe('Inactive');
    expect(actionsOf(element, 'a01000000000001AAA')).toEqual(['Add API Credential', 'Activate']);
    expect(toasts[0].title).toBe('Credential deactivated');

    const reactivated = clone(FIRST_PAGE.rows.slice(1, 3));
    reactivated[1].isActive = true;
    reactivated[0].isActive = false;
    mockSetActive.mockResolvedValueOnce(reactivated);
    rowAction(element, 'activate', 'a01000000000003AAA');
    await flush();
    expect(mockSetActive).toHaveBeenLastCalledWith({ credentialId: 'a01000000000003AAA', active: true });
    expect(toasts[1].title).toBe('Credential activated');
    expect(rowByKey(element, 'a01000000000003AAA').isActive).toBe(true);
  });

  it('confirms a failed credential and follows it until the new answer arrives', async () => {
    jest.useFakeTimers();
    const cy = clone(FIRST_PAGE.rows[3]);
    mockConfirm.mockResolvedValue({
      queued: 1,
      jobId: '707000000000001AAA',
      requestedAt: '2026-11-23T09:30:00.400Z',
      rows: [cy],
    });
    const stale = { ...cy };
    const answered = {
      ...cy,
      status: 'Confirmed' as const,
      statusMessage: 'Cy (acme)',
      lastModified: '2026-11-23T09:30:03.000Z',
    };
    const { element, toasts } = await mount();

    rowAction(element, 'confirm', 'a01000000000004AAA');
    await flush();
    expect(mockConfirm).toHaveBeenCalledWith({ credentialIds: ['a01000000000004AAA'] });
    expect(rowByKey(element, 'a01000000000004AAA').statusLabel).toBe('Pending');
    expect(toasts[0].title).toBe('Confirmation started');

    // the old Failed answer (older than the request) does not count
    mockGetStatuses.mockResolvedValue([stale]);
    jest.advanceTimersByTime(2000);
    await flush();
    expect(rowByKey(element, 'a01000000000004AAA').statusLabel).toBe('Pending');

    mockGetStatuses.mockResolvedValue([answered]);
    jest.advanceTimersByTime(3000);
    await flush();
    expect(rowByKey(element, 'a01000000000004AAA').statusLabel).toBe('Confirmed');
  });

  it('shows an Apex error as a message instead of the table', async () => {
    mockGetRows.mockRejectedValue({
      body: { message: 'You need the Avochato Admin permission set to view or change Avochato API credentials.' },
    });
    const { element } = await mount();

    expect(alertOf(element, 'error')!.textContent).toContain('You need the Avochato Admin permission set');
    expect(table(element).data).toEqual([]);
  });

  it('reports a failed action in an error toast', async () => {
    mockMakeDefault.mockRejectedValue({ body: { message: 'Default: the credential is inactive.' } });
    mockConfirm.mockRejectedValue(new Error('Network down'));
    mockGetRows
      .mockResolvedValueOnce(clone(FIRST_PAGE))
      .mockRejectedValueOnce({ body: { message: 'Query timed out' } });
    const { element, toasts } = await mount();

    rowAction(element, 'make_default', 'a01000000000002AAA');
    await flush();
    rowAction(element, 'confirm', 'a01000000000002AAA');
    await flush();
    table(element).dispatchEvent(new CustomEvent('loadmore'));
    await flush();

    expect(toasts.map((t) => [t.variant, t.title, t.message])).toEqual([
      ['error', 'The change was not saved', 'Default: the credential is inactive.'],
      ['error', 'Could not confirm the credential', 'Network down'],
      ['error', 'Could not load more users', 'Query timed out'],
    ]);
    expect(table(element).enableInfiniteLoading).toBe(false);
  });

  it('reloads from the first page on refresh', async () => {
    const { element } = await mount();

    element.shadowRoot!.querySelector<HTMLElement>('lightning-button[data-id="refresh"]')!.click();
    await flush();
    await (element as HTMLElement & { refresh(): Promise<void> }).refresh();

    expect(mockGetRows).toHaveBeenCalledTimes(3);
  });
});
