/** The in-memory schema: standard objects plus what the project's metadata defines. Implements LocalSchemaApi. */
import type { PermissionSetDef, RemoteSiteDef } from '../core/runtime.js';
import type { CustomMetadataRecordDef, CustomPermissionInfo, LocalObjectDef, LocalSchemaApi } from './types.js';
import type { JarIndex } from './standard/sobject-jar.js';
import type { StaticResourceDef } from './static-resources.js';
import type { PermissionSetGroupDef } from './permission-parse.js';
import { jarChildRelationships, jarFields, jarObject, jarObjectForPrefix } from './standard/jar-objects.js';
import { objectExistsInOrg } from '../core/org-features.js';

export class LocalSchema implements LocalSchemaApi {
  private readonly objects = new Map<string, LocalObjectDef>();
  private readonly byPrefix = new Map<string, LocalObjectDef>();
  private readonly permsets = new Map<string, PermissionSetDef>();
  private readonly customPerms = new Map<string, CustomPermissionInfo>();
  private readonly mdtRecords: CustomMetadataRecordDef[] = [];
  private readonly sites: RemoteSiteDef[] = [];
  projectDir: string | null = null;
  loadStats = { files: 0, ms: 0 };
  /** The platform's standard objects (apex-ls sobject-types): built on first use, so loading stays fast. */
  private standardIndex: JarIndex | null = null;
  private readonly standardNames = new Map<string, string>();

  /** Makes every standard object of the index available (objects added explicitly win). */
  useStandardIndex(index: JarIndex | null): void {
    this.standardIndex = index;
    this.standardNames.clear();
    // Not records: AggregateResult (query results), Name (the polymorphic lookup view), Address and Location (compound
    // field values) are SObject-shaped types of the jar, not objects with rows.
    const notObjects = new Set(['aggregateresult', 'name', 'address', 'location', 'sobject']);
    // Objects of a feature the org lacks (core/org-features.ts) are not in its schema either.
    if (index)
      for (const n of Object.keys(index.objects))
        if (!notObjects.has(n.toLowerCase()) && objectExistsInOrg(n)) this.standardNames.set(n.toLowerCase(), n);
  }

  /** The index's name for a standard object (its canonical case), if it has one. */
  standardObjectName(name: string): string | undefined {
    return this.standardNames.get(name.toLowerCase());
  }

  /** Adds the index's fields an explicitly defined standard object lacks (hand-written objects carry a subset). */
  completeFromStandardIndex(o: LocalObjectDef): void {
    const n = this.standardIndex && this.standardObjectName(o.name);
    if (!n) return;
    for (const f of jarFields(this.standardIndex!, n)) {
      const k = f.name.toLowerCase();
      if (!o.fields.has(k)) o.fields.set(k, f);
    }
    if (!o.hasOwner && o.fields.has('ownerid')) o.hasOwner = true;
  }

  /** A standard object built from the index on first use, with its child relationships. */
  private materialize(name: string | undefined): LocalObjectDef | undefined {
    if (!name || !this.standardIndex) return undefined;
    const n = this.standardNames.get(name.toLowerCase());
    if (!n || this.objects.has(n.toLowerCase())) return this.objects.get(name.toLowerCase());
    const o = jarObject(this.standardIndex, n);
    if (this.byPrefix.has(o.keyPrefix)) return undefined;
    this.addObject(o);
    for (const child of this.objects.values()) {
      for (const f of child.fields.values()) {
        if (f.type !== 'reference' || !f.childRelationshipName) continue;
        if ((f.referenceTo ?? []).some((r) => r.toLowerCase() === n.toLowerCase()))
          o.childRelationships.push({
            relationshipName: f.childRelationshipName,
            childObject: child.name,
            field: f.name,
          });
      }
    }
    this.addStandardChildren(o);
    return o;
  }

  private addStandardChildren(o: LocalObjectDef): void {
    const n = this.standardIndex && this.standardObjectName(o.name);
    if (!n) return;
    for (const c of jarChildRelationships(this.standardIndex!, n)) {
      const rel = c.relationshipName.toLowerCase();
      if (!o.childRelationships.some((x) => x.relationshipName.toLowerCase() === rel)) o.childRelationships.push(c);
    }
  }

  addObject(o: LocalObjectDef): void {
    const key = o.name.toLowerCase();
    if (this.objects.has(key)) throw new Error(`Object ${o.name} defined twice`);
    if (this.byPrefix.has(o.keyPrefix))
      throw new Error(`Key prefix ${o.keyPrefix} used by ${this.byPrefix.get(o.keyPrefix)!.name} and ${o.name}`);
    this.objects.set(key, o);
    this.byPrefix.set(o.keyPrefix, o);
  }
  addPermissionSet(p: PermissionSetDef): void {
    this.permsets.set(p.name.toLowerCase(), p);
  }
  addCustomPermission(c: CustomPermissionInfo): void {
    this.customPerms.set(c.name.toLowerCase(), c);
  }
  private readonly partitions: { name: string; isDefault: boolean }[] = [];
  /** Platform cache partitions (cachePartitions/*.cachePartition-meta.xml). */
  addCachePartition(p: { name: string; isDefault: boolean }): void {
    this.partitions.push(p);
  }
  cachePartitions(): { name: string; isDefault: boolean }[] {
    return [...this.partitions];
  }
  private readonly groups: PermissionSetGroupDef[] = [];
  /** Permission set groups (permissionsetgroups/NAME.permissionsetgroup-meta.xml). */
  addPermissionSetGroup(g: PermissionSetGroupDef): void {
    this.groups.push(g);
  }
  permissionSetGroups(): PermissionSetGroupDef[] {
    return [...this.groups];
  }
  private readonly resources: StaticResourceDef[] = [];
  /** Static resources (staticresources/NAME.resource-meta.xml and its file or folder). */
  addStaticResource(r: StaticResourceDef): void {
    this.resources.push(r);
  }
  staticResources(): StaticResourceDef[] {
    return [...this.resources];
  }
  addRemoteSite(r: RemoteSiteDef): void {
    this.sites.push(r);
  }
  remoteSites(): RemoteSiteDef[] {
    return [...this.sites];
  }
  addCustomMetadataRecord(r: CustomMetadataRecordDef): void {
    this.mdtRecords.push(r);
  }

  /** Fills childRelationships from every reference field that names one. Call after all objects are added. */
  linkRelationships(): void {
    for (const o of this.objects.values()) o.childRelationships = [];
    for (const child of this.objects.values()) {
      for (const f of child.fields.values()) {
        if ((f.type !== 'reference' && !f.metadataRelationship) || !f.childRelationshipName) continue;
        for (const parentName of f.referenceTo ?? []) {
          const parent = this.objects.get(parentName.toLowerCase());
          if (!parent) continue;
          parent.childRelationships.push({
            relationshipName: f.childRelationshipName,
            childObject: child.name,
            field: f.name,
          });
        }
      }
    }
    for (const o of this.objects.values()) this.addStandardChildren(o);
  }

  getObject(name: string): LocalObjectDef | undefined {
    return this.objects.get(name.toLowerCase()) ?? this.materialize(name);
  }
  objectForKeyPrefix(prefix: string): LocalObjectDef | undefined {
    const o = this.byPrefix.get(prefix);
    if (o || !this.standardIndex) return o;
    return this.materialize(jarObjectForPrefix(this.standardIndex, prefix));
  }
  allObjects(): LocalObjectDef[] {
    return [...this.objects.values()];
  }
  /** Every object of the org's schema: those built so far and the standard ones not yet used (none is built here). */
  allObjectNames(): string[] {
    const names = new Map<string, string>();
    for (const n of this.standardNames.values()) names.set(n.toLowerCase(), n);
    for (const o of this.objects.values()) names.set(o.name.toLowerCase(), o.name);
    return [...names.values()];
  }
  getPermissionSet(name: string): PermissionSetDef | undefined {
    return this.permsets.get(name.toLowerCase());
  }
  allPermissionSets(): PermissionSetDef[] {
    return [...this.permsets.values()];
  }
  customPermissions(): string[] {
    return [...this.customPerms.values()].map((c) => c.name);
  }
  customPermissionInfo(name: string): CustomPermissionInfo | undefined {
    return this.customPerms.get(name.toLowerCase());
  }
  customMetadataRecords(typeName?: string): CustomMetadataRecordDef[] {
    if (!typeName) return [...this.mdtRecords];
    const t = typeName.toLowerCase();
    return this.mdtRecords.filter((r) => r.type.toLowerCase() === t);
  }
}
