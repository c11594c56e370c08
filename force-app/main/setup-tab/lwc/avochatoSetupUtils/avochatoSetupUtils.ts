/**
 * Shared by the Avochato Setup components: the controller's DTO types, how a credential's status is shown,
 * which row actions apply, turning Apex errors into sentences, and the status poller.
 */
import type { RowAction } from 'lightning/datatable';

import type { ConfirmResult, Health, Row, RowPage } from '@salesforce/apex/AvochatoSetupController';

// The controller's DTOs, generated from the Apex (`npm run gen:lwc-types`, force-app/lwc-types): never written here.
/** One row of AvochatoSetupController.getRows: a user with one credential, or a user without any. Never a secret. */
export type CredentialRowDto = Row;
/** One page of AvochatoSetupController.getRows. */
export type RowPageDto = RowPage;
/** What AvochatoSetupController.getHealth answers. */
export type HealthDto = Health;
/** What AvochatoSetupController.confirm and confirmAllPending answer. */
export type ConfirmResultDto = ConfirmResult;
export type CredentialStatus = NonNullable<Row['status']>;

/** A datatable row: the DTO plus what the status column and the user column display. */
export interface CredentialRow extends CredentialRowDto {
  statusLabel: string;
  statusIcon: string | null;
  statusVariant: StatusVariant;
  statusAlternativeText: string;
  userLabel: string;
  userLogin: string;
}

export const ACTION_ADD = 'add_credential';
export const ACTION_MAKE_DEFAULT = 'make_default';
export const ACTION_DEACTIVATE = 'deactivate';
export const ACTION_ACTIVATE = 'activate';
export const ACTION_CONFIRM = 'confirm';

/** The colour of a status icon, as `lightning-icon` variants give it (null: the default grey). */
export type StatusVariant = 'success' | 'warning' | 'error' | null;

export interface StatusPresentation {
  label: string;
  icon: string | null;
  /** Meaning in colour as well as in the icon's shape and the label: green, amber, red. */
  variant: StatusVariant;
  alternativeText: string;
}

/**
 * Pending = warning (amber), Confirmed = success check (green), Failed = error (red, a barred circle), inactive =
 * switched off (grey), none = no icon.
 */
export function statusPresentation(
  row: Pick<CredentialRowDto, 'credentialId' | 'isActive' | 'status'>,
): StatusPresentation {
  if (!row.credentialId) {
    return { label: 'No credential', icon: null, variant: null, alternativeText: 'No credential' };
  }
  if (!row.isActive) {
    return {
      label: 'Inactive',
      icon: 'utility:toggle_off',
      variant: null,
      alternativeText: `Inactive${row.status ? ` (last status: ${row.status})` : ''}`,
    };
  }
  switch (row.status) {
    case 'Confirmed':
      return { label: 'Confirmed', icon: 'utility:success', variant: 'success', alternativeText: 'Confirmed' };
    case 'Failed':
      return { label: 'Failed', icon: 'utility:error', variant: 'error', alternativeText: 'Failed' };
    default:
      return { label: 'Pending', icon: 'utility:warning', variant: 'warning', alternativeText: 'Pending confirmation' };
  }
}

export function toTableRow(dto: CredentialRowDto): CredentialRow {
  const status = statusPresentation(dto);
  const email = dto.email ?? '';
  const userLogin =
    !email || email.toLowerCase() === (dto.username ?? '').toLowerCase() ? dto.username : `${dto.username} / ${email}`;
  return {
    ...dto,
    statusLabel: status.label,
    statusIcon: status.icon,
    statusVariant: status.variant,
    statusAlternativeText: status.alternativeText,
    userLabel: dto.userActive === false ? `${dto.fullName} (inactive user)` : dto.fullName,
    userLogin,
  };
}

/** Only the actions that apply to the row, in menu order. */
export function rowActionsFor(row: CredentialRowDto): RowAction[] {
  // An inactive user cannot get a new credential (the service refuses it): shown, but disabled.
  const actions: RowAction[] = [{ label: 'Add API Credential', name: ACTION_ADD, disabled: row.userActive === false }];
  if (!row.credentialId) {
    return actions;
  }
  if (row.isActive && !row.isDefault) {
    actions.push({ label: 'Make Default', name: ACTION_MAKE_DEFAULT });
  }
  actions.push(
    row.isActive ? { label: 'Deactivate', name: ACTION_DEACTIVATE } : { label: 'Activate', name: ACTION_ACTIVATE },
  );
  if (row.isActive && row.status !== 'Confirmed') {
    actions.push({ label: 'Confirm', name: ACTION_CONFIRM });
  }
  return actions;
}

/** A credential whose confirmation is still to come: the table polls these. */
export function isAwaitingConfirmation(row: Pick<CredentialRowDto, 'credentialId' | 'isActive' | 'status'>): boolean {
  return !!row.credentialId && row.isActive && row.status === 'Pending';
}

interface ApexErrorBody {
  message?: string;
  pageErrors?: { message?: string }[];
  fieldErrors?: Record<string, { message?: string }[]>;
  output?: { errors?: { message?: string }[]; fieldErrors?: Record<string, { message?: string }[]> };
}

/**
 * Sentences for an error from an Apex call, LDS or JavaScript, without duplicates. Never a stack trace: the
 * controller sends admin-readable messages, and anything unrecognised becomes a generic sentence.
 */
export function reduceErrors(error: unknown): string[] {
  const errors = Array.isArray(error) ? error : [error];
  const messages: string[] = [];
  for (const err of errors) {
    if (!err) {
      continue;
    }
    if (typeof err === 'string') {
      messages.push(err);
      continue;
    }
    const body = (err as { body?: ApexErrorBody | ApexErrorBody[] }).body;
    const bodies = Array.isArray(body) ? body : body ? [body] : [];
    for (const b of bodies) {
      if (b.message) messages.push(b.message);
      for (const pe of b.pageErrors ?? []) if (pe.message) messages.push(pe.message);
      for (const list of Object.values(b.fieldErrors ?? {}))
        for (const fe of list) if (fe.message) messages.push(fe.message);
      for (const oe of b.output?.errors ?? []) if (oe.message) messages.push(oe.message);
      for (const list of Object.values(b.output?.fieldErrors ?? {}))
        for (const fe of list) if (fe.message) messages.push(fe.message);
    }
    if (!bodies.length && err instanceof Error && err.message) {
      messages.push(err.message);
    }
  }
  const unique = [...new Set(messages.map((m) => m.trim()).filter((m) => m))];
  return unique.length
    ? unique
    : ['Something went wrong. Try again, and ask your Salesforce administrator if it persists.'];
}

export function errorText(error: unknown): string {
  return reduceErrors(error).join(' ');
}

/** Delays between status polls: quick at first, as confirmation usually takes seconds, then every 30 s. */
export const POLL_DELAYS_MS = [2000, 3000, 5000, 8000, 13000, 20000, 30000];
/** Polling stops after this long without every credential settling; a refresh starts it again. */
export const POLL_MAX_MS = 10 * 60 * 1000;

/**
 * Runs `tick` repeatedly while it resolves to true, backing off along POLL_DELAYS_MS, for at most POLL_MAX_MS.
 * `start()` while running resets the back-off (new work to watch); `stop()` cancels.
 */
export class StatusPoller {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private startedAt = 0;
  private running = false;

  constructor(
    private readonly tick: () => Promise<boolean>,
    private readonly delays: number[] = POLL_DELAYS_MS,
    private readonly maxMs: number = POLL_MAX_MS,
  ) {}

  get active(): boolean {
    return this.timer !== null || this.running;
  }

  start(): void {
    this.attempt = 0;
    this.startedAt = Date.now();
    if (!this.running) {
      this.schedule();
    }
  }

  stop(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.startedAt = 0;
  }

  private schedule(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
    }
    const delay = this.delays[Math.min(this.attempt, this.delays.length - 1)];
    this.attempt++;
    // eslint-disable-next-line @lwc/lwc/no-async-operation -- polling the confirmation status is the purpose
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, delay);
  }

  private async run(): Promise<void> {
    this.running = true;
    let again = false;
    try {
      again = await this.tick();
    } catch {
      again = true;
    } finally {
      this.running = false;
    }
    if (again && this.startedAt && Date.now() - this.startedAt < this.maxMs) {
      this.schedule();
    }
  }
}
