/** Resolves `--class-names` and `--tests` against the org's test classes (case-insensitive, like Apex names). */
import { TestSelectionError } from './types.js';

export interface TestCatalogEntry {
  className: string;
  methods: string[];
}

export interface SelectedTest {
  className: string;
  methodName: string;
}

export function selectTests(
  catalog: TestCatalogEntry[],
  classNames: string[] = [],
  tests: string[] = [],
): SelectedTest[] {
  const byName = new Map(catalog.map((c) => [c.className.toLowerCase(), c]));
  const find = (name: string): TestCatalogEntry => {
    const c = byName.get(name.trim().toLowerCase());
    if (!c)
      throw new TestSelectionError(
        `No test class named '${name.trim()}' was found (test classes: ${catalog.map((x) => x.className).join(', ') || 'none'}).`,
      );
    return c;
  };
  const chosen: SelectedTest[] = [];
  const seen = new Set<string>();
  const add = (className: string, methodName: string): void => {
    const key = `${className}.${methodName}`.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    chosen.push({ className, methodName });
  };
  if (!classNames.length && !tests.length) {
    for (const c of catalog) for (const m of c.methods) add(c.className, m);
    return chosen;
  }
  for (const name of classNames) {
    const c = find(name);
    for (const m of c.methods) add(c.className, m);
  }
  for (const entry of tests) {
    const dot = entry.indexOf('.');
    if (dot < 0) {
      const c = find(entry);
      for (const m of c.methods) add(c.className, m);
      continue;
    }
    const c = find(entry.slice(0, dot));
    const wanted = entry
      .slice(dot + 1)
      .trim()
      .toLowerCase();
    const m = c.methods.find((x) => x.toLowerCase() === wanted);
    if (!m)
      throw new TestSelectionError(
        `No test method named '${entry.slice(dot + 1).trim()}' in test class '${c.className}' (methods: ${c.methods.join(', ') || 'none'}).`,
      );
    add(c.className, m);
  }
  return chosen;
}

/** Splits repeated, comma-separated flag values: ['A,B', 'C'] -> ['A', 'B', 'C']. */
export function splitList(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}
