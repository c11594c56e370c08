/**
 * TEST-ONLY in-memory stand-in for LocalOrgApi (scripts/localorg/org.ts is the real one). It knows a handful of
 * users and permission sets, answers the few SOQL shapes the server sends (SELECT ... FROM X [WHERE F = 'v']
 * [LIMIT n]), the custom-permission anonymous block, and has scripted Aura, REST and invocable handlers.
 * Never used by `npm start`.
 */
import type {
  InvocableActionInfo,
  InvokeResult,
  LocalOrgApi,
  RestResponseInfo,
  TestMethodResult,
  CoverageInfo,
} from '../../localorg/core/org-api.js';
import type { SchemaApi, PermissionSetDef } from '../../localorg/core/runtime.js';
import { ApexId, SObjectValue, type ApexValue } from '../../localorg/core/values.js';

type Row = Record<string, string | boolean | number | null>;

export const FAKE_ORG_ID = '00D5e000000FAKEEAA';

function fakeId(prefix: string, n: number): string {
  return `${prefix}5e0000000${String(n).padStart(3, '0')}AAA`.slice(0, 18);
}

export class FakeOrg implements LocalOrgApi {
  readonly orgId = new ApexId(FAKE_ORG_ID);
  readonly tables = new Map<string, Row[]>();
  /** userId -> custom permission names */
  readonly grants = new Map<string, string[]>();
  readonly calls: { kind: string; name: string; userId: string; payload?: unknown }[] = [];
  queued: { id: number; due: number }[] = [];
  jobsRun = 0;
  private seq = 100;

  auraHandlers = new Map<string, (params: Record<string, unknown>, userId: string) => InvokeResult>();
  restHandler: (req: { method: string; path: string; body: string }, userId: string) => RestResponseInfo = () => ({
    status: 404,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([{ errorCode: 'NOT_FOUND', message: 'Could not find a match for URL' }]),
  });
  actions: InvocableActionInfo[] = [];
  invocableHandler: (
    className: string,
    inputs: Record<string, unknown>[],
    userId: string,
  ) => InvokeResult<Record<string, unknown>[]> = () => ({
    ok: true,
    value: [],
    debug: [],
  });

  readonly schema: SchemaApi = {
    getObject: (name: string) =>
      ['user', 'profile', 'account', 'avochato_api_credential__c'].includes(name.toLowerCase())
        ? ({ name } as never)
        : undefined,
    objectForKeyPrefix: () => undefined,
    allObjects: () => [],
    allObjectNames: () => [],
    remoteSites: () => [],
    getPermissionSet: () => undefined as PermissionSetDef | undefined,
    allPermissionSets: () => [],
    customPermissions: () => ['Avochato_Manage_Credentials', 'Avochato_Send_Messages', 'Avochato_Sync_Credentials'],
  };

  constructor() {
    this.tables.set('Profile', [
      { Id: fakeId('00e', 1), Name: 'System Administrator' },
      { Id: fakeId('00e', 2), Name: 'Standard User' },
    ]);
    this.tables.set('User', []);
    this.addUser('admin@local.org', 'Local Admin', fakeId('00e', 1), [
      'Avochato_Manage_Credentials',
      'Avochato_Send_Messages',
    ]);
  }

  addUser(username: string, name: string, profileId = fakeId('00e', 2), perms: string[] = []): string {
    const id = fakeId('005', ++this.seq);
    this.tables
      .get('User')!
      .push({ Id: id, Username: username, Name: name, Email: username, ProfileId: profileId, IsActive: true });
    this.grants.set(id, perms);
    return id;
  }

  enqueue(delayMs = 0): void {
    this.queued.push({ id: ++this.seq, due: Date.now() + delayMs });
  }

  runAnonymous(source: string, opts?: { asUserId?: ApexId }): InvokeResult<null> {
    const userId = opts?.asUserId?.value ?? '';
    this.calls.push({ kind: 'anonymous', name: 'anonymous', userId, payload: source });
    const debug: string[] = [];
    for (const m of source.matchAll(/FeatureManagement\.checkPermission\('([^']+)'\)/g)) {
      debug.push(`${m[1]}=${(this.grants.get(userId) ?? []).includes(m[1])}`);
    }
    return { ok: true, value: null, debug };
  }

  invokeAura(className: string, methodName: string, params: Record<string, unknown>, asUserId: ApexId): InvokeResult {
    this.calls.push({ kind: 'aura', name: `${className}.${methodName}`, userId: asUserId.value, payload: params });
    const h = this.auraHandlers.get(`${className}.${methodName}`);
    if (!h) {
      return {
        ok: false,
        debug: [],
        error: {
          typeName: 'System.TypeException',
          message: `No such @AuraEnabled method ${className}.${methodName}`,
          stackTrace: '',
        },
      };
    }
    return h(params, asUserId.value);
  }

  invokeRest(
    req: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: string },
    asUserId: ApexId,
  ): RestResponseInfo {
    this.calls.push({ kind: 'rest', name: `${req.method} ${req.path}`, userId: asUserId.value, payload: req.body });
    return this.restHandler(req, asUserId.value);
  }

  listInvocableActions(): InvocableActionInfo[] {
    return this.actions;
  }

  invokeInvocable(
    className: string,
    inputs: Record<string, unknown>[],
    asUserId: ApexId,
  ): InvokeResult<Record<string, unknown>[]> {
    this.calls.push({ kind: 'invocable', name: className, userId: asUserId.value, payload: inputs });
    return this.invocableHandler(className, inputs, asUserId.value);
  }

  runQueuedJobs(): number {
    const now = Date.now();
    const due = this.queued.filter((j) => j.due <= now);
    this.queued = this.queued.filter((j) => j.due > now);
    this.jobsRun += due.length;
    return due.length;
  }

  pendingJobs(): number {
    return this.queued.length;
  }

  listTests(): { className: string; methods: string[] }[] {
    return [];
  }
  runTest(): TestMethodResult {
    throw new Error('not in the fake');
  }
  coverage(): CoverageInfo[] {
    return [];
  }

  insertRecords(records: SObjectValue[]): ApexId[] {
    return records.map((r) => {
      const id = fakeId(r.sobjectType === 'User' ? '005' : 'a00', ++this.seq);
      const row: Row = { Id: id };
      for (const { name, value } of r.fields.values())
        row[name] = value instanceof ApexId ? value.value : (value as string);
      if (!this.tables.has(r.sobjectType)) this.tables.set(r.sobjectType, []);
      this.tables.get(r.sobjectType)!.push(row);
      return new ApexId(id);
    });
  }

  query(soql: string): SObjectValue[] {
    const m =
      /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(\w+)\s*=\s*'((?:[^'\\]|\\.)*)')?(?:\s+ORDER BY\s+\w+)?(?:\s+LIMIT\s+(\d+))?\s*$/i.exec(
        soql.trim(),
      );
    if (!m) throw new Error(`fake org cannot run: ${soql}`);
    const [, fields, table, whereField, whereValue, limit] = m;
    let rows = this.tables.get(table) ?? [];
    if (whereField)
      rows = rows.filter(
        (r) =>
          String(r[whereField] ?? '').slice(0, 15) === whereValue.replace(/\\'/g, "'").slice(0, 15) ||
          r[whereField] === whereValue.replace(/\\'/g, "'"),
      );
    if (limit) rows = rows.slice(0, Number(limit));
    return rows.map((r) => {
      const rec = new SObjectValue(table);
      for (const f of fields.split(',').map((s) => s.trim())) {
        const v = r[f] ?? null;
        rec.setRaw(f, (typeof v === 'string' && /Id$/.test(f) && v.length === 18 ? new ApexId(v) : v) as ApexValue);
      }
      rec.fromQuery = true;
      return rec;
    });
  }
}
