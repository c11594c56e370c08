/** The JSON the server puts in window.__LOCAL_ORG__ (mirrors web/org-context.ts). */
export interface LocalOrgContextJson {
  userId: string;
  username: string;
  name: string;
  orgId: string;
  accessToken: string;
  customPermissions: string[];
  toastMs: number;
  tabApiName: string;
}
