/**
 * Shows `lightning__showtoast` events as SLDS toasts at the top of the page, as Lightning Experience does:
 * dismissible and pester toasts close by themselves, sticky ones stay until closed; {0}, {1} in the message are
 * replaced from messageData (links for {url, label}).
 */
import { SHOW_TOAST_EVENT_NAME, type ToastConfig } from './platform-show-toast-event.js';
import { orgContext } from './org-context.js';

const ICONS: Record<string, string> = { info: 'info', success: 'success', warning: 'warning', error: 'error' };

function messageNodes(message: string, data: ToastConfig['messageData']): Node[] {
  const parts = message.split(/(\{\d+\})/);
  return parts.map((part) => {
    const m = /^\{(\d+)\}$/.exec(part);
    const item = m && data ? data[Number(m[1])] : undefined;
    if (item === undefined) return document.createTextNode(part);
    if (typeof item === 'string') return document.createTextNode(item);
    const a = document.createElement('a');
    a.href = item.url;
    a.textContent = item.label;
    return a;
  });
}

export function showToast(config: ToastConfig, container: HTMLElement): HTMLElement {
  const variant = config.variant ?? 'info';
  const mode = config.mode ?? 'dismissible';
  const toast = document.createElement('div');
  toast.className = `slds-notify slds-notify_toast slds-theme_${variant}`;
  toast.setAttribute('role', variant === 'error' ? 'alert' : 'status');
  toast.dataset.variant = variant;

  const assistive = document.createElement('span');
  assistive.className = 'slds-assistive-text';
  assistive.textContent = variant;
  toast.appendChild(assistive);

  const icon = document.createElement('span');
  icon.className = `slds-icon_container slds-icon-utility-${ICONS[variant]} slds-m-right_small slds-no-flex slds-align-top`;
  icon.innerHTML = `<svg class="slds-icon slds-icon_small" aria-hidden="true"><use href="/slds/icons/utility-sprite/svg/symbols.svg#${ICONS[variant]}"></use></svg>`;
  toast.appendChild(icon);

  const content = document.createElement('div');
  content.className = 'slds-notify__content';
  const title = document.createElement('h2');
  title.className = 'slds-text-heading_small';
  title.textContent = config.title;
  content.appendChild(title);
  if (config.message) {
    const p = document.createElement('p');
    for (const n of messageNodes(config.message, config.messageData)) p.appendChild(n);
    content.appendChild(p);
  }
  toast.appendChild(content);

  const close = document.createElement('div');
  close.className = 'slds-notify__close';
  const button = document.createElement('button');
  button.className = 'slds-button slds-button_icon slds-button_icon-inverse';
  button.title = 'Close';
  button.innerHTML = `<svg class="slds-button__icon slds-button__icon_large" aria-hidden="true"><use href="/slds/icons/utility-sprite/svg/symbols.svg#close"></use></svg><span class="slds-assistive-text">Close</span>`;
  button.addEventListener('click', () => toast.remove());
  close.appendChild(button);
  if (mode !== 'pester') toast.appendChild(close);

  container.appendChild(toast);
  if (mode !== 'sticky') setTimeout(() => toast.remove(), orgContext().toastMs);
  return toast;
}

export function installToastHost(container: HTMLElement): void {
  document.addEventListener(SHOW_TOAST_EVENT_NAME, (event) => {
    const detail = (event as CustomEvent<ToastConfig>).detail;
    if (detail) showToast(detail, container);
  });
}
