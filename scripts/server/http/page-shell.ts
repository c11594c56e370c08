/**
 * The HTML of the local Lightning-like page: a global header ("View as" menu), the app's navigation bar
 * ("Avochato" app, "Avochato Setup" tab, App Launcher), the tab's root element and the toast container.
 */
import type { OrgUser } from '../org/user-directory.js';
import type { LocalOrgContext } from '../web/org-context.js';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface PageShellInput {
  context: LocalOrgContext;
  viewer: OrgUser;
  switchable: OrgUser[];
  tabLabel: string;
  tabApiName: string;
  appLabel: string;
  /** Body of the page when there is no component to mount (e.g. a record page). */
  staticBody?: string;
  /**
   * The page's module scripts (in the order they run), stylesheet and the chunks the scripts import statically
   * (content-hashed names from the build's manifest); defaults: unhashed names, no chunks.
   */
  assets?: { scripts: string[]; styles: string; preload?: string[] };
  /** Nonce of the inline script (the Content-Security-Policy allows only it). */
  nonce?: string;
}

export function pageShell(p: PageShellInput): string {
  const users = p.switchable.some((u) => u.id === p.viewer.id) ? p.switchable : [p.viewer, ...p.switchable];
  const options = users
    .map(
      (u) =>
        `<option value="${esc(u.username)}"${u.id === p.viewer.id ? ' selected' : ''}>${esc(u.name)} (${esc(u.username)})</option>`,
    )
    .join('');
  const waffle = Array.from({ length: 9 }, (_, i) => `<span class="slds-r${i + 1}"></span>`).join('');
  const as = `?as=${encodeURIComponent(p.viewer.username)}`;
  const json = JSON.stringify(p.context).replace(/</g, '\\u003c');
  const asset = (name: string): string => `/assets/${encodeURI(name)}`;
  const scripts = (p.assets?.scripts ?? ['setup-tab.js']).map(asset);
  const styles = asset(p.assets?.styles ?? 'shell.css');
  const mounts = p.staticBody === undefined;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.tabLabel)} | Salesforce (local org)</title>
<link rel="stylesheet" href="/slds/styles/salesforce-lightning-design-system.min.css">
<link rel="stylesheet" href="${styles}">
${mounts ? [...scripts, ...(p.assets?.preload ?? []).map(asset)].map((s) => `<link rel="modulepreload" href="${s}">`).join('\n') : ''}
<script${p.nonce ? ` nonce="${esc(p.nonce)}"` : ''}>window.__LOCAL_ORG__ = ${json};</script>
</head>
<body>
<div class="local-global-header">
  <div class="local-brand"><span>Salesforce</span><span class="local-brand__badge" title="An offline org run by npm start: not a Salesforce org">local org</span></div>
  <label class="local-view-as">View as
    <select id="local-view-as" class="slds-select" aria-label="View as user">${options}</select>
  </label>
</div>
<div class="slds-context-bar">
  <div class="slds-context-bar__primary">
    <div class="slds-context-bar__item slds-context-bar__dropdown-trigger slds-dropdown-trigger slds-dropdown-trigger_click slds-no-hover">
      <div class="slds-context-bar__icon-action">
        <button id="local-app-launcher" class="slds-button slds-icon-waffle_container slds-context-bar__button" title="App Launcher" aria-expanded="false">
          <span class="slds-icon-waffle">${waffle}</span><span class="slds-assistive-text">Open App Launcher</span>
        </button>
      </div>
      <span class="slds-context-bar__label-action slds-context-bar__app-name"><span class="slds-truncate" title="${esc(p.appLabel)}">${esc(p.appLabel)}</span></span>
    </div>
  </div>
  <nav class="slds-context-bar__secondary" role="navigation">
    <ul class="slds-grid">
      <li class="slds-context-bar__item slds-is-active">
        <a href="/lightning/n/${esc(p.tabApiName)}${as}" class="slds-context-bar__label-action" title="${esc(p.tabLabel)}">
          <span class="slds-assistive-text">Current Page:</span><span class="slds-truncate" title="${esc(p.tabLabel)}">${esc(p.tabLabel)}</span>
        </a>
      </li>
    </ul>
  </nav>
</div>
<div id="local-app-launcher-panel" class="slds-popover slds-popover_large slds-nubbin_top-left" role="dialog" aria-label="App Launcher" hidden>
  <div class="slds-popover__body">
    <div class="slds-form-element slds-m-bottom_small">
      <input id="local-app-launcher-search" class="slds-input" type="search" placeholder="Search apps and items..." aria-label="Search apps and items">
    </div>
    <ul class="slds-has-dividers_bottom-space">
      <li class="slds-item" data-launcher-item="${esc(p.tabLabel)}"><a href="/lightning/n/${esc(p.tabApiName)}${as}">${esc(p.tabLabel)}</a></li>
      <li class="slds-item" data-launcher-item="${esc(p.appLabel)}"><a href="/lightning/n/${esc(p.tabApiName)}${as}">${esc(p.appLabel)} (app)</a></li>
    </ul>
  </div>
</div>
<main class="local-page">
  <div id="local-root">${p.staticBody ?? ''}</div>
</main>
<div id="local-toasts" class="slds-notify_container" aria-live="polite"></div>
${mounts ? scripts.map((s) => `<script type="module" src="${s}"></script>`).join('\n') : ''}
</body>
</html>
`;
}
