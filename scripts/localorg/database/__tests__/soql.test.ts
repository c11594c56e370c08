import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlatformError, UnsupportedFeature } from '../../core/errors.js';
import { ApexDate, ApexDatetime, ApexDecimal, ApexId, ApexList, ApexSet, SObjectValue } from '../../core/values.js';
import type { ApexValue } from '../../core/values.js';
import { q, rec, setup } from './helpers.js';

function world() {
  const { db, seed } = setup();
  const accts = ['Acme', 'beta', 'Gamma', 'delta', 'Epsilon'].map((n, i) =>
    rec('Account', { Name: n, NumberOfEmployees: i * 10, Industry: i % 2 ? 'Retail' : null }),
  );
  db.dml('insert', accts, { allOrNone: true, userMode: false });
  const contacts = accts.flatMap((a, i) =>
    Array.from({ length: i }, (_, k) =>
      rec('Contact', { LastName: `C${i}-${k}`, AccountId: a.id, Email: `c${i}${k}@x.test` }),
    ),
  );
  db.dml('insert', contacts, { allOrNone: true, userMode: false });
  return { db, seed, accts, contacts };
}

test('WHERE: case-insensitive strings, LIKE, IN, NOT IN, null semantics of !=', () => {
  const { db } = world();
  assert.equal(q(db, "SELECT Id FROM Account WHERE Name = 'ACME'").length, 1);
  assert.equal(q(db, "SELECT Id FROM Account WHERE Name LIKE '%ta'").length, 2); // beta, delta
  assert.equal(q(db, "SELECT Id FROM Account WHERE Name LIKE 'g_mma'").length, 1);
  assert.equal(q(db, "SELECT Id FROM Account WHERE Name IN ('acme', 'GAMMA')").length, 2);
  assert.equal(q(db, "SELECT Id FROM Account WHERE Name NOT IN ('acme')").length, 4);
  assert.equal(q(db, 'SELECT Id FROM Account WHERE Industry = null').length, 3);
  assert.equal(q(db, "SELECT Id FROM Account WHERE Industry != 'Retail'").length, 3); // nulls included
  assert.equal(q(db, 'SELECT Id FROM Account WHERE NumberOfEmployees >= 20 AND NumberOfEmployees < 40').length, 2);
  assert.equal(q(db, "SELECT Id FROM Account WHERE (Name = 'Acme' OR Name = 'beta') AND NOT Name = 'beta'").length, 1);
});

test('AND and OR cannot be mixed without parentheses', () => {
  const { db } = world();
  assert.throws(
    () => q(db, "SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'"),
    (e: unknown) => e instanceof PlatformError && e.typeName === 'System.QueryException',
  );
});

test('binds: scalars, lists, sets, SObject lists and dotted expressions', () => {
  const { db, accts } = world();
  const ids = new ApexList({ name: 'Id' }, [accts[0].id, accts[1].id]);
  assert.equal(q(db, 'SELECT Id FROM Account WHERE Id IN :ids', { ids }).length, 2);
  const set = new ApexSet({ name: 'String' });
  set.entries.set('a', 'acme');
  assert.equal(q(db, 'SELECT Id FROM Account WHERE Name IN :names', { names: set }).length, 1);
  const recs = new ApexList({ name: 'Account' }, [accts[2]]);
  assert.equal(q(db, 'SELECT Id FROM Contact WHERE AccountId IN :recs', { recs }).length, 2);
  assert.equal(q(db, 'SELECT Id FROM Account WHERE Id = :acc.Id', { 'acc.Id': accts[3].id }).length, 1);
  // a 15-character Id string matches the 18-character Id
  assert.equal(q(db, 'SELECT Id FROM Account WHERE Id = :s', { s: accts[3].id!.value.slice(0, 15) }).length, 1);
  assert.equal(q(db, 'SELECT Id FROM Account LIMIT :n', { n: 2 }).length, 2);
});

test('ORDER BY: ASC default, case-insensitive, nulls first by default, NULLS LAST, multiple keys', () => {
  const { db } = world();
  assert.deepEqual(
    q(db, 'SELECT Name FROM Account ORDER BY Name').map((r) => r.getRaw('Name')),
    ['Acme', 'beta', 'delta', 'Epsilon', 'Gamma'],
  );
  assert.deepEqual(
    q(db, 'SELECT Name FROM Account ORDER BY Name DESC LIMIT 2').map((r) => r.getRaw('Name')),
    ['Gamma', 'Epsilon'],
  );
  const byInd = q(db, 'SELECT Name, Industry FROM Account ORDER BY Industry, Name');
  assert.equal(byInd[0].getRaw('Industry'), null);
  const byIndDesc = q(db, 'SELECT Name, Industry FROM Account ORDER BY Industry DESC, Name');
  assert.equal(byIndDesc[0].getRaw('Industry'), null); // "By default, null values are sorted first"
  const last = q(db, 'SELECT Name, Industry FROM Account ORDER BY Industry ASC NULLS LAST, Name');
  assert.equal(last[0].getRaw('Industry'), 'Retail');
  assert.deepEqual(
    q(db, 'SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1').map((r) => r.getRaw('Name')),
    ['beta', 'delta'],
  );
  assert.throws(() => q(db, 'SELECT Name FROM Account OFFSET 2001'), /Maximum SOQL offset allowed is 2000/);
});

test('without ORDER BY the order is shuffled (seeded), not insertion order', () => {
  const { db } = world();
  const orders = new Set<string>();
  for (let i = 0; i < 5; i++)
    orders.add(
      q(db, 'SELECT Name FROM Account')
        .map((r) => r.getRaw('Name'))
        .join(','),
    );
  assert.ok(orders.size > 1);
});

test('rows: only selected fields plus Id, fromQuery, parent paths and child subqueries', () => {
  const { db } = world();
  const [c] = q(db, "SELECT LastName, Account.Name, Account.Owner.Name FROM Contact WHERE LastName = 'C1-0'");
  assert.equal(c.fromQuery, true);
  assert.ok(c.has('Id') && c.has('LastName') && !c.has('Email'));
  const a = c.getRaw('Account') as SObjectValue;
  assert.equal(a.getRaw('Name'), 'beta');
  assert.equal((a.getRaw('Owner') as SObjectValue).getRaw('Name'), 'Local Admin');
  const accs = q(
    db,
    "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName DESC) FROM Account WHERE Name IN ('Acme', 'Gamma')",
  );
  const byName = Object.fromEntries(
    accs.map((x) => [
      x.getRaw('Name'),
      (x.getRaw('Contacts') as ApexList).items.map((i) => (i as SObjectValue).getRaw('LastName')),
    ]),
  );
  assert.deepEqual(byName, { Acme: [], Gamma: ['C2-1', 'C2-0'] });
});

test('semi-join: Id IN (SELECT lookup FROM child)', () => {
  const { db } = world();
  assert.equal(
    q(db, "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName LIKE 'C3%')").length,
    1,
  );
  assert.equal(q(db, 'SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)').length, 1);
});

test('COUNT() and aggregates with GROUP BY, aliases and exprN', () => {
  const { db } = world();
  assert.equal(db.query('SELECT COUNT() FROM Contact', { userMode: false, bind: () => null }), 10);
  const rows = q(
    db,
    'SELECT Industry, COUNT(Id) cnt, SUM(NumberOfEmployees), MAX(Name) FROM Account GROUP BY Industry ORDER BY Industry NULLS LAST',
  );
  assert.equal(rows[0].sobjectType, 'AggregateResult');
  assert.equal(rows[0].getRaw('Industry'), 'Retail');
  assert.equal(rows[0].getRaw('cnt'), 2);
  assert.equal(rows[0].getRaw('expr0'), 40); // 10 + 30 (Integer field: Integer sum)
  assert.equal(rows[0].getRaw('expr1'), 'delta');
  const avg = q(db, 'SELECT AVG(NumberOfEmployees) a, COUNT_DISTINCT(Industry) d FROM Account')[0];
  assert.equal((avg.getRaw('a') as ApexDecimal).v.toNumber(), 20);
  assert.equal(avg.getRaw('d'), 1);
  assert.throws(
    () => q(db, 'SELECT Name, COUNT(Id) FROM Account GROUP BY Industry'),
    /Field must be grouped or aggregated: Name/,
  );
  const having = q(db, 'SELECT AccountId, COUNT(Id) FROM Contact GROUP BY AccountId HAVING COUNT(Id) > 2');
  assert.equal(having.length, 2);
});

test('date literals and date/datetime values', () => {
  const { db } = world(); // clock: 2026-11-23 12:00 UTC (America/Los_Angeles: 04:00 the same day)
  assert.equal(q(db, 'SELECT Id FROM Account WHERE CreatedDate = TODAY').length, 5);
  assert.equal(q(db, 'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:3').length, 5);
  assert.equal(q(db, 'SELECT Id FROM Account WHERE CreatedDate = YESTERDAY').length, 0);
  assert.equal(q(db, 'SELECT Id FROM Account WHERE CreatedDate = THIS_MONTH').length, 5);
  assert.equal(q(db, 'SELECT Id FROM Account WHERE CreatedDate > 2026-11-23T00:00:00Z').length, 5);
  assert.equal(
    q(db, 'SELECT Id FROM Account WHERE CreatedDate < :d', { d: new ApexDatetime(Date.UTC(2026, 0, 1)) }).length,
    0,
  );
  const { db: db2 } = setup();
  db2.dml('insert', [rec('Contact', { LastName: 'B', Birthdate: new ApexDate(2026, 11, 22) })], {
    allOrNone: true,
    userMode: false,
  });
  assert.equal(q(db2, 'SELECT Id FROM Contact WHERE Birthdate = YESTERDAY').length, 1);
  assert.equal(q(db2, 'SELECT Id FROM Contact WHERE Birthdate = 2026-11-22').length, 1);
  assert.throws(
    () => q(db2, "SELECT Id FROM Contact WHERE Birthdate = '2026-11-22'"),
    /must be of type date and should not be enclosed in quotes/,
  );
});

test('errors: unknown column, object and relationship; unsupported syntax', () => {
  const { db } = world();
  assert.throws(
    () => q(db, 'SELECT Foo FROM Account'),
    /^Error: No such column 'Foo' on entity 'Account'\. If you are attempting to use a custom field/,
  );
  assert.throws(() => q(db, 'SELECT Id FROM Nope__c'), /sObject type 'Nope__c' is not supported/);
  assert.throws(
    () => q(db, 'SELECT Foo__r.Name FROM Account'),
    /Didn't understand relationship 'Foo__r' in field path/,
  );
  assert.throws(
    () => q(db, 'SELECT Id, (SELECT Id FROM Nopes) FROM Account'),
    /Didn't understand relationship 'Nopes' in FROM part of query call/,
  );
  assert.throws(() => q(db, "SELECT Id FROM Account WHERE Id = 'xyz'"), /invalid ID field: xyz/);
  assert.equal(q(db, 'SELECT Id FROM Account ALL ROWS').length, 5);
  assert.throws(() => q(db, 'SELECT Id FROM Account FOR UPDATE ALL ROWS'), /ALL ROWS with FOR UPDATE/);
  assert.throws(() => q(db, 'SELECT TYPEOF Owner WHEN User THEN Name END FROM Account'), UnsupportedFeature);
  assert.throws(() => q(db, 'SELECT toLabel(Industry) FROM Account'), UnsupportedFeature);
  assert.equal(q(db, 'SELECT Id FROM Account FOR UPDATE').length, 5);
  // "You can't use the ORDER BY clause in any SOQL query that uses locking": refused, never run.
  assert.throws(() => q(db, 'SELECT Id FROM Account ORDER BY Name FOR UPDATE'), /ORDER BY with FOR UPDATE/);
});

test('custom metadata records are queryable', () => {
  const { db } = setup();
  const [r] = q(
    db,
    "SELECT DeveloperName, Base_URL__c, Timeout_Ms__c, Enabled__c FROM Avochato_Setting__mdt WHERE DeveloperName = 'Default'",
  );
  assert.equal(r.getRaw('Base_URL__c'), 'https://www.avochato.com');
  assert.equal(r.getRaw('Enabled__c'), true);
});

test('limits: 100 queries, rows counted; stats for benchmarks', () => {
  const { db } = world();
  db.resetStats();
  for (let i = 0; i < 100; i++) q(db, 'SELECT Id FROM Account WHERE Id = :x', { x: new ApexId('001000000000001AAA') });
  assert.throws(() => q(db, 'SELECT Id FROM Account'), /Too many SOQL queries: 101/);
  assert.equal(db.stats.queries, 100);
  assert.ok(db.stats.rowsScanned <= 100); // Id lookups use the primary key
});

test('equality on a unique case-sensitive field is case-sensitive', () => {
  const { db, seed } = setup();
  db.dml('insert', [rec('Avochato_API_Credential__c', { User__c: seed.adminUserId, Auth_Id__c: 'AbC' })], {
    allOrNone: true,
    userMode: false,
  });
  assert.equal(q(db, "SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Id__c = 'abc'").length, 0);
  assert.equal(q(db, "SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Id__c = 'AbC'").length, 1);
  assert.equal(q(db, "SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Id__c IN ('abc', 'x')").length, 0);
  assert.equal(q(db, "SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Id__c LIKE 'abc'").length, 1);
  assert.equal(q(db, 'SELECT Id FROM Avochato_API_Credential__c WHERE Inbox__c = null').length, 1);
});

test('long text fields cannot be filtered; duplicate fields are rejected', () => {
  const { db } = setup();
  assert.throws(
    () => q(db, "SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Secret__c = 'x'"),
    /field 'Auth_Secret__c' can not be filtered in a query call/,
  );
  assert.throws(() => q(db, 'SELECT Id, Name, name FROM Account'), /duplicate field selected: name/);
  assert.equal(q(db, 'SELECT Id, Account.Name, Name FROM Contact').length, 0);
});

test('FIELDS(): REST API queries may select unbounded groups with a LIMIT of at most 200; Apex may not', () => {
  const { db } = world();
  const api = (soql: string) => {
    const out = db.query(soql, { userMode: true, bind: () => null, apiQuery: true });
    if (typeof out === 'number') throw new Error('count');
    return out.items as SObjectValue[];
  };
  const [custom] = api("SELECT FIELDS(CUSTOM) FROM Account WHERE Name = 'Acme' LIMIT 200");
  assert.ok(custom.has('Avochato_Phone__c'));
  assert.ok(!custom.has('Name'));
  const [all] = api("SELECT FIELDS(ALL) FROM Account WHERE Name = 'Acme' LIMIT 1");
  assert.equal(all.getRaw('Name'), 'Acme');
  assert.ok(all.has('Avochato_Phone__c'));
  for (const soql of ['SELECT FIELDS(ALL) FROM Account', 'SELECT FIELDS(CUSTOM) FROM Account LIMIT 201'])
    assert.throws(() => api(soql), /^Error: The SOQL FIELDS function must have a LIMIT of at most 200$/);
  // FIELDS(STANDARD) is bounded: no LIMIT needed, custom fields left out.
  const std = api('SELECT FIELDS(STANDARD) FROM Account');
  assert.equal(std.length, 5);
  assert.ok(std[0].has('Industry') && !std[0].has('Avochato_Phone__c'));
  assert.throws(
    () => q(db, 'SELECT FIELDS(ALL) FROM Account LIMIT 5'),
    /not supported with an unbounded set of fields in this API/,
  );
  assert.throws(() => q(db, 'SELECT FIELDS(EVERYTHING) FROM Account'), /unexpected token: 'EVERYTHING'/);
  assert.throws(() => q(db, 'SELECT Industry, FIELDS(STANDARD) FROM Account'), /duplicate field selected: Industry/);
});

test('a child subquery may name its parent: FROM Account.Contacts', () => {
  const { db } = world();
  const rows = q(db, "SELECT Name, (SELECT LastName FROM Account.Contacts) FROM Account WHERE Name = 'Epsilon'");
  assert.equal((rows[0].getRaw('Contacts') as ApexList).items.length, 4);
  const aliased = q(db, "SELECT Name, (SELECT Contact.LastName FROM a.Contacts) FROM Account a WHERE Name = 'beta'");
  assert.equal((aliased[0].getRaw('Contacts') as ApexList).items.length, 1);
  assert.throws(
    () => q(db, 'SELECT Name, (SELECT LastName FROM Lead.Contacts) FROM Account'),
    /Didn't understand relationship 'Lead.Contacts' in FROM part of query call/,
  );
});

test('SOSL: fixed results per RETURNING object with its clauses; unsupported outside tests and for unknown syntax', () => {
  const { db, accts, contacts } = world();
  const fixedResults = [accts[0].id!.value, accts[1].id!.value, contacts[0].id!.value];
  const search = (sosl: string, binds: Record<string, ApexValue> = {}, fixed: string[] | undefined = fixedResults) =>
    db.search(sosl, { bind: (t) => binds[t] ?? null, fixedResults: fixed }).items as ApexList[];
  const [a, c] = search("FIND {Acme} RETURNING Account(Name WHERE Name != 'beta'), Contact(LastName, Account.Name)");
  assert.deepEqual(
    a.items.map((r) => (r as SObjectValue).getRaw('Name')),
    ['Acme'],
  );
  assert.equal(c.elemType.name, 'Contact');
  assert.equal(((c.items[0] as SObjectValue).getRaw('Account') as SObjectValue).getRaw('Name'), 'beta');
  // No field list: the records carry their Id; the query's LIMIT caps the total in RETURNING order.
  const [ids, none] = search("FIND 'x*' IN NAME FIELDS RETURNING Account, Contact LIMIT :n", { n: 2 });
  assert.equal(ids.items.length, 2);
  assert.equal(none.items.length, 0);
  assert.ok((ids.items[0] as SObjectValue).has('Id') && !(ids.items[0] as SObjectValue).has('Name'));
  assert.deepEqual(
    search('FIND {a} RETURNING Account(Name)', {}, []).map((l) => l.items.length),
    [0],
  );
  assert.throws(() => db.search('FIND {a} RETURNING Account', { bind: () => null }), UnsupportedFeature);
  assert.throws(() => search('FIND {a} IN ALL FIELDS'), UnsupportedFeature);
  assert.throws(() => search('FIND {a} RETURNING Account WITH SNIPPET'), UnsupportedFeature);
  assert.throws(() => search('FIND {a} IN SOME FIELDS RETURNING Account'), /unexpected token: 'SOME'/);
  assert.throws(() => search('FIND {a} RETURNING Nope__c'), /sObject type 'Nope__c' is not supported/);
  assert.throws(() => search('FIND {a RETURNING Account'), /unterminated search term/);
});
