/**
 * Essentials: is there an active, confirmed default credential; how many credentials per status; the running
 * user's own credentials; "Confirm all pending"; a short how-to. Re-reads the health while anything is pending.
 */
import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { NavigationMixin } from 'lightning/navigation';
import getHealth from '@salesforce/apex/AvochatoSetupController.getHealth';
import confirmAllPending from '@salesforce/apex/AvochatoSetupController.confirmAllPending';
import {
  StatusPoller,
  errorText,
  statusPresentation,
  type CredentialRowDto,
  type HealthDto,
} from 'c/avochatoSetupUtils';

interface DefaultSummary {
  icon: string;
  alternativeText: string;
  title: string;
  detail: string;
}

interface OwnCredential {
  key: string;
  authId: string;
  inbox: string;
  icon: string | null;
  statusLabel: string;
  alternativeText: string;
  isDefault: boolean;
  message: string;
}

export default class AvochatoSetupEssentials extends NavigationMixin(LightningElement) {
  health: HealthDto | null = null;
  error: string | null = null;
  loading = false;
  confirming = false;

  private readonly poller = new StatusPoller(() => this.poll());

  connectedCallback(): void {
    this.refresh();
  }

  disconnectedCallback(): void {
    this.poller.stop();
  }

  /** Re-reads the health (called by the container when the datatable changed something). */
  @api
  async refresh(): Promise<void> {
    this.loading = true;
    try {
      this.apply(await getHealth());
      this.error = null;
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.loading = false;
    }
  }

  private apply(health: HealthDto): void {
    this.health = health;
    if (health.pendingCount > 0) {
      if (!this.poller.active) this.poller.start();
    } else {
      this.poller.stop();
    }
  }

  /**
   * One poll: fresh figures only. It fires no `credentialschange`: nothing was changed here, and the datatable
   * follows its own Pending rows, so a reload of the table (back to its first page) would only lose the admin's place.
   */
  private async poll(): Promise<boolean> {
    const health = await getHealth();
    this.health = health;
    return health.pendingCount > 0;
  }

  get hasHealth(): boolean {
    return !!this.health;
  }

  get defaultSummary(): DefaultSummary | null {
    const h = this.health;
    if (!h) return null;
    const d = h.defaultCredential;
    if (!h.hasDefault || !d) {
      return {
        icon: 'utility:error',
        alternativeText: 'Error',
        title: 'No default credential',
        detail:
          'Flow actions, List View Broadcasting and Apex use the default credential when a user has none of their own. Open Advanced and choose "Make Default" on a confirmed credential.',
      };
    }
    const who = `${d.authId ?? ''} (${d.fullName}${d.inbox ? `, inbox ${d.inbox}` : ''})`;
    if (h.defaultConfirmed) {
      return {
        icon: 'utility:success',
        alternativeText: 'Confirmed',
        title: 'The default credential is confirmed',
        detail: who,
      };
    }
    return {
      icon: d.status === 'Failed' ? 'utility:error' : 'utility:warning',
      alternativeText: d.status === 'Failed' ? 'Failed' : 'Pending confirmation',
      title:
        d.status === 'Failed'
          ? 'The default credential failed confirmation'
          : 'The default credential is not confirmed yet',
      detail: `${who}${d.statusMessage ? `: ${d.statusMessage}` : ''}`,
    };
  }

  get counts(): { key: string; label: string; value: number; icon: string; alternativeText: string }[] {
    const h = this.health;
    if (!h) return [];
    return [
      {
        key: 'confirmed',
        label: 'Confirmed',
        value: h.confirmedCount,
        icon: 'utility:success',
        alternativeText: 'Confirmed',
      },
      { key: 'pending', label: 'Pending', value: h.pendingCount, icon: 'utility:warning', alternativeText: 'Pending' },
      { key: 'failed', label: 'Failed', value: h.failedCount, icon: 'utility:error', alternativeText: 'Failed' },
      {
        key: 'inactive',
        label: 'Inactive',
        value: h.inactiveCount,
        icon: 'utility:toggle_off',
        alternativeText: 'Inactive',
      },
    ];
  }

  get totalCount(): number {
    return this.health?.totalCount ?? 0;
  }

  get ownCredentials(): OwnCredential[] {
    return (this.health?.myCredentials ?? []).map((c: CredentialRowDto) => {
      const p = statusPresentation(c);
      return {
        key: c.key,
        authId: c.authId ?? '',
        inbox: c.inbox || 'its own inbox',
        icon: p.icon,
        statusLabel: p.label,
        alternativeText: p.alternativeText,
        isDefault: c.isDefault,
        message: c.statusMessage ?? '',
      };
    });
  }

  get hasOwnCredentials(): boolean {
    return this.ownCredentials.length > 0;
  }

  get confirmDisabled(): boolean {
    return this.confirming || !this.health || this.health.pendingCount === 0;
  }

  async handleConfirmAll(): Promise<void> {
    this.confirming = true;
    try {
      const result = await confirmAllPending();
      this.dispatchEvent(
        new ShowToastEvent(
          result.queued > 0
            ? {
                title: 'Confirmation started',
                message: `${result.queued} pending credential${result.queued === 1 ? ' is' : 's are'} being confirmed with Avochato in the background. Their status updates here by itself.`,
                variant: 'success',
              }
            : { title: 'Nothing to confirm', message: 'No active credential is pending.', variant: 'info' },
        ),
      );
      this.dispatchEvent(new CustomEvent('credentialschange'));
      await this.refresh();
      if (result.queued > 0) this.poller.start();
    } catch (err) {
      this.dispatchEvent(
        new ShowToastEvent({ title: 'Could not start confirmation', message: errorText(err), variant: 'error' }),
      );
    } finally {
      this.confirming = false;
    }
  }

  handleRefresh(): void {
    this.refresh();
  }

  handleShowAdvanced(): void {
    this.dispatchEvent(new CustomEvent('showadvanced'));
  }

  /** Setup > Apex Jobs lists the background confirmation jobs and their errors. */
  handleOpenApexJobs(): void {
    this[NavigationMixin.Navigate]({
      type: 'standard__webPage',
      attributes: { url: '/lightning/setup/AsyncApexJobs/home' },
    });
  }
}
