/**
 * Advanced: the Avochato API Credentials Data Table. One row per (user, credential), users without one shown
 * once; server-side search (debounced) and infinite loading, so large orgs open fast, with the server's notice when
 * a search matches more credentials than it considers; a row menu offering only the actions that apply; Pending
 * rows turn Confirmed or Failed by themselves (polling while any is pending).
 */
import { LightningElement, api } from 'lwc';
import type { Column, LoadMoreTarget, RowAction, RowActionEventDetail } from 'lightning/datatable';
import { ShowToastEvent, type ToastConfig } from 'lightning/platformShowToastEvent';
import getRows from '@salesforce/apex/AvochatoSetupController.getRows';
import getStatuses from '@salesforce/apex/AvochatoSetupController.getStatuses';
import makeDefault from '@salesforce/apex/AvochatoSetupController.makeDefault';
import setActive from '@salesforce/apex/AvochatoSetupController.setActive';
import confirm from '@salesforce/apex/AvochatoSetupController.confirm';
import AvochatoCredentialModal, { type CreateCredentialResult } from 'c/avochatoCredentialModal';
import {
  ACTION_ACTIVATE,
  ACTION_ADD,
  ACTION_CONFIRM,
  ACTION_DEACTIVATE,
  ACTION_MAKE_DEFAULT,
  StatusPoller,
  errorText,
  isAwaitingConfirmation,
  rowActionsFor,
  toTableRow,
  type CredentialRow,
  type CredentialRowDto,
} from 'c/avochatoSetupUtils';

/** Users per request; a user with several credentials gives several rows. */
export const PAGE_SIZE = 50;
export const SEARCH_DELAY_MS = 300;
/** Most credential ids sent in one getStatuses call. */
const STATUS_BATCH = 200;

/** Whether a settled row is the answer to a confirmation asked at `since` (ms; null: any answer counts). */
function isAnswerSince(dto: CredentialRowDto, since: number | null): boolean {
  return since === null || (!!dto.lastModified && Date.parse(dto.lastModified) >= since);
}

export default class AvochatoCredentialTable extends LightningElement {
  rows: CredentialRow[] = [];
  searchTerm = '';
  hasMore = false;
  loading = false;
  loadingMore = false;
  busy = false;
  error: string | null = null;
  /** The server's notice about the current search (more credentials match than it considers), or null. */
  notice: string | null = null;
  /** How many credentials the table waits on (mirrors `watched`, which is not reactive). */
  awaitingCount = 0;

  readonly columns: Column<CredentialRow>[] = [
    {
      label: 'Status',
      fieldName: 'statusLabel',
      // c-avochato-status-datatable's type: the icon's colour says the status too (success, warning, error)
      type: 'status',
      initialWidth: 140,
      hideDefaultActions: true,
      typeAttributes: {
        iconName: { fieldName: 'statusIcon' },
        variant: { fieldName: 'statusVariant' },
        alternativeText: { fieldName: 'statusAlternativeText' },
      },
    },
    { label: 'User', fieldName: 'userLabel', hideDefaultActions: true },
    { label: 'Username / Email', fieldName: 'userLogin', hideDefaultActions: true },
    { label: 'Inbox', fieldName: 'inbox', hideDefaultActions: true },
    { label: 'Auth Id', fieldName: 'authId', hideDefaultActions: true },
    { label: 'Default', fieldName: 'isDefault', type: 'boolean', initialWidth: 90, hideDefaultActions: true },
    { label: 'Active', fieldName: 'isActive', type: 'boolean', initialWidth: 80, hideDefaultActions: true },
    {
      label: 'Last Confirmed',
      fieldName: 'confirmedAt',
      type: 'date',
      hideDefaultActions: true,
      typeAttributes: { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' },
    },
    { label: 'Message', fieldName: 'statusMessage', wrapText: true, hideDefaultActions: true },
    {
      type: 'action',
      typeAttributes: {
        rowActions: (row: CredentialRow, done: (actions: RowAction[]) => void) => done(rowActionsFor(row)),
        menuAlignment: 'auto',
      },
    },
  ];

  private cursor: string | null = null;
  /** Guards against a slow, older response overwriting a newer search. */
  private requestSeq = 0;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  /** Credentials waiting for confirmation -> time (ms) after which a settled status counts (null: any). */
  private readonly watched = new Map<string, number | null>();
  private readonly poller = new StatusPoller(() => this.pollStatuses());

  connectedCallback(): void {
    this.loadFirstPage();
  }

  disconnectedCallback(): void {
    this.poller.stop();
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
  }

  /** Reloads from the first page, keeping the search (the container calls this after Essentials changed data). */
  @api
  async refresh(): Promise<void> {
    await this.loadFirstPage();
  }

  get isEmpty(): boolean {
    return !this.loading && !this.error && this.rows.length === 0;
  }

  get emptyMessage(): string {
    return this.searchTerm ? `No user or credential matches "${this.searchTerm}".` : 'No users found.';
  }

  get awaitingMessage(): string {
    const n = this.awaitingCount;
    return `Waiting for Avochato to confirm ${n} credential${n === 1 ? '' : 's'}; the status updates by itself.`;
  }

  get rowCountLabel(): string {
    const users = new Set(this.rows.map((r) => r.userId)).size;
    return `${users} user${users === 1 ? '' : 's'}, ${this.rows.length} row${this.rows.length === 1 ? '' : 's'}${this.hasMore ? ', scroll for more' : ''}`;
  }

  handleSearchChange(event: Event): void {
    const detail = (event as CustomEvent<{ value?: string }>).detail;
    const value = (detail?.value ?? (event.target as HTMLInputElement).value ?? '').trim();
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation -- debounce: one server search after typing pauses
    this.searchTimer = setTimeout(() => {
      this.searchTimer = null;
      if (value !== this.searchTerm) {
        this.searchTerm = value;
        this.loadFirstPage();
      }
    }, SEARCH_DELAY_MS);
  }

  handleRefresh(): void {
    this.loadFirstPage();
  }

  private async loadFirstPage(): Promise<void> {
    const seq = ++this.requestSeq;
    this.loading = true;
    try {
      const page = await getRows({ searchTerm: this.searchTerm || null, pageSize: PAGE_SIZE, afterCursor: null });
      if (seq !== this.requestSeq) return;
      this.rows = page.rows.map(toTableRow);
      this.cursor = page.nextCursor ?? null;
      this.hasMore = page.hasMore && !!page.nextCursor;
      this.notice = page.notice ?? null;
      this.error = null;
      this.watchAwaiting(page.rows);
    } catch (err) {
      if (seq !== this.requestSeq) return;
      this.rows = [];
      this.hasMore = false;
      this.notice = null;
      this.error = errorText(err);
    } finally {
      if (seq === this.requestSeq) this.loading = false;
    }
  }

  async handleLoadMore(event: Event): Promise<void> {
    if (!this.hasMore || this.loadingMore || this.loading || !this.cursor) return;
    const target = event.target as LoadMoreTarget | null;
    const seq = this.requestSeq;
    this.loadingMore = true;
    if (target) target.isLoading = true;
    try {
      const page = await getRows({
        searchTerm: this.searchTerm || null,
        pageSize: PAGE_SIZE,
        afterCursor: this.cursor,
      });
      if (seq !== this.requestSeq) return;
      const known = new Set(this.rows.map((r) => r.key));
      this.rows = [...this.rows, ...page.rows.filter((r) => !known.has(r.key)).map(toTableRow)];
      this.cursor = page.nextCursor ?? null;
      this.hasMore = page.hasMore && !!page.nextCursor;
      if (page.notice) this.notice = page.notice;
      this.watchAwaiting(page.rows);
    } catch (err) {
      this.hasMore = false;
      this.toast({ title: 'Could not load more users', message: errorText(err), variant: 'error' });
    } finally {
      this.loadingMore = false;
      if (target) target.isLoading = false;
    }
  }

  async handleRowAction(event: CustomEvent<RowActionEventDetail<CredentialRow>>): Promise<void> {
    const { action, row } = event.detail;
    switch (action.name) {
      case ACTION_ADD:
        await this.addCredential(row);
        break;
      case ACTION_MAKE_DEFAULT:
        await this.runAction(
          () => makeDefault({ credentialId: row.credentialId as string }),
          'Default credential changed',
          `${row.authId} (${row.fullName}) is now the default credential.`,
        );
        break;
      case ACTION_DEACTIVATE:
      case ACTION_ACTIVATE: {
        const active = action.name === ACTION_ACTIVATE;
        await this.runAction(
          () => setActive({ credentialId: row.credentialId as string, active }),
          active ? 'Credential activated' : 'Credential deactivated',
          active ? `${row.authId} can be used again.` : `${row.authId} is no longer used to send messages.`,
        );
        break;
      }
      case ACTION_CONFIRM:
        await this.confirmRow(row);
        break;
      default:
        break;
    }
  }

  private async addCredential(row: CredentialRow): Promise<void> {
    const result = await AvochatoCredentialModal.open<CreateCredentialResult>({
      size: 'small',
      label: 'Add API Credential',
      description: `A new Avochato API credential for ${row.fullName}`,
      userId: row.userId,
      userName: row.fullName,
    });
    if (!result) return;
    this.mergeRows(result.rows, [row.userId]);
    this.toast({
      title: 'Credential created',
      message: `${result.authId} was saved for ${row.fullName}${result.makeDefault ? ' as the default credential' : ''}. Avochato confirms it in the background: its status changes from Pending to Confirmed or Failed here by itself, usually within a minute.`,
      variant: 'success',
    });
    this.dispatchEvent(new CustomEvent('credentialschange'));
  }

  private async confirmRow(row: CredentialRow): Promise<void> {
    this.busy = true;
    try {
      const result = await confirm({ credentialIds: [row.credentialId as string] });
      const since = result.requestedAt ? Math.floor(Date.parse(result.requestedAt) / 1000) * 1000 : null;
      this.watched.set(row.credentialId as string, since);
      this.awaitingCount = this.watched.size;
      const rows = result.rows.map((r) => {
        const requested = r.credentialId === row.credentialId && r.status !== 'Pending';
        return requested ? { ...r, status: 'Pending' as const, statusMessage: 'Confirmation requested' } : r;
      });
      this.mergeRows(rows, [row.userId]);
      this.poller.start();
      this.toast({
        title: 'Confirmation started',
        message: `Avochato is checking ${row.authId} in the background; the status updates here by itself.`,
        variant: 'success',
      });
      this.dispatchEvent(new CustomEvent('credentialschange'));
    } catch (err) {
      this.toast({ title: 'Could not confirm the credential', message: errorText(err), variant: 'error' });
    } finally {
      this.busy = false;
    }
  }

  private async runAction(call: () => Promise<CredentialRowDto[]>, title: string, message: string): Promise<void> {
    this.busy = true;
    try {
      const rows = await call();
      this.mergeRows(rows, [...new Set(rows.map((r) => r.userId))]);
      this.toast({ title, message, variant: 'success' });
      this.dispatchEvent(new CustomEvent('credentialschange'));
    } catch (err) {
      this.toast({ title: 'The change was not saved', message: errorText(err), variant: 'error' });
    } finally {
      this.busy = false;
    }
  }

  /**
   * Replaces the rows of `userIds` with `dtos` where those users are shown, and mirrors the one-default rule
   * on the other rows (the server cleared the previous default).
   */
  private mergeRows(dtos: CredentialRowDto[], userIds: string[]): void {
    const byUser = new Map<string, CredentialRow[]>();
    for (const dto of dtos) {
      const list = byUser.get(dto.userId) ?? [];
      list.push(toTableRow(dto));
      byUser.set(dto.userId, list);
    }
    const newDefault = dtos.find((d) => d.isDefault && d.credentialId)?.credentialId ?? null;
    const replaced = new Set<string>();
    const next: CredentialRow[] = [];
    for (const row of this.rows) {
      if (userIds.includes(row.userId) && byUser.has(row.userId)) {
        if (!replaced.has(row.userId)) {
          next.push(...(byUser.get(row.userId) ?? []));
          replaced.add(row.userId);
        }
        continue;
      }
      next.push(
        newDefault && row.isDefault && row.credentialId !== newDefault ? toTableRow({ ...row, isDefault: false }) : row,
      );
    }
    this.rows = next;
    this.watchAwaiting(dtos);
  }

  /**
   * Starts polling for every credential that still waits for its confirmation, and stops watching those whose
   * answer arrived with the rows.
   */
  private watchAwaiting(dtos: CredentialRowDto[]): void {
    let added = false;
    for (const dto of dtos) {
      const id = dto.credentialId;
      if (!id) continue;
      if (isAwaitingConfirmation(dto)) {
        if (!this.watched.has(id)) {
          this.watched.set(id, null);
          added = true;
        }
      } else if (this.watched.has(id) && isAnswerSince(dto, this.watched.get(id) ?? null)) {
        this.watched.delete(id);
      }
    }
    this.awaitingCount = this.watched.size;
    if (added) this.poller.start();
  }

  /** One poll: reads the watched credentials' statuses, updates settled rows; true while any is left. */
  private async pollStatuses(): Promise<boolean> {
    const ids = [...this.watched.keys()].slice(0, STATUS_BATCH);
    if (!ids.length) return false;
    const dtos = await getStatuses({ credentialIds: ids });
    const byId = new Map(dtos.filter((d) => d.credentialId).map((d) => [d.credentialId as string, d]));
    const updates = new Map<string, CredentialRowDto>();
    for (const id of ids) {
      const dto = byId.get(id);
      if (!dto) {
        this.watched.delete(id);
        continue;
      }
      if (!isAwaitingConfirmation(dto) && isAnswerSince(dto, this.watched.get(id) ?? null)) {
        this.watched.delete(id);
        updates.set(id, dto);
      }
    }
    if (updates.size) {
      this.rows = this.rows.map((row) => {
        const dto = row.credentialId ? updates.get(row.credentialId) : undefined;
        return dto ? toTableRow(dto) : row;
      });
      this.dispatchEvent(new CustomEvent('credentialschange'));
    }
    this.awaitingCount = this.watched.size;
    return this.watched.size > 0;
  }

  private toast(config: ToastConfig): void {
    this.dispatchEvent(new ShowToastEvent(config));
  }
}
