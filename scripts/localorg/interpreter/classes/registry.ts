/**
 * All Apex code of the org: the project's classes and triggers (parsed once at load), the built-in exception
 * types, and coverage bookkeeping per file. Linking resolves superclasses and interfaces.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UnsupportedFeature } from '../../core/errors.js';
import { findNativeClass } from '../../stdlib/registry.js';
import type { TriggerDecl, TypeDecl } from '../ast.js';
import type { TypeRef as TypeRefLike } from '../../core/values.js';
import { parseClass, parseTrigger } from '../parse/parse.js';
import { BUILTIN_EXCEPTIONS, ClassInfo, type FileCoverage } from './class-info.js';
import { collectExecutableLines, collectTriggerLines } from './lines.js';

export interface TriggerInfo {
  decl: TriggerDecl;
  file: string;
  cov: FileCoverage;
  /** Why the trigger could not be loaded (a parse failure): firing it fails with this instead. */
  broken?: UnsupportedFeature;
}

/**
 * A class the local org could not load (its parser or linker stopped on it). Loading goes on without it (issue 12:
 * "fail late, not early"); code that reaches the class fails with this Unsupported feature (file and line), and each
 * test method of an unloadable test class fails with it.
 */
export interface UnloadedClass {
  name: string;
  file: string;
  error: UnsupportedFeature;
  /** Test methods found by their annotations in the source (the class may still be a test class). */
  testMethods: string[];
}

export class ClassRegistry {
  /** Top-level user classes by lower-cased name. */
  readonly classes = new Map<string, ClassInfo>();
  readonly builtins = new Map<string, ClassInfo>();
  readonly triggers: TriggerInfo[] = [];
  readonly files: FileCoverage[] = [];
  /** Source text and file of each top-level class as loaded (ApexClass.Body, ApiVersion from FILE-meta.xml). */
  readonly classSources = new Map<string, { name: string; src: string; file: string }>();
  readonly exceptionBase: ClassInfo;
  /** Classes that could not be loaded, by lower-cased name. */
  readonly unloaded = new Map<string, UnloadedClass>();

  constructor() {
    this.exceptionBase = new ClassInfo('Exception', 'class', null, null, 'Exception', true);
    this.exceptionBase.isException = true;
    this.exceptionBase.ancestors.add('exception');
    this.exceptionBase.ancestors.add('system.exception');
    for (const n of BUILTIN_EXCEPTIONS) this.builtinException(n);
  }

  /** The ClassInfo of a built-in exception type by full or short name, created on demand for unknown platform names. */
  builtinException(name: string, create = true): ClassInfo | undefined {
    const full = name.includes('.') ? name : `System.${name}`;
    const key = full.toLowerCase();
    let c = this.builtins.get(key);
    if (c || !create) return c;
    c = new ClassInfo(full, 'class', null, null, full, true);
    c.isException = true;
    c.superClass = this.exceptionBase;
    for (const a of this.exceptionBase.ancestors) c.ancestors.add(a);
    c.ancestors.add(key);
    this.builtins.set(key, c);
    if (key.startsWith('system.')) this.builtins.set(key.slice(7), c);
    return c;
  }

  /** Loads every class and trigger below the given package directories. */
  loadDirs(dirs: string[]): void {
    for (const dir of dirs) {
      for (const f of walk(dir)) {
        const src = f.endsWith('.cls') || f.endsWith('.trigger') ? fs.readFileSync(f, 'utf8') : null;
        if (src === null) continue;
        try {
          if (f.endsWith('.cls')) this.addClassSource(f, src);
          else this.addTriggerSource(f, src);
        } catch (e) {
          if (!(e instanceof UnsupportedFeature)) throw e;
          if (f.endsWith('.cls')) this.markUnloaded(path.basename(f, '.cls'), path.basename(f), src, e);
          else this.addBrokenTrigger(f, src, e);
        }
      }
    }
    this.linkLoaded();
  }

  private markUnloaded(name: string, file: string, src: string, cause: UnsupportedFeature): void {
    // "expecting {a, b, ...}" lists of the parser are cut: the file and line say where to look.
    const why = cause.feature.replace(/ expecting \{[^}]*\}/, '').replace(/^syntax error: /, 'syntax error: ');
    const error = new UnsupportedFeature(
      `class ${name}, which the local org could not load: ${why}`,
      cause.file ? path.basename(cause.file) : file,
      cause.line,
    );
    const testMethods: string[] = [];
    if (/@istest\b/i.test(src)) {
      const re = /(?:@istest\b[^;{}]*?|\btestmethod\b[^;{}]*?)\bvoid\s+(\w+)\s*\(/gi;
      for (let m = re.exec(src); m; m = re.exec(src)) testMethods.push(m[1]);
    }
    this.unloaded.set(name.toLowerCase(), { name, file, error, testMethods: [...new Set(testMethods)].sort() });
  }

  /** A trigger whose body could not be parsed still fires (its header is read); firing fails with the error. */
  private addBrokenTrigger(file: string, src: string, cause: UnsupportedFeature): void {
    const m = /\btrigger\s+(\w+)\s+on\s+(\w+)\s*\(([^)]*)\)/i.exec(src);
    if (!m) throw cause;
    const why = cause.feature.replace(/ expecting \{[^}]*\}/, '');
    const error = new UnsupportedFeature(
      `trigger ${m[1]}, which the local org could not load: ${why}`,
      path.basename(cause.file ?? file),
      cause.line,
    );
    const events = m[3].split(',').map((e) => e.trim().toLowerCase().replace(/\s+/g, ' '));
    const decl: TriggerDecl = { name: m[1], sobject: m[2], events, body: { k: 'block', stmts: [], line: 1 }, line: 1 };
    const cov: FileCoverage = { name: m[1], lines: new Set(), covered: new Set(), isTest: false };
    this.triggers.push({ decl, file: path.basename(file), cov, broken: error });
    this.files.push(cov);
  }

  /** Links every loaded class; one that cannot be linked (unknown superclass, ...) is set aside as unloaded. */
  private linkLoaded(): void {
    for (;;) {
      let failed: ClassInfo | null = null;
      for (const c of this.classes.values()) {
        try {
          this.link([], [c]);
        } catch (e) {
          if (!(e instanceof UnsupportedFeature)) throw e;
          failed = c;
          this.classes.delete(c.lname);
          this.classSources.delete(c.lname);
          this.markUnloaded(c.name, c.file, '', e);
          break;
        }
      }
      if (!failed) return;
      // Classes already linked against the one set aside keep working; the loop re-checks the rest.
    }
  }

  addClassSource(file: string, src: string): ClassInfo {
    const decl = parseClass(file, src);
    const cls = this.build(decl, null, path.basename(file));
    const isTest = decl.mods.annotations.some((a) => a.name === 'istest');
    const cov: FileCoverage = { name: cls.name, lines: collectExecutableLines(decl), covered: new Set(), isTest };
    const mark = (c: ClassInfo) => {
      c.cov = cov;
      c.isTest = isTest;
      for (const i of c.inner.values()) mark(i);
    };
    mark(cls);
    if (this.classes.has(cls.lname)) throw new UnsupportedFeature(`duplicate class ${cls.name}`, file, decl.line);
    this.classes.set(cls.lname, cls);
    this.classSources.set(cls.lname, { name: cls.name, src, file });
    this.files.push(cov);
    return cls;
  }

  addTriggerSource(file: string, src: string): void {
    const decl = parseTrigger(file, src);
    const cov: FileCoverage = { name: decl.name, lines: collectTriggerLines(decl), covered: new Set(), isTest: false };
    this.triggers.push({ decl, file: path.basename(file), cov });
    this.files.push(cov);
  }

  /** Builds a ClassInfo tree (not linked) for a declaration; used for anonymous-block classes too. */
  build(decl: TypeDecl, outer: ClassInfo | null, file: string): ClassInfo {
    const name = outer ? `${outer.name}.${decl.name}` : decl.name;
    const cls = new ClassInfo(name, decl.kind, decl, outer, file);
    for (const i of decl.inner) cls.inner.set(i.name.toLowerCase(), this.build(i, cls, file));
    return cls;
  }

  /** Resolves superclasses and interfaces of every class (call after loading; idempotent). */
  link(extra: ClassInfo[] = [], only?: ClassInfo[]): void {
    const all: ClassInfo[] = [];
    const add = (c: ClassInfo) => {
      all.push(c);
      for (const i of c.inner.values()) add(i);
    };
    for (const c of only ?? this.classes.values()) add(c);
    for (const c of extra) add(c);
    for (const c of all) this.linkOne(c, new Set());
  }

  private linkOne(c: ClassInfo, seen: Set<ClassInfo>): void {
    if (c.linked || !c.decl) return;
    if (seen.has(c)) throw new UnsupportedFeature(`cyclic inheritance of ${c.name}`, c.file, c.decl.line);
    seen.add(c);
    const d = c.decl;
    if (d.superType && c.kind === 'class') {
      const sup = this.resolveClass(d.superType.name, c.outer ?? c);
      if (!sup) throw new UnsupportedFeature(`unknown superclass ${d.superType.name}`, c.file, d.line);
      this.linkOne(sup, seen);
      c.superClass = sup;
      for (const a of sup.ancestors) c.ancestors.add(a);
      if (sup.isException) c.isException = true;
    }
    const ifaces = c.kind === 'interface' ? (d.interfaces.length ? d.interfaces : []) : d.interfaces;
    for (const t of ifaces) this.addInterface(c, t, seen);
    if (c.isException && !c.builtin && !/exception$/i.test(c.name)) {
      throw new UnsupportedFeature(
        `class ${c.name} extends Exception but its name does not end in "Exception" (compile error)`,
        c.file,
        d.line,
      );
    }
    c.linked = true;
  }

  private addInterface(c: ClassInfo, t: TypeRefLike, seen: Set<ClassInfo>): void {
    const user = this.resolveClass(t.name, c.outer ?? c);
    if (user) {
      this.linkOne(user, seen);
      for (const a of user.ancestors) c.ancestors.add(a);
      c.interfaceNames.push(user.lname);
      return;
    }
    const nc = findNativeClass(t.name);
    const names = nc ? [nc.name, ...(nc.aliases ?? [])] : [t.name];
    for (const n of names) {
      c.ancestors.add(n.toLowerCase());
      if (!n.includes('.')) c.ancestors.add(`system.${n.toLowerCase()}`);
    }
    c.interfaceNames.push(names[0].toLowerCase());
  }

  /**
   * A user class or built-in exception by (possibly dotted) name, as seen from `from`: inner classes of `from`,
   * its superclasses and outer classes first, then top-level classes.
   */
  resolveClass(name: string, from: ClassInfo | null): ClassInfo | undefined {
    const parts = name.toLowerCase().split('.');
    let first: ClassInfo | undefined;
    for (let c = from; c && !first; c = c.outer) first = c.lname === parts[0] && !c.outer ? c : c.findInner(parts[0]);
    first ??= this.classes.get(parts[0]);
    if (first) {
      let cur: ClassInfo | undefined = first;
      for (let i = 1; i < parts.length && cur; i++) cur = cur.findInner(parts[i]);
      if (cur) return cur;
    }
    if (parts[0] === 'exception' && parts.length === 1) return this.exceptionBase;
    if (parts.length === 2 && parts[0] === 'system' && parts[1] === 'exception') return this.exceptionBase;
    const b = this.builtins.get(parts.join('.'));
    if (b) return b;
    const unloaded = this.unloaded.get(parts[0]);
    if (unloaded) throw unloaded.error;
    return undefined;
  }

  triggersFor(sobject: string): TriggerInfo[] {
    const l = sobject.toLowerCase();
    return this.triggers.filter((t) => t.decl.sobject.toLowerCase() === l);
  }
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      out.push(...walk(p));
    } else out.push(p);
  }
  return out;
}
