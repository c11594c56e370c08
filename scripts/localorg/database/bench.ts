/**
 * Micro-benchmark of the database on the project's metadata: seeds N users (default 50,000) and credentials for
 * every tenth user, then times typical queries and DML. Run: npx tsx scripts/localorg/database/bench.ts [N]
 */
import { ApexList, SObjectValue, type ApexValue } from '../core/values.js';
import { loadSchema } from '../metadata/load-schema.js';
import { createDatabase } from './database.js';
import { seedOrg, seedUsers } from './seed.js';

function time<T>(label: string, fn: () => T, out: Record<string, number>): T {
  const t0 = performance.now();
  const r = fn();
  out[label] = Math.round((performance.now() - t0) * 10) / 10;
  return r;
}

export function runBench(projectDir: string, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  const schema = time('loadSchema ms', () => loadSchema(projectDir), out);
  const db = createDatabase(schema);
  const seed = seedOrg(db);
  const users = time(`seed ${n} users ms`, () => seedUsers(db, seed, n), out);
  const credObj = schema.getObject('Avochato_API_Credential__c');
  if (credObj) {
    time(
      `seed ${Math.floor(n / 10)} credentials (direct) ms`,
      () => {
        for (let i = 0; i < users.length; i += 10)
          db.insertDirect(credObj.name, { User__c: users[i], Auth_Id__c: `AUTH${i}`, Inbox__c: `inbox${i % 7}` });
      },
      out,
    );
  }
  const q = (soql: string, binds: Record<string, ApexValue> = {}) =>
    db.query(soql, { userMode: false, bind: (t) => binds[t] ?? null });
  db.resetStats();
  const ids = new ApexList({ name: 'Id' }, users.slice(0, 200));
  time(
    'query 200 Users by Id IN :ids ms',
    () => q('SELECT Id, Name, Username FROM User WHERE Id IN :ids', { ids }),
    out,
  );
  time(
    'query page: active users ORDER BY Name LIMIT 50 OFFSET 100 + child credentials ms',
    () =>
      q(
        `SELECT Id, Name, Username, Email, (SELECT Id, Auth_Id__c, Inbox__c, Status__c FROM Avochato_API_Credentials__r) FROM User WHERE IsActive = true ORDER BY Name LIMIT 50 OFFSET 100`,
      ),
    out,
  );
  time(
    'same page query again (warm) ms',
    () =>
      q(
        `SELECT Id, Name, Username, Email, (SELECT Id, Auth_Id__c, Inbox__c, Status__c FROM Avochato_API_Credentials__r) FROM User WHERE IsActive = true ORDER BY Name LIMIT 50 OFFSET 100`,
      ),
    out,
  );
  time(
    "query search: Name LIKE '%lovelace 4%' OR Username LIKE ... LIMIT 50 ms",
    () => q(`SELECT Id, Name FROM User WHERE Name LIKE '%lovelace 4%' OR Username LIKE '%lovelace 4%' LIMIT 50`),
    out,
  );
  time('query SELECT COUNT() FROM User ms', () => q('SELECT COUNT() FROM User'), out);
  time(
    'query credentials by Auth_Id__c (index) ms',
    () => q(`SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Id__c = 'AUTH500'`),
    out,
  );
  time(
    'aggregate Status__c counts ms',
    () => q('SELECT Status__c, COUNT(Id) FROM Avochato_API_Credential__c GROUP BY Status__c'),
    out,
  );
  out['rows scanned by the queries above'] = db.stats.rowsScanned;
  const recs = users.slice(1, 201).map((u, i) => {
    const r = new SObjectValue('Avochato_API_Credential__c');
    r.setRaw('User__c', u);
    r.setRaw('Auth_Id__c', `NEW${i}`);
    return r;
  });
  time(
    'insert 200 credentials (DML, validation, unique check) ms',
    () => db.dml('insert', recs, { allOrNone: true, userMode: false }),
    out,
  );
  const snap = db.snapshot();
  time(
    'snapshot+insert 200+restore ms',
    () => {
      const more = users.slice(1, 201).map((u, i) => {
        const r = new SObjectValue('Avochato_API_Credential__c');
        r.setRaw('User__c', u);
        r.setRaw('Auth_Id__c', `MORE${i}`);
        return r;
      });
      db.dml('insert', more, { allOrNone: true, userMode: false });
      db.restore(snap);
    },
    out,
  );
  return out;
}

if (process.argv[1] && /bench\.ts$/.test(process.argv[1])) {
  const n = Number(process.argv[2] ?? 50000);
  console.log(JSON.stringify(runBench(process.cwd(), n), null, 2));
}
