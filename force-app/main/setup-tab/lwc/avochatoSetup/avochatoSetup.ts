/**
 * The "Avochato Setup" tab: Essentials (health, confirm all pending, how-to) and Advanced (every user and
 * their credentials). Users without the Avochato_Manage_Credentials custom permission get an explanation
 * instead; the controller enforces the same permission on every call.
 */
import { LightningElement } from 'lwc';
import canManageCredentials from '@salesforce/customPermission/Avochato_Manage_Credentials';

interface RefreshableChild extends HTMLElement {
  refresh(): Promise<void>;
}

export default class AvochatoSetup extends LightningElement {
  activeTab = 'essentials';

  get hasPermission(): boolean {
    return !!canManageCredentials;
  }

  handleTabActive(event: Event): void {
    const tab = event.target as HTMLElement & { value: string };
    this.activeTab = tab.value;
  }

  /** A child changed credentials: the other tab, when rendered, shows fresh figures. */
  handleCredentialsChange(event: Event): void {
    const source = event.target as HTMLElement;
    const others = [...(this.template?.querySelectorAll<RefreshableChild>('[data-refreshable]') ?? [])].filter(
      (el) => el !== source,
    );
    for (const other of others) {
      other.refresh();
    }
  }

  /** Essentials asks to see the datatable (e.g. from its "Open the credentials table" button). */
  handleShowAdvanced(): void {
    this.activeTab = 'advanced';
  }
}
