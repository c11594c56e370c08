/** The in-memory schema: standard objects plus what the project's metadata defines. Implements LocalSchemaApi. */
import type { PermissionSetDef, RemoteSiteDef } from '../core/runtime.js';
import type { CustomMetadataRecordDef, CustomPermissionInfo, LocalObjectDef, LocalSchemaApi } from './types.js';

export class LocalSchema implements LocalSchemaApi {
  private readonly objects = new Map<string, LocalObjectDef>();
  private readonly byPrefix = new Map<string, LocalObjectDef>();
  private readonly permsets = new Map<string, PermissionSetDef>();
  private readonly customPerms = new Map<string, CustomPermissionInfo>();
  private readonly mdtRecords: CustomMetadataRecordDef[] = [];
  private readonly sites: RemoteSiteDef[] = [];
  projectDir: string | null = null;
  loadStats = { files: 0, ms: 0 };

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
        if (f.type !== 'reference' || !f.childRelationshipName) continue;
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
  }

  getObject(name: string): LocalObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }
  objectForKeyPrefix(prefix: string): LocalObjectDef | undefined {
    return this.byPrefix.get(prefix);
  }
  allObjects(): LocalObjectDef[] {
    return [...this.objects.values()];
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
