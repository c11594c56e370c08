/**
 * Behaviour of the local Lightning-like page around the tab's component: toasts, the App Launcher (finds
 * "Avochato Setup" by name), the "View as" user menu, and uncaught errors shown the way Lightning shows them
 * (an error toast) and kept in window.__LOCAL_ERRORS__ for the end-to-end tests.
 */
import { installToastHost, showToast } from './toast-host.js';

declare global {
  interface Window {
    __LOCAL_ERRORS__?: string[];
  }
}

function wireAppLauncher(): void {
  const button = document.getElementById('local-app-launcher');
  const panel = document.getElementById('local-app-launcher-panel');
  const input = document.getElementById('local-app-launcher-search') as HTMLInputElement | null;
  if (!button || !panel || !input) return;
  const items = Array.from(panel.querySelectorAll<HTMLElement>('[data-launcher-item]'));
  const filter = (): void => {
    const q = input.value.trim().toLowerCase();
    for (const item of items) item.hidden = q !== '' && !(item.dataset.launcherItem ?? '').toLowerCase().includes(q);
  };
  button.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) input.focus();
  });
  input.addEventListener('input', filter);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !panel.hidden) {
      panel.hidden = true;
      button.setAttribute('aria-expanded', 'false');
    }
  });
}

function wireUserSwitcher(): void {
  const select = document.getElementById('local-view-as') as HTMLSelectElement | null;
  select?.addEventListener('change', () => {
    const url = new URL(window.location.href);
    url.searchParams.set('as', select.value);
    window.location.assign(url.toString());
  });
}

function reportErrors(container: HTMLElement): void {
  window.__LOCAL_ERRORS__ = [];
  const report = (text: string): void => {
    window.__LOCAL_ERRORS__!.push(text);
    showToast({ title: 'Unexpected error', message: text, variant: 'error', mode: 'sticky' }, container);
  };
  window.addEventListener('error', (e) => report(e.message || String(e.error)));
  window.addEventListener('unhandledrejection', (e) => {
    const r = e.reason as { body?: { message?: string }; message?: string } | undefined;
    report(r?.body?.message ?? r?.message ?? String(e.reason));
  });
}

export function startShell(mount: (root: HTMLElement) => void): void {
  const toasts = document.getElementById('local-toasts')!;
  installToastHost(toasts);
  reportErrors(toasts);
  wireAppLauncher();
  wireUserSwitcher();
  mount(document.getElementById('local-root')!);
  document.body.dataset.ready = 'true';
}
