/**
 * loadSchema(projectDir): reads sfdx-project.json's packageDirectories and every objects/, permissionsets/,
 * customPermissions/ and customMetadata/ folder below them (source format), on top of the bundled standard schema.
 * Custom fields on standard objects (objects/Account/fields/X__c.field-meta.xml) are added to the standard object.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assignKeyPrefixes } from './key-prefixes.js';
import { buildCustomObject, readObjectDir, type ParsedObjectDir } from './object-parse.js';
import { parseCustomMetadataRecord } from './custom-metadata-parse.js';
import {
  parseCustomPermission,
  parsePermissionSet,
  parsePermissionSetGroup,
  parseRemoteSite,
} from './permission-parse.js';
import { LocalSchema } from './local-schema.js';
import { readStaticResources } from './static-resources.js';
import { standardObjects } from './standard/objects.js';
import { standardSObjectIndex } from './standard/sobject-jar.js';

/** Every folder with the given name below `root` (metadata may sit in main/default or elsewhere). */
function findDirs(root: string, name: string, out: string[] = []): string[] {
  if (!existsSync(root)) return out;
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (
      !e.isDirectory() ||
      e.name === 'node_modules' ||
      e.name.startsWith('.') ||
      e.name === 'lwc' ||
      e.name === 'aura'
    )
      continue;
    const p = join(root, e.name);
    if (e.name === name) out.push(p);
    else findDirs(p, name, out);
  }
  return out.sort();
}

export function packageDirectories(projectDir: string): string[] {
  const file = join(projectDir, 'sfdx-project.json');
  if (!existsSync(file)) throw new Error(`No sfdx-project.json in ${projectDir}`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { packageDirectories?: { path: string }[] };
  return (json.packageDirectories ?? []).map((d) => resolve(projectDir, d.path));
}

/** The standard schema alone (no project). */
export function standardSchema(): LocalSchema {
  const s = new LocalSchema();
  s.useStandardIndex(standardSObjectIndex());
  for (const o of standardObjects()) {
    s.completeFromStandardIndex(o);
    s.addObject(o);
  }
  s.linkRelationships();
  return s;
}

/**
 * `extraSourceDirs`: more folders laid out like a package directory (the conformance suite's support metadata),
 * read after the project's package directories.
 */
export function loadSchema(projectDir: string, opts: { extraSourceDirs?: string[] } = {}): LocalSchema {
  const t0 = performance.now();
  const schema = new LocalSchema();
  schema.projectDir = resolve(projectDir);
  schema.useStandardIndex(standardSObjectIndex());
  let files = 0;
  const std = standardObjects();
  const stdByName = new Map(std.map((o) => [o.name.toLowerCase(), o]));

  const parsed: ParsedObjectDir[] = [];
  const pkgDirs = [
    ...new Set([...packageDirectories(projectDir), ...(opts.extraSourceDirs ?? []).map((d) => resolve(d))]),
  ];
  for (const pkg of pkgDirs) {
    for (const objectsDir of findDirs(pkg, 'objects')) {
      for (const e of readdirSync(objectsDir, { withFileTypes: true })) {
        if (!e.isDirectory()) continue;
        const p = readObjectDir(join(objectsDir, e.name), e.name);
        files += p.files;
        parsed.push(p);
      }
    }
  }
  // Standard objects extended with custom fields.
  const customParsed: ParsedObjectDir[] = [];
  for (const p of parsed) {
    let stdObj = stdByName.get(p.name.toLowerCase());
    if (!stdObj && p.kind === 'standard') {
      // A standard object the project extends: built now from the platform's definitions so its fields join it.
      const jarName = schema.standardObjectName(p.name);
      if (jarName) {
        stdObj = schema.getObject(jarName);
        if (stdObj) stdByName.set(p.name.toLowerCase(), stdObj);
      }
    }
    if (stdObj) {
      for (const f of p.fields) stdObj.fields.set(f.name.toLowerCase(), f);
    } else if (p.kind === 'standard') {
      throw new Error(
        `${p.dir}: standard object ${p.name} is neither in the bundled standard schema (scripts/localorg/metadata/standard/objects.ts) nor in the platform's SObject definitions`,
      );
    } else customParsed.push(p);
  }
  for (const o of std) {
    schema.completeFromStandardIndex(o);
    schema.addObject(o);
  }
  const prefixes = assignKeyPrefixes(
    customParsed.map((p) => ({
      name: p.name,
      kind: p.kind as 'custom' | 'customSetting' | 'customMetadata' | 'platformEvent',
    })),
  );
  for (const p of customParsed) schema.addObject(buildCustomObject(p, prefixes.get(p.name.toLowerCase())!));
  schema.linkRelationships();

  for (const pkg of pkgDirs) {
    for (const dir of findDirs(pkg, 'permissionsets')) {
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.permissionset-meta.xml')) continue;
        schema.addPermissionSet(parsePermissionSet(join(dir, f), f.replace(/\.permissionset-meta\.xml$/, '')));
        files++;
      }
    }
    for (const dir of findDirs(pkg, 'permissionsetgroups')) {
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.permissionsetgroup-meta.xml')) continue;
        schema.addPermissionSetGroup(
          parsePermissionSetGroup(join(dir, f), f.replace(/\.permissionsetgroup-meta\.xml$/, '')),
        );
        files++;
      }
    }
    for (const dir of findDirs(pkg, 'customPermissions')) {
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.customPermission-meta.xml')) continue;
        schema.addCustomPermission(parseCustomPermission(join(dir, f), f.replace(/\.customPermission-meta\.xml$/, '')));
        files++;
      }
    }
    for (const dir of findDirs(pkg, 'remoteSiteSettings')) {
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.remoteSite-meta.xml')) continue;
        schema.addRemoteSite(parseRemoteSite(join(dir, f), f.replace(/\.remoteSite-meta\.xml$/, '')));
        files++;
      }
    }
    for (const dir of findDirs(pkg, 'cachePartitions')) {
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.cachePartition-meta.xml')) continue;
        const xml = readFileSync(join(dir, f), 'utf8');
        const isDefault = /<isDefaultPartition>\s*true\s*<\/isDefaultPartition>/.test(xml);
        schema.addCachePartition({ name: f.replace(/\.cachePartition-meta\.xml$/, ''), isDefault });
        files++;
      }
    }
    for (const dir of findDirs(pkg, 'staticresources')) {
      for (const r of readStaticResources(dir)) {
        schema.addStaticResource(r);
        files++;
      }
    }
    for (const dir of findDirs(pkg, 'customMetadata')) {
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.md-meta.xml') || !statSync(join(dir, f)).isFile()) continue;
        const base = f.replace(/\.md-meta\.xml$/, '');
        const typeName = `${base.slice(0, base.indexOf('.'))}__mdt`;
        schema.addCustomMetadataRecord(parseCustomMetadataRecord(join(dir, f), base, schema.getObject(typeName)));
        files++;
      }
    }
  }
  schema.loadStats = { files, ms: Math.round((performance.now() - t0) * 10) / 10 };
  return schema;
}
