/**
 * Lightning (Aura / LWC) calls of `@AuraEnabled` static methods: `@salesforce/apex/Class.method`.
 *
 * Rules (Apex Developer Guide, "AuraEnabled Annotation"; LWC Developer Guide, "Call Apex Methods"):
 * - only static, public or global methods annotated `@AuraEnabled` are callable; anything else answers as an
 *   unknown action (the platform does not tell the two apart). API 55.0+ forbids overloads of such methods, so the
 *   name picks the method (case-insensitive, like every Apex name).
 * - parameters are matched by declared name; a missing one is null; JSON values become the declared types, Apex
 *   objects through their `@AuraEnabled` members. A value that does not fit gives "Value provided is invalid for
 *   action parameter 'x' of type 'T'".
 * - `@AuraEnabled(cacheable=true)` methods run read-only: any DML is `System.LimitException: Too many DML
 *   statements: 1` (the DML statement limit is 0 in that context).
 * - each call is its own transaction as the calling user; it commits when the method returns, rolls back when it
 *   throws.
 * - the user needs access to the class (profile or permission set `classAccesses`, see class-access.ts), else
 *   "You do not have access to the Apex class named 'X'." and nothing runs.
 * - errors: an AuraHandledException reaches the client with the message it was created with (or set with
 *   setMessage); any other exception with its own message and type name (error.body.message / exceptionType).
 */
import type { ApexErrorInfo, InvokeResult } from '../../core/org-api.js';
import type { ApexId, ApexValue } from '../../core/values.js';
import { Limits } from '../../database/limits.js';
import type { LocalOrg } from '../../org.js';
import type { MethodDecl } from '../ast.js';
import type { ClassInfo } from '../classes/class-info.js';
import { invoke } from '../eval/calls.js';
import { annotation, annotationFlag, apexToJson, jsonToApex } from './apex-json.js';
import { auraClassDenied, mayRunApexClass } from './class-access.js';
import { platformError } from '../../core/errors.js';

export const NOT_EXPOSED_TYPE = 'System.NoAccessException';

function findAuraMethod(
  org: LocalOrg,
  className: string,
  methodName: string,
): { cls: ClassInfo; m: MethodDecl } | null {
  const cls = org.reg.classes.get(className.toLowerCase());
  if (!cls || cls.isTest) return null;
  const m = (cls.methods.get(methodName.toLowerCase()) ?? []).find(
    (x) =>
      x.mods.isStatic &&
      (x.mods.access === 'public' || x.mods.access === 'global') &&
      annotation(x.mods, 'auraenabled') !== undefined,
  );
  return m ? { cls, m } : null;
}

/** The client's view of an error: AuraHandledException keeps the message it was given. */
export function auraError(e: ApexErrorInfo & { clientMessage?: string }): ApexErrorInfo {
  const aura = e.typeName === 'System.AuraHandledException';
  let message = aura && e.clientMessage !== undefined ? e.clientMessage : e.message;
  if (!message) message = `An internal server error has occurred (${e.typeName}).`;
  const out: ApexErrorInfo = { typeName: e.typeName, message, stackTrace: e.stackTrace };
  if (e.line !== undefined) out.line = e.line;
  return out;
}

function paramValue(params: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(params, name)) return params[name];
  const l = name.toLowerCase();
  const k = Object.keys(params).find((x) => x.toLowerCase() === l);
  return k === undefined ? null : params[k];
}

export function invokeAura(
  org: LocalOrg,
  className: string,
  methodName: string,
  params: Record<string, unknown>,
  asUserId: ApexId,
): InvokeResult {
  const found = findAuraMethod(org, className, methodName);
  if (!found) {
    return {
      ok: false,
      error: {
        typeName: NOT_EXPOSED_TYPE,
        message: `Unable to find action '${methodName}' on the controller of ${className}: no static @AuraEnabled method of that name.`,
        stackTrace: '',
      },
      debug: [],
    };
  }
  const { cls, m } = found;
  const cacheable = annotationFlag(annotation(m.mods, 'auraenabled'), 'cacheable');
  const r = org.runTransaction(asUserId, (rt, interp) => {
    rt.quiddity = 'AURA';
    if (!mayRunApexClass(rt, cls.name)) throw platformError('System.NoAccessException', auraClassDenied(cls.name));
    if (cacheable && rt.limits instanceof Limits) rt.limits.max.dmlStatements = 0;
    const args: ApexValue[] = m.params.map((p) => {
      const t = interp.resolveTypeRefIn(p.type, m, cls);
      return jsonToApex(rt, interp, paramValue(params ?? {}, p.name), t, 'aura', `action parameter '${p.name}'`);
    });
    interp.ensureStatic(cls);
    const ret = invoke(interp, m, cls, null, args);
    if (!m.returnType || m.returnType.name.toLowerCase() === 'void') return null;
    return apexToJson(rt, interp, ret, 'aura');
  });
  if (r.ok) return r;
  return { ok: false, error: auraError(r.error), debug: r.debug };
}
