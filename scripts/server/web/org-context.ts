/**
 * What the page shell tells the browser-side platform modules about the viewing user (set by the server in
 * window.__LOCAL_ORG__ before the bundle loads).
 */
export interface LocalOrgContext {
  userId: string;
  username: string;
  name: string;
  orgId: string;
  /** Bearer token of the page's session (the org's OAuth server issued it for the viewing user). */
  accessToken: string;
  /** Custom permissions the viewing user holds. */
  customPermissions: string[];
  /** How long a dismissible toast stays (ms). */
  toastMs: number;
  /** The tab this page shows, e.g. 'Avochato_Setup'. */
  tabApiName: string;
}

declare global {
  interface Window {
    __LOCAL_ORG__?: LocalOrgContext;
  }
}

export function orgContext(): LocalOrgContext {
  const ctx = window.__LOCAL_ORG__;
  if (!ctx) throw new Error('window.__LOCAL_ORG__ is missing: the page must be served by `npm start`');
  return ctx;
}

export function hasCustomPermission(name: string): boolean {
  const lower = name.toLowerCase();
  return orgContext().customPermissions.some((p) => p.toLowerCase() === lower);
}
