/**
 * The "Avochato Setup" tab: Essentials (health, confirm all pending, how-to) and Advanced (every user and
 * their credentials). Users without the Avochato_Manage_Credentials custom permission get an explanation
 * instead; the controller enforces the same permission on every call.
 *
 * The first paint shows Essentials only, so the Advanced tab's table (and the datatable, inputs and modal it brings)
 * is not part of this component's static imports: it is imported dynamically once the tab has rendered, and shown
 * with <lwc:component lwc:is> (LWC Developer Guide, "Dynamically Instantiate Components": the bundle declares the
 * lightning__dynamicComponent capability, API version 55.0 or later, and the org must use Lightning Web Security).
 */
import { LightningElement } from 'lwc';
import canManageCredentials from '@salesforce/customPermission/Avochato_Manage_Credentials';
import { errorText } from 'c/avochatoSetupUtils';

interface RefreshableChild extends HTMLElement {
  refresh(): Promise<void>;
}

/** The Advanced tab's component, loaded once per page (every instance of the tab shares it). */
let credentialTable: Promise<typeof LightningElement> | null = null;

/** Imports the credentials table (a string-literal specifier: statically analysable, as the platform requires). */
function loadCredentialTable(): Promise<typeof LightningElement> {
  credentialTable ??= import('c/avochatoCredentialTable').then((m) => m.default as typeof LightningElement);
  // A failed import (e.g. the network) is tried again the next time the tab asks for it.
  credentialTable.catch(() => (credentialTable = null));
  return credentialTable;
}

export default class AvochatoSetup extends LightningElement {
  activeTab = 'essentials';
  /** The credentials table's constructor once loaded (undefined: still loading, or failed). */
  credentialTableCtor: typeof LightningElement | undefined;
  /** Why the credentials table could not load, or null. */
  credentialTableError: string | null = null;
  private loadStarted = false;

  get hasPermission(): boolean {
    return !!canManageCredentials;
  }

  get credentialTableLoading(): boolean {
    return !this.credentialTableCtor && !this.credentialTableError;
  }

  renderedCallback(): void {
    if (this.loadStarted || !this.hasPermission) return;
    this.loadStarted = true;
    // After the first paint: the table's code is not on the Essentials tab's critical path, yet is usually there
    // before the admin opens Advanced.
    // eslint-disable-next-line @lwc/lwc/no-async-operation -- defer past the first paint
    setTimeout(() => this.loadTable(), 0);
  }

  private async loadTable(): Promise<void> {
    this.credentialTableError = null;
    try {
      this.credentialTableCtor = await loadCredentialTable();
    } catch (err) {
      this.credentialTableError = errorText(err);
    }
  }

  handleTabActive(event: Event): void {
    const tab = event.target as HTMLElement & { value: string };
    this.activeTab = tab.value;
    if (tab.value === 'advanced' && this.credentialTableError) this.loadTable();
  }

  handleRetryTable(): void {
    this.loadTable();
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
