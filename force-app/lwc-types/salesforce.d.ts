/**
 * Types for the `@salesforce/*` scoped modules the Avochato Setup components import that
 * @salesforce/lightning-types 0.8 does not describe (it does describe `@salesforce/user/Id`).
 */

declare module '@salesforce/customPermission/*' {
  /** True when the running user has the custom permission (through a permission set or profile). */
  const hasPermission: boolean;
  export default hasPermission;
}

declare module '@salesforce/apex' {
  // eslint-disable-next-line @lwc/lwc/no-disallowed-lwc-imports -- a type-only import, erased at compile time
  import type { WireAdapterConstructor } from 'lwc';

  /**
   * An `@AuraEnabled` Apex method imported from `@salesforce/apex/Class.method`: call it imperatively
   * (`method(params)` returns a Promise) or, when it is cacheable, `@wire` it (the object carries `adapter`).
   */
  export type ApexMethod<Params extends object, Result> = ((params?: Params) => Promise<Result>) & {
    adapter: WireAdapterConstructor<Params, Result>;
  };

  /** The value an `@wire` of an Apex method provides. */
  export interface WiredApexResult<Result> {
    data?: Result;
    error?: unknown;
  }

  export function refreshApex(wiredValue: unknown): Promise<void>;
}
