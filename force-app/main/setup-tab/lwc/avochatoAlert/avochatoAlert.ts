/**
 * The Setup tab's inline messages, in the Lightning Design System's two forms: an error alert (`variant="error"`,
 * role alert, "Error" for screen readers) and a warning notification (`variant="warning"`, role status, with a
 * warning icon). The credentials table, the Essentials panel and the credential modal show their errors and notices
 * through it.
 */
import { LightningElement, api } from 'lwc';

export default class AvochatoAlert extends LightningElement {
  /** The text shown. */
  @api message = '';
  /** 'error' (an alert) or 'warning' (a status notification). */
  @api variant: 'error' | 'warning' = 'error';

  get isError(): boolean {
    return this.variant !== 'warning';
  }
}
