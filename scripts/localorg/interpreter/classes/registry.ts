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
        if (f.endsWith('.cls')) this.addClassSource(f, fs.readFileSync(f, 'utf8'));
        else if (f.endsWith('.trigger')) this.addTriggerSource(f, fs.readFileSync(f, 'utf8'));
      }
    }
    this.link();
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
  link(extra: ClassInfo[] = []): void {
    const all: ClassInfo[] = [];
    const add = (c: ClassInfo) => {
      all.push(c);
      for (const i of c.inner.values()) add(i);
    };
    for (const c of this.classes.values()) add(c);
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
