/**
 * The lookup table of native classes. Kept free of imports (beyond types) so core/ops.ts can consult it
 * without an import cycle; stdlib/index.ts fills it.
 */
import type { NativeClass } from '../core/runtime.js';

const byName = new Map<string, NativeClass>();
const all: NativeClass[] = [];
/** findNativeClass by the name as written (the interpreter asks for the same few names millions of times). */
const byExactName = new Map<string, NativeClass | null>();

function norm(name: string): string {
  return name.trim().toLowerCase();
}

export function registerNativeClass(cls: NativeClass): void {
  all.push(cls);
  byExactName.clear();
  const names = [cls.name, ...(cls.aliases ?? [])];
  // 'String' is also reachable as 'System.String'; 'Schema.SObjectType' also as 'SObjectType' only when aliased.
  if (!cls.name.includes('.')) names.push(`System.${cls.name}`);
  for (const n of names) {
    const k = norm(n);
    if (!byName.has(k)) byName.set(k, cls);
  }
}

/** Lower-cased namespaces of dotted native class names ('cache', 'connectapi', 'database', ...). */
export function isNativeNamespace(name: string): boolean {
  const k = norm(name);
  return all.some((c) => c.name.includes('.') && norm(c.name.slice(0, c.name.indexOf('.'))) === k);
}

/** Case-insensitive lookup by name or alias ('string', 'System.String', 'Database.SaveResult'). */
export function findNativeClass(name: string): NativeClass | undefined {
  let c = byExactName.get(name);
  if (c === undefined) byExactName.set(name, (c = byName.get(norm(name)) ?? null));
  return c ?? undefined;
}

export function registeredNativeClasses(): NativeClass[] {
  return all;
}
