/**
 * Apex class security at entry points (Apex Developer Guide, "Class Security"): the platform checks that the running
 * user's profile or a permission set grants the top-level class (`classAccesses`) before it runs an `@AuraEnabled`
 * method, an Apex REST resource or an invocable action; classes that class calls are not checked. Users with Author
 * Apex (the System Administrator here) reach every class. The denial texts are the platform's:
 * - Lightning: "You do not have access to the Apex class named 'X'."
 * - Apex REST: 403 `[{"errorCode":"FORBIDDEN","message":"You do not have access to the Apex class named: X"}]`
 * - invocable actions (REST actions API and Flow): the REST form of the message.
 */
import type { Runtime } from '../../core/runtime.js';
import { platformError } from '../../core/errors.js';

interface ClassAccessApi {
  canRunApexClass(className: string): boolean;
}

function hasClassAccessApi(a: unknown): a is ClassAccessApi {
  return typeof (a as Partial<ClassAccessApi> | null)?.canRunApexClass === 'function';
}

/** Whether the transaction's running user may call an entry point of the class. */
export function mayRunApexClass(rt: Runtime, className: string): boolean {
  if (!hasClassAccessApi(rt.access)) {
    throw platformError('System.UnexpectedException', 'Unsupported feature: Apex class access of this org backend');
  }
  return rt.access.canRunApexClass(className);
}

export const auraClassDenied = (className: string): string =>
  `You do not have access to the Apex class named '${className}'.`;

export const restClassDenied = (className: string): string =>
  `You do not have access to the Apex class named: ${className}`;
