/**
 * lightning/navigation for the local page: NavigationMixin (Navigate, GenerateUrl) and the CurrentPageReference
 * wire adapter, with Lightning Experience's URL forms (/lightning/n/<tab>, /lightning/r/<object>/<id>/view, ...).
 */
export interface PageReference {
  type: string;
  attributes?: Record<string, unknown>;
  state?: Record<string, string | undefined>;
}

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

function withState(path: string, state: PageReference['state']): string {
  const q = new URLSearchParams();
  // Keep the local page's viewing user when navigating inside the app.
  const as = new URLSearchParams(window.location.search).get('as');
  if (as) q.set('as', as);
  for (const [k, v] of Object.entries(state ?? {})) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function urlFor(ref: PageReference): string {
  const a = (ref.attributes ?? {}) as Record<string, string | undefined>;
  switch (ref.type) {
    case 'standard__navItemPage':
      return withState(`/lightning/n/${a.apiName}`, ref.state);
    case 'standard__recordPage':
      return withState(
        `/lightning/r/${a.objectApiName ?? 'sObject'}/${a.recordId}/${a.actionName ?? 'view'}`,
        ref.state,
      );
    case 'standard__objectPage':
      return withState(`/lightning/o/${a.objectApiName}/${a.actionName ?? 'home'}`, ref.state);
    case 'standard__recordRelationshipPage':
      return withState(
        `/lightning/r/${a.objectApiName ?? 'sObject'}/${a.recordId}/related/${a.relationshipApiName}/view`,
        ref.state,
      );
    case 'standard__webPage':
      return String(a.url ?? '/');
    case 'standard__namedPage':
      return withState(`/lightning/page/${a.pageName}`, ref.state);
    default:
      throw new Error(`Navigation to a "${ref.type}" page reference is not supported by the local org`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin accepts any constructor
type Constructor = new (...args: any[]) => object;

function mixin<T extends Constructor>(Base: T): T {
  return class extends Base {
    [Navigate](ref: PageReference, replace?: boolean): void {
      const url = urlFor(ref);
      if (replace) window.location.replace(url);
      else window.location.assign(url);
    }
    [GenerateUrl](ref: PageReference): Promise<string> {
      try {
        return Promise.resolve(urlFor(ref));
      } catch (err) {
        return Promise.reject(err);
      }
    }
  };
}

export const NavigationMixin = Object.assign(mixin, { Navigate, GenerateUrl });

/** The page reference of the current URL. */
export function currentPageReference(): PageReference {
  const state: Record<string, string> = {};
  new URLSearchParams(window.location.search).forEach((v, k) => {
    if (k !== 'as') state[k] = v;
  });
  const p = window.location.pathname;
  const tab = /^\/lightning\/n\/([^/]+)/.exec(p);
  if (tab) return { type: 'standard__navItemPage', attributes: { apiName: tab[1] }, state };
  const rec = /^\/lightning\/r\/([^/]+)\/([^/]+)\/([^/]+)/.exec(p);
  if (rec)
    return {
      type: 'standard__recordPage',
      attributes: { objectApiName: rec[1], recordId: rec[2], actionName: rec[3] },
      state,
    };
  return { type: 'standard__webPage', attributes: { url: window.location.href }, state };
}

export class CurrentPageReference {
  constructor(private readonly dataCallback: (ref: PageReference) => void) {}
  connect(): void {
    this.dataCallback(currentPageReference());
  }
  update(): void {}
  disconnect(): void {}
}
