/**
 * Runs the conformance @IsTest classes (scripts/localorg/conformance/testclasses) through LocalOrgApi.runTest and
 * checks each method's outcome against testclasses/expected.json (default: Pass). A method expected to fail
 * names the exact Message, or a prefix with "messageStartsWith".
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { LocalOrgApi, TestMethodResult } from '../core/org-api.js';
import { UnsupportedFeature } from '../core/errors.js';

export interface TestExpectation {
  outcome: 'Pass' | 'Fail';
  message?: string;
  messageStartsWith?: string;
}

export interface TestCheck {
  name: string; // 'Class.method'
  ok: boolean;
  problem?: string;
  result?: TestMethodResult;
}

export function testClassNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cls'))
    .map((f) => f.slice(0, -4))
    .sort();
}

export function loadExpectations(dir: string): Record<string, TestExpectation> {
  const file = path.join(dir, 'expected.json');
  if (!existsSync(file)) return {};
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, TestExpectation | string>;
  const out: Record<string, TestExpectation> = {};
  for (const [k, v] of Object.entries(raw)) if (!k.startsWith('//') && typeof v !== 'string') out[k.toLowerCase()] = v;
  return out;
}

export function checkResult(name: string, r: TestMethodResult, exp: TestExpectation): TestCheck {
  if (r.outcome !== exp.outcome)
    return {
      name,
      ok: false,
      result: r,
      problem: `expected ${exp.outcome}, got ${r.outcome}${r.message ? `: ${r.message}` : ''}${r.stackTrace ? `\n    ${r.stackTrace}` : ''}`,
    };
  const msg = r.message ?? '';
  if (exp.message !== undefined && msg !== exp.message)
    return { name, ok: false, result: r, problem: `message differs\n- ${exp.message}\n+ ${msg}` };
  if (exp.messageStartsWith !== undefined && !msg.startsWith(exp.messageStartsWith))
    return {
      name,
      ok: false,
      result: r,
      problem: `message does not start with the expected text\n- ${exp.messageStartsWith}\n+ ${msg}`,
    };
  return { name, ok: true, result: r };
}

export function runConformanceTests(org: LocalOrgApi, dir: string, filter?: string): TestCheck[] {
  const wanted = new Set(testClassNames(dir).map((n) => n.toLowerCase()));
  const expectations = loadExpectations(dir);
  const listed = org.listTests().filter((t) => wanted.has(t.className.toLowerCase()));
  const checks: TestCheck[] = [];
  for (const cls of wanted) {
    if (!listed.some((t) => t.className.toLowerCase() === cls))
      checks.push({
        name: cls,
        ok: false,
        problem: 'test class not found by LocalOrgApi.listTests() (not loaded from extraSourceDirs?)',
      });
  }
  for (const t of listed) {
    for (const m of t.methods) {
      const name = `${t.className}.${m}`;
      if (filter && !name.toLowerCase().includes(filter.toLowerCase())) continue;
      const exp = expectations[name.toLowerCase()] ?? { outcome: 'Pass' };
      try {
        checks.push(checkResult(name, org.runTest(t.className, m), exp));
      } catch (e) {
        // An unsupported feature fails the method with its message, as the test runner reports it (run-tests.ts).
        if (e instanceof UnsupportedFeature) {
          const r = { className: t.className, methodName: m, outcome: 'Fail', message: e.message, stackTrace: null };
          checks.push(checkResult(name, { ...r, timeMs: 0 } as TestMethodResult, exp));
          continue;
        }
        checks.push({
          name,
          ok: false,
          problem: `runTest threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        });
      }
    }
  }
  for (const key of Object.keys(expectations)) {
    if (
      !checks.some((c) => c.name.toLowerCase() === key) &&
      (!filter || key.includes(filter.toLowerCase())) &&
      listed.length
    )
      checks.push({
        name: key,
        ok: false,
        problem: 'expected.json names a test method that listTests() does not report',
      });
  }
  return checks;
}
