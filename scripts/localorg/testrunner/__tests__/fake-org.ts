/** A scripted LocalOrgApi for the test runner's tests: tests and their outcomes are given up front. */
import { ApexId, SObjectValue } from '../../core/values.js';
import type { CoverageInfo, LocalOrgApi, TestMethodResult } from '../../core/org-api.js';
import type { SchemaApi } from '../../core/runtime.js';

export interface FakeTest {
  className: string;
  methodName: string;
  outcome?: 'Pass' | 'Fail';
  message?: string;
  stackTrace?: string;
  throws?: Error;
}

function notUsed(name: string): never {
  throw new Error(`fake org: ${name} is not used by the test runner`);
}

export function fakeOrg(tests: FakeTest[], coverage: CoverageInfo[] = []): LocalOrgApi & { ran: string[] } {
  const ran: string[] = [];
  const schema = {} as SchemaApi;
  return {
    ran,
    schema,
    orgId: new ApexId('00D000000000001AAA'),
    runAnonymous: () => notUsed('runAnonymous'),
    invokeAura: () => notUsed('invokeAura'),
    invokeRest: () => notUsed('invokeRest'),
    listInvocableActions: () => [],
    invokeInvocable: () => notUsed('invokeInvocable'),
    runQueuedJobs: () => 0,
    pendingJobs: () => 0,
    listTests() {
      const byClass = new Map<string, string[]>();
      for (const t of tests) byClass.set(t.className, [...(byClass.get(t.className) ?? []), t.methodName]);
      return [...byClass.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([className, methods]) => ({ className, methods: methods.sort() }));
    },
    runTest(className: string, methodName: string): TestMethodResult {
      const t = tests.find((x) => x.className === className && x.methodName === methodName);
      if (!t) throw new Error(`fake org: no test ${className}.${methodName}`);
      ran.push(`${className}.${methodName}`);
      if (t.throws) throw t.throws;
      const outcome = t.outcome ?? 'Pass';
      return {
        className,
        methodName,
        outcome,
        message: outcome === 'Pass' ? null : (t.message ?? 'System.AssertException: Assertion Failed'),
        stackTrace: outcome === 'Pass' ? null : (t.stackTrace ?? `Class.${className}.${methodName}: line 3, column 1`),
        timeMs: 2,
      };
    },
    coverage: () => coverage,
    insertRecords: () => [],
    query(soql: string) {
      if (/FROM User/i.test(soql)) {
        const u = new SObjectValue('User');
        u.setRaw('Username', 'admin@fake.org');
        return [u];
      }
      return [];
    },
  };
}
