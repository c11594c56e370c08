/**
 * lightning/platformShowToastEvent for the local page: the same event the platform's container listens for
 * (`lightning__showtoast`, bubbling and composed). toast-host.ts shows it.
 */
export const SHOW_TOAST_EVENT_NAME = 'lightning__showtoast';

export interface ToastConfig {
  title: string;
  message?: string;
  messageData?: (string | { url: string; label: string })[];
  variant?: 'info' | 'success' | 'warning' | 'error';
  mode?: 'dismissible' | 'pester' | 'sticky';
}

export class ShowToastEvent extends CustomEvent<ToastConfig> {
  constructor(config: ToastConfig) {
    super(SHOW_TOAST_EVENT_NAME, { bubbles: true, composed: true, cancelable: true, detail: config });
  }
}
