/**
 * "Add API Credential": Auth Id, Auth Secret (masked), Avochato Inbox, Default Credential. Validates before
 * sending, creates the credential through the controller, and forgets the secret as soon as it was submitted
 * (success or not). Resolves `open()` with the user's rows after the change, or undefined when cancelled.
 */
import { api } from 'lwc';
import LightningModal from 'lightning/modal';
import type { LightningInputElement } from 'lightning/input';
import createCredential from '@salesforce/apex/AvochatoSetupController.createCredential';
import { errorText, type CredentialRowDto } from 'c/avochatoSetupUtils';

export const AUTH_ID_MAX = 80;
export const AUTH_SECRET_MAX = 255;
export const INBOX_MAX = 255;

export interface CreateCredentialResult {
  rows: CredentialRowDto[];
  authId: string;
  makeDefault: boolean;
}

export default class AvochatoCredentialModal extends LightningModal {
  /** The Salesforce user who will send with the credential. */
  @api userId = '';
  @api userName = '';

  authId = '';
  inbox = '';
  makeDefault = false;
  saving = false;
  errorMessage: string | null = null;
  fieldErrors: string[] = [];

  /** Kept out of any reactive or rendered state; cleared after every submit and when the modal goes away. */
  private secret = '';

  get authIdMax(): number {
    return AUTH_ID_MAX;
  }

  get secretMax(): number {
    return AUTH_SECRET_MAX;
  }

  get inboxMax(): number {
    return INBOX_MAX;
  }

  get heading(): string {
    return this.userName ? `Add API Credential for ${this.userName}` : 'Add API Credential';
  }

  get hasFieldErrors(): boolean {
    return this.fieldErrors.length > 0;
  }

  disconnectedCallback(): void {
    this.clearSecret();
  }

  handleChange(event: Event): void {
    const input = event.target as LightningInputElement;
    const detail = (event as CustomEvent<{ value?: string; checked?: boolean }>).detail ?? {};
    switch (input.name) {
      case 'authId':
        this.authId = detail.value ?? input.value ?? '';
        break;
      case 'authSecret':
        this.secret = detail.value ?? input.value ?? '';
        break;
      case 'inbox':
        this.inbox = detail.value ?? input.value ?? '';
        break;
      case 'makeDefault':
        this.makeDefault = detail.checked ?? input.checked ?? false;
        break;
      default:
        break;
    }
    input.setCustomValidity('');
  }

  /** Field errors, in form order; also set on each lightning-input so it shows its own message. */
  private validate(): string[] {
    const problems: [string, string][] = [];
    const authId = this.authId.trim();
    const inbox = this.inbox.trim();
    if (!authId) problems.push(['authId', 'Enter the Auth Id.']);
    else if (authId.length > AUTH_ID_MAX)
      problems.push(['authId', `The Auth Id can have at most ${AUTH_ID_MAX} characters.`]);
    else if (/\s/.test(authId)) problems.push(['authId', 'The Auth Id cannot contain spaces.']);
    if (!this.secret) problems.push(['authSecret', 'Enter the Auth Secret.']);
    else if (this.secret.length > AUTH_SECRET_MAX)
      problems.push(['authSecret', `The Auth Secret can have at most ${AUTH_SECRET_MAX} characters.`]);
    if (inbox.length > INBOX_MAX) problems.push(['inbox', `The inbox can have at most ${INBOX_MAX} characters.`]);

    for (const input of this.template?.querySelectorAll<LightningInputElement>('lightning-input') ?? []) {
      const problem = problems.find(([name]) => name === input.name);
      input.setCustomValidity(problem ? problem[1] : '');
      input.reportValidity();
    }
    return problems.map(([, message]) => message);
  }

  async handleCreate(): Promise<void> {
    if (this.saving) return;
    this.errorMessage = null;
    this.fieldErrors = this.validate();
    if (this.fieldErrors.length) return;

    const authId = this.authId.trim();
    const params = {
      userId: this.userId,
      authId,
      authSecret: this.secret,
      inbox: this.inbox.trim() || null,
      makeDefault: this.makeDefault,
    };
    this.clearSecret();
    this.saving = true;
    this.disableClose = true;
    try {
      const rows = await createCredential(params);
      this.disableClose = false;
      const result: CreateCredentialResult = { rows, authId, makeDefault: params.makeDefault };
      await this.close(result);
    } catch (err) {
      // The controller never echoes the secret; should anything on the way do so, it is masked here too.
      const text = errorText(err);
      const message = params.authSecret ? text.split(params.authSecret).join('********') : text;
      this.errorMessage = `${message} Enter the Auth Secret again to retry.`;
    } finally {
      params.authSecret = '';
      this.saving = false;
      this.disableClose = false;
    }
  }

  handleCancel(): void {
    this.clearSecret();
    this.close(undefined);
  }

  private clearSecret(): void {
    this.secret = '';
    const input = this.template?.querySelector<LightningInputElement>('lightning-input[data-id="authSecret"]');
    if (input) input.value = '';
  }
}
