/**
 * Jest stand-in for `lightning/modal` (sfdx-lwc-jest has no stub for it), mapped in jest.config.js.
 * A test decides what `open()` resolves with (`jest.mocked(MyModal.open).mockResolvedValue(...)`), and can mount
 * a modal subclass like any component: `close(result)` records the result and fires a `close` event.
 * Plain JavaScript without decorators, so that any ESLint parser reads it.
 */
import { LightningElement } from 'lwc';

export default class LightningModal extends LightningElement {
  static open = jest.fn().mockResolvedValue(undefined);

  disableClose = false;
  closedWith = undefined;

  close(result) {
    this.closedWith = result;
    this.dispatchEvent(new CustomEvent('close', { detail: result }));
    return Promise.resolve();
  }
}
