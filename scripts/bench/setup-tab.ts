/**
 * Benchmark of the "Avochato Setup" tab's server side in the local org: seeds N users (default 50,000) and M
 * credentials (default 5,000), then prints, per AvochatoSetupController call the tab makes (first page, next page,
 * a page in the middle, searches, health, status polling), the SOQL queries and query rows the platform would
 * count (Apex `Limits`), the rows the local database scanned to answer, and the wall time.
 *
 * Usage: npx tsx scripts/bench/setup-tab.ts [--users N] [--credentials M] [--json]
 * Figures, not assertions; it exits 1 only when a call fails or a page costs more than 3 queries.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LocalOrg } from '../localorg/org.js';
import { ApexId, SObjectValue, type ApexValue } from '../localorg/core/values.js';
import { numberArg as arg } from './figures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const USER_CHUNK = 2000;
const CREDENTIAL_CHUNK = 200;
/** Runs per call; the median wall time is printed. */
const REPEAT = 3;
/** The most SOQL queries one datatable page may cost (users, their credentials, credential search). */
export const MAX_QUERIES_PER_PAGE = 3;

interface Stats {
  queries: number;
  rowsScanned: number;
  rowsReturned: number;
}

export interface CallFigures {
  call: string;
  queries: number;
  queryRows: number;
  rowsScanned: number | null;
  wallMs: number;
  result: string;
}

function rec(type: string, values: Record<string, ApexValue>): SObjectValue {
  const r = new SObjectValue(type);
  for (const [k, v] of Object.entries(values)) r.setRaw(k, v);
  return r;
}

function idOf(r: SObjectValue): ApexId {
  const v = r.getRaw('Id');
  if (!(v instanceof ApexId)) throw new Error(`${r.sobjectType} without Id`);
  return v;
}

function str(r: SObjectValue, field: string): string {
  const v = r.getRaw(field);
  return v instanceof ApexId ? v.value : String(v ?? '');
}

function apexString(s: string | null): string {
  return s === null ? 'null' : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The local database's counters (cumulative), read between transactions; null if this org build hides them. */
function dbStats(org: LocalOrg): Stats | null {
  const backend = (org as unknown as { backend?: { dbFor?: (rt: unknown) => { stats?: Stats } } }).backend;
  const stats = backend?.dbFor?.(null)?.stats;
  return stats ? { ...stats } : null;
}

function ms(t0: number): number {
  return Math.round((performance.now() - t0) * 10) / 10;
}

export function seed(org: LocalOrg, users: number, credentials: number): { adminId: ApexId; userIds: ApexId[] } {
  const profile = org.query("SELECT Id FROM Profile WHERE Name = 'Standard User' LIMIT 1")[0];
  const admin = org.query(
    "SELECT Id FROM User WHERE Profile.Name = 'System Administrator' AND IsActive = true ORDER BY CreatedDate LIMIT 1",
  )[0];
  const permissionSet = org.query("SELECT Id FROM PermissionSet WHERE Name = 'Avochato_Admin' LIMIT 1")[0];
  if (!profile || !admin || !permissionSet)
    throw new Error('the local org lacks Standard User, an admin or Avochato_Admin');
  const adminId = idOf(admin);
  org.insertRecords([rec('PermissionSetAssignment', { AssigneeId: adminId, PermissionSetId: idOf(permissionSet) })]);

  const userIds: ApexId[] = [];
  for (let start = 1; start <= users; start += USER_CHUNK) {
    const batch: SObjectValue[] = [];
    for (let n = start; n < start + USER_CHUNK && n <= users; n++) {
      const num = String(n).padStart(5, '0');
      batch.push(
        rec('User', {
          FirstName: 'Bench',
          LastName: `User ${num}`,
          Username: `bench.user.${num}@bench.localorg.test`,
          Email: `bench.user.${num}@example.com`,
          Alias: `b${num}`,
          ProfileId: idOf(profile),
          TimeZoneSidKey: 'America/Los_Angeles',
          LocaleSidKey: 'en_US',
          EmailEncodingKey: 'UTF-8',
          LanguageLocaleKey: 'en_US',
          IsActive: true,
        }),
      );
    }
    userIds.push(...org.insertRecords(batch));
  }

  // Credentials for every (users / credentials)-th user, through the trigger (system mode, like a data load).
  const step = Math.max(1, Math.floor(users / Math.max(1, credentials)));
  let made = 0;
  for (let i = 0; made < credentials && i < userIds.length;) {
    const batch: SObjectValue[] = [];
    for (; batch.length < CREDENTIAL_CHUNK && made < credentials && i < userIds.length; i += step, made++) {
      const num = String(made + 1).padStart(5, '0');
      batch.push(
        rec('Avochato_API_Credential__c', {
          User__c: userIds[i],
          Auth_Id__c: `BENCH-AUTH-${num}`,
          Auth_Secret__c: `fake-bench-secret-${num}`,
          Inbox__c: `bench-inbox-${made % 7}`,
          Is_Active__c: true,
        }),
      );
    }
    org.insertRecords(batch);
  }
  return { adminId, userIds };
}

/** Runs the call REPEAT times (the first run warms the interpreter up) and keeps the median wall time. */
function measure(org: LocalOrg, adminId: ApexId, label: string, call: string, describe: string): CallFigures {
  const runs = Array.from({ length: REPEAT }, () => measureOnce(org, adminId, label, call, describe));
  const walls = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  return { ...runs[runs.length - 1], wallMs: walls[Math.floor(walls.length / 2)] };
}

/** Runs `call` (Apex expression) as the admin and reads Limits after it. */
function measureOnce(org: LocalOrg, adminId: ApexId, label: string, call: string, describe: string): CallFigures {
  const source = [
    `Object result = ${call};`,
    `System.debug(Limits.getQueries() + '|' + Limits.getQueryRows() + '|' + ${describe});`,
  ].join('\n');
  const before = dbStats(org);
  const t0 = performance.now();
  const r = org.runAnonymous(source, { asUserId: adminId, fileName: `bench-${label}.apex` });
  const wallMs = ms(t0);
  const after = dbStats(org);
  if (!r.ok) throw new Error(`${label}: ${r.error.typeName}: ${r.error.message}`);
  const [queries, queryRows, result] = (r.debug.at(-1) ?? '0|0|').split('|');
  return {
    call: label,
    queries: Number(queries),
    queryRows: Number(queryRows),
    rowsScanned: before && after ? after.rowsScanned - before.rowsScanned : null,
    wallMs,
    result,
  };
}

export function runSetupTabBench(
  users: number,
  credentials: number,
): { seedMs: number; figures: CallFigures[]; auraMs: number | null } {
  const t0 = performance.now();
  const org = LocalOrg.load(root);
  const loadMs = ms(t0);
  const t1 = performance.now();
  const { adminId, userIds } = seed(org, users, credentials);
  const seedMs = ms(t1);
  console.error(`loaded the org in ${loadMs} ms; seeded ${users} users and ${credentials} credentials in ${seedMs} ms`);

  const page = (term: string | null, cursor: string | null) =>
    `AvochatoSetupController.getRows(${apexString(term)}, 50, ${apexString(cursor)})`;
  const describePage = `((AvochatoSetupController.RowPage) result).rows.size() + ' rows, hasMore ' + ((AvochatoSetupController.RowPage) result).hasMore + '|' + ((AvochatoSetupController.RowPage) result).nextCursor`;
  const figures: CallFigures[] = [];

  const first = measure(org, adminId, 'getRows: first page', page(null, null), describePage);
  const firstCursor = first.result.split('|')[1] ?? null;
  figures.push(first);
  figures.push(
    measure(org, adminId, 'getRows: next page', page(null, firstCursor === 'null' ? null : firstCursor), describePage),
  );
  const middle = org.query(
    `SELECT Id, Name FROM User WHERE Id = '${userIds[Math.floor(userIds.length / 2)].value}'`,
  )[0];
  figures.push(
    measure(
      org,
      adminId,
      'getRows: page from the middle user',
      page(null, `${str(middle, 'Id')}${str(middle, 'Name')}`),
      describePage,
    ),
  );
  figures.push(measure(org, adminId, "getRows: search 'User 4242' (name)", page('User 4242', null), describePage));
  figures.push(
    measure(org, adminId, "getRows: search 'BENCH-AUTH-00042' (Auth Id)", page('BENCH-AUTH-00042', null), describePage),
  );
  figures.push(
    measure(org, adminId, "getRows: search 'bench-inbox-3' (inbox)", page('bench-inbox-3', null), describePage),
  );
  figures.push(
    measure(org, adminId, "getRows: search 'nobody-zzz' (no match)", page('nobody-zzz', null), describePage),
  );
  figures.push(
    measure(
      org,
      adminId,
      'getHealth',
      'AvochatoSetupController.getHealth()',
      `'total ' + ((AvochatoSetupController.Health) result).totalCount + ', pending ' + ((AvochatoSetupController.Health) result).pendingCount`,
    ),
  );
  const pendingIds = org
    .query("SELECT Id FROM Avochato_API_Credential__c WHERE Status__c = 'Pending' ORDER BY Id LIMIT 50")
    .map((r) => `'${idOf(r).value}'`);
  figures.push(
    measure(
      org,
      adminId,
      'getStatuses: 50 pending credentials',
      `AvochatoSetupController.getStatuses(new List<Id>{ ${pendingIds.join(', ') || 'null'} })`,
      `((List<AvochatoSetupController.Row>) result).size() + ' rows'`,
    ),
  );

  // The path the browser takes (Aura JSON in and out), for the first page.
  let auraMs: number | null = null;
  try {
    const t2 = performance.now();
    const aura = org.invokeAura(
      'AvochatoSetupController',
      'getRows',
      { searchTerm: null, pageSize: 50, afterCursor: null },
      adminId,
    );
    auraMs = ms(t2);
    if (!aura.ok) throw new Error(`invokeAura getRows: ${aura.error.typeName}: ${aura.error.message}`);
  } catch (err) {
    if ((err as { feature?: string }).feature !== 'invokeAura') throw err;
  }
  return { seedMs, figures, auraMs };
}

function main(): void {
  const users = arg('--users', 50000);
  const credentials = arg('--credentials', 5000);
  const { figures, auraMs } = runSetupTabBench(users, credentials);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ users, credentials, figures, auraFirstPageMs: auraMs }, null, 2));
  } else {
    console.log(`Avochato Setup tab controller, ${users} users, ${credentials} credentials (local org)`);
    console.log(`wall ms: median of ${REPEAT} runs of the call, each in its own transaction`);
    console.log(
      `${'call'.padEnd(48)} ${'SOQL'.padStart(4)} ${'query rows'.padStart(10)} ${'rows scanned'.padStart(12)} ${'wall ms'.padStart(9)}  result`,
    );
    for (const f of figures) {
      console.log(
        `${f.call.padEnd(48)} ${String(f.queries).padStart(4)} ${String(f.queryRows).padStart(10)} ${String(f.rowsScanned ?? 'n/a').padStart(12)} ${f.wallMs.toFixed(1).padStart(9)}  ${f.result.split('|')[0]}`,
      );
    }
    console.log(
      `first page through invokeAura (Aura JSON in and out): ${auraMs === null ? 'n/a (this local org has no invokeAura yet)' : `${auraMs.toFixed(1)} ms`}`,
    );
  }
  const tooMany = figures.filter((f) => f.call.startsWith('getRows') && f.queries > MAX_QUERIES_PER_PAGE);
  for (const f of tooMany) console.error(`${f.call}: ${f.queries} queries, more than ${MAX_QUERIES_PER_PAGE}`);
  process.exit(tooMany.length ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
