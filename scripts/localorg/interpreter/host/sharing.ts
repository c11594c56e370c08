/**
 * Record sharing of the code running now (the database's `sharingEnforced` hook): whether SOQL and DML in system mode
 * apply the running user's record sharing. USER_MODE operations always do (the database handles that).
 *
 * Rules for classes saved at API 66.0 and earlier (the project's classes are 62.0), Apex Developer Guide, "Use the
 * with sharing, without sharing, and inherited sharing Keywords" and "Apex Security and Sharing Model":
 * - the sharing setting of the class where a method is defined applies, not that of the calling class; it covers
 *   initialisers, constructors, methods and property accessors;
 * - `with sharing` enforces sharing, `without sharing` does not;
 * - `inherited sharing` runs in the caller's mode; as the entry point of a transaction (Aura/REST/invocable entry,
 *   queueable execute, test method) it runs with sharing;
 * - no keyword: the caller's mode stays in effect; as the entry point it runs without sharing;
 * - a class without a keyword takes the setting of its superclass; inner classes do not take their outer class's;
 * - anonymous Apex runs with sharing; triggers run without sharing (they cannot declare a keyword);
 * - inside System.runAs the new user's record sharing is enforced regardless of the test class's mode (Apex Developer
 *   Guide, "Using the runAs Method"); methods called there follow their own class's setting.
 * (API 67.0 changes the default of classes without a keyword to with sharing; not modelled: no class here is 67.0.)
 */
import type { ClassInfo } from '../classes/class-info.js';
import type { Interpreter } from '../eval/interpreter.js';

type Keyword = 'with' | 'without' | 'inherited' | undefined;

/** The declared keyword of a class, else its superclass's (nearest first). */
function keywordOf(c: ClassInfo): Keyword {
  for (let x: ClassInfo | null = c; x; x = x.superClass) {
    const k = x.decl?.mods.sharing;
    if (k) return k;
  }
  return undefined;
}

/** Per interpreter: frame indexes where a new entry point starts, and frames running a System.runAs block. */
interface SharingMarks {
  entries: Set<number>;
  runAs: Map<number, number>;
}

const marks = new WeakMap<Interpreter, SharingMarks>();

function marksOf(interp: Interpreter): SharingMarks {
  let m = marks.get(interp);
  if (!m) marks.set(interp, (m = { entries: new Set(), runAs: new Map() }));
  return m;
}

/** Runs `fn` as a new entry point (a job Test.stopTest runs): the frames it pushes do not inherit the caller's mode. */
export function asEntryPoint<T>(interp: Interpreter, fn: () => T): T {
  const m = marksOf(interp);
  const at = interp.frames.length;
  const had = m.entries.has(at);
  m.entries.add(at);
  try {
    return fn();
  } finally {
    if (!had) m.entries.delete(at);
  }
}

/** Runs `fn` (a System.runAs block) with sharing enforced for the frame running the block. */
export function inRunAsBlock<T>(interp: Interpreter, fn: () => T): T {
  const m = marksOf(interp);
  const at = interp.frames.length - 1;
  m.runAs.set(at, (m.runAs.get(at) ?? 0) + 1);
  try {
    return fn();
  } finally {
    const n = m.runAs.get(at)! - 1;
    if (n) m.runAs.set(at, n);
    else m.runAs.delete(at);
  }
}

/** Whether the innermost frame runs with sharing, computed from the entry point down the call stack. */
export function sharingEnforced(interp: Interpreter): boolean {
  const m = marks.get(interp);
  const frames = interp.frames;
  let mode: boolean | undefined;
  for (let i = 0; i < frames.length; i++) {
    if (m?.entries.has(i)) mode = undefined;
    const f = frames[i];
    if (f.cls) {
      switch (keywordOf(f.cls)) {
        case 'with':
          mode = true;
          break;
        case 'without':
          mode = false;
          break;
        case 'inherited':
          mode = mode ?? true;
          break;
        default:
          mode = mode ?? false;
      }
    } else if (f.label.startsWith('Trigger.')) mode = false;
    else if (f.label === 'AnonymousBlock') mode = true;
    if (m?.runAs.has(i)) mode = true;
  }
  return mode ?? false;
}
