/**
 * An SFDX project as `sf` sees it: package directories from sfdx-project.json, components resolved by
 * `@salesforce/source-deploy-retrieve` (the library `sf project deploy` uses, honouring .forceignore), each metadata
 * file parsed once, and indexes of what the project defines (objects, fields, classes, tabs, ...).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ComponentSet, RegistryAccess, type SourceComponent } from '@salesforce/source-deploy-retrieve';
import { parseXml, type XmlElement } from './xml.js';

export interface Problem {
  file: string;
  line: number;
  message: string;
  /** Rule id, e.g. `permissions/object-dependencies`. */
  rule: string;
}

export interface MetaFile {
  component: SourceComponent;
  /** Metadata type name of the file's root (`CustomObject`, `CustomField`, ...). */
  type: string;
  /** Full name, e.g. `Account.Phone__c` for a field. */
  fullName: string;
  file: string;
  root: XmlElement;
}

export interface FieldDef {
  object: string;
  name: string;
  file: MetaFile;
  type: string | undefined;
}

export class Project {
  readonly dir: string;
  readonly packageDirs: string[];
  readonly sourceApiVersion: string | undefined;
  readonly namespace: string;
  readonly components: SourceComponent[] = [];
  readonly files: MetaFile[] = [];
  readonly problems: Problem[] = [];
  /** Lower-cased names of what the project defines, by metadata type. */
  private readonly names = new Map<string, Map<string, string>>();
  /** Lower-cased `object.field` -> definition. */
  readonly fields = new Map<string, FieldDef>();

  constructor(dir: string) {
    this.dir = path.resolve(dir);
    const projectFile = path.join(this.dir, 'sfdx-project.json');
    if (!existsSync(projectFile)) throw new Error(`${projectFile} not found: not an SFDX project`);
    const config = JSON.parse(readFileSync(projectFile, 'utf8')) as {
      packageDirectories?: { path: string }[];
      sourceApiVersion?: string;
      namespace?: string;
    };
    this.packageDirs = (config.packageDirectories ?? []).map((p) => path.resolve(this.dir, p.path));
    this.sourceApiVersion = config.sourceApiVersion;
    this.namespace = config.namespace ?? '';
    const registry = new RegistryAccess(undefined, this.dir);
    const set = ComponentSet.fromSource({ fsPaths: this.packageDirs.filter((d) => existsSync(d)), registry });
    for (const c of set.getSourceComponents().toArray()) {
      this.components.push(c);
      this.add(c);
      // Children kept in the parent's own file (custom labels) are defined, not parsed twice.
      for (const child of c.getChildren())
        if (child.xml && child.xml !== c.xml) this.add(child);
        else this.define(child.type.name, child.fullName);
    }
  }

  private add(c: SourceComponent): void {
    this.define(c.type.name, c.fullName);
    if (!c.xml) return;
    let root: XmlElement;
    try {
      root = parseXml(readFileSync(c.xml, 'utf8'));
    } catch (err) {
      this.problems.push({
        file: c.xml,
        line: 1,
        message: `Error parsing file: ${(err as Error).message}`,
        rule: 'structure/xml',
      });
      return;
    }
    const file: MetaFile = { component: c, type: c.type.name, fullName: c.fullName, file: c.xml, root };
    this.files.push(file);
    if (c.type.name === 'CustomField') {
      const [object, name] = c.fullName.split('.');
      const type = root.children.find((e) => e.name === 'type')?.text;
      this.fields.set(`${object}.${name}`.toLowerCase(), { object, name, file, type });
    }
  }

  define(type: string, fullName: string): void {
    let m = this.names.get(type);
    if (!m) this.names.set(type, (m = new Map()));
    m.set(fullName.toLowerCase(), fullName);
  }

  has(type: string, fullName: string): boolean {
    return this.names.get(type)?.has(fullName.toLowerCase()) ?? false;
  }

  all(type: string): string[] {
    return [...(this.names.get(type)?.values() ?? [])];
  }

  filesOf(type: string): MetaFile[] {
    return this.files.filter((f) => f.type === type);
  }

  field(object: string, field: string): FieldDef | undefined {
    return this.fields.get(`${object}.${field}`.toLowerCase());
  }
}
