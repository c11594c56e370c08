/** Entry points other than anonymous blocks and tests: Aura, REST, invocable actions (see aura.ts, rest.ts, invocable.ts). */
import type { LocalOrg } from '../../org.js';
import type { ApexId } from '../../core/values.js';
import type { InvocableActionInfo, InvokeResult, RestResponseInfo } from '../../core/org-api.js';
import { invokeAura } from './aura.js';
import { invokeRest } from './rest.js';
import { invokeInvocable, listInvocableActions } from './invocable.js';

export interface OrgInvokers {
  invokeAura(className: string, methodName: string, params: Record<string, unknown>, asUserId: ApexId): InvokeResult;
  invokeRest(
    req: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: string },
    asUserId: ApexId,
  ): RestResponseInfo;
  /** Each action also names its method (`methodName`: the platform's actionName for Apex actions). */
  listInvocableActions(): (InvocableActionInfo & { methodName: string })[];
  invokeInvocable(
    className: string,
    inputs: Record<string, unknown>[],
    asUserId: ApexId,
  ): InvokeResult<Record<string, unknown>[]>;
}

export function orgInvokers(org: LocalOrg): OrgInvokers {
  return {
    invokeAura: (className, methodName, params, asUserId) => invokeAura(org, className, methodName, params, asUserId),
    invokeRest: (req, asUserId) => invokeRest(org, req, asUserId),
    listInvocableActions: () => listInvocableActions(org),
    invokeInvocable: (className, inputs, asUserId) => invokeInvocable(org, className, inputs, asUserId),
  };
}
