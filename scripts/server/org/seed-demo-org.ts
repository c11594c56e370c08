/**
 * Seeds the demo org: users (system mode, like a data load), permission set assignments, then credentials through
 * the package's own global API as the admin (so the trigger encrypts the secrets and enqueues confirmation), then
 * runs the confirmation jobs that are due.
 *
 * On an org loaded from saved data (`restored`), nothing that is there is touched: the admin and the named users are
 * found by username, no generic users, credentials or admin permission set are added, and the restored queued jobs
 * wait for their time (the server's job pump runs them). Only a named user missing from the saved data is created.
 */
import type { LocalOrgApi } from '../../localorg/core/org-api.js';
import type { SObjectValue } from '../../localorg/core/values.js';
import { id, record, soqlString, text } from './records.js';
import { DEMO_CREDENTIALS, NAMED_USERS, genericUsername, type DemoUser } from './demo-data.js';

export interface SeedResult {
  adminUsername: string;
  adminId: string;
  integrationUserId: string;
  users: number;
  credentials: number;
  /** Why credentials were not seeded, if they were not. */
  credentialWarning: string | null;
  jobsRun: number;
}

const CHUNK = 2000;

function userRecord(u: { first: string; last: string; username: string }, profileId: string): SObjectValue {
  const alias = (u.first.slice(0, 1) + u.last.replace(/\s/g, '')).slice(0, 8).toLowerCase();
  return record('User', {
    FirstName: u.first,
    LastName: u.last,
    Username: u.username,
    Email: u.username,
    Alias: alias,
    ProfileId: profileId,
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    IsActive: true,
  });
}

export function seedDemoOrg(
  org: LocalOrgApi,
  genericUsers: number,
  opts: { credentials?: boolean; restored?: boolean } = {},
): SeedResult {
  const restored = opts.restored === true;
  const profiles = new Map(org.query('SELECT Id, Name FROM Profile').map((p) => [text(p, 'Name') ?? '', id(p)]));
  const adminProfile = profiles.get('System Administrator');
  const standardProfile = profiles.get('Standard User');
  if (!adminProfile || !standardProfile)
    throw new Error('the org lacks the System Administrator or Standard User profile');
  const permSets = new Map(org.query('SELECT Id, Name FROM PermissionSet').map((p) => [text(p, 'Name') ?? '', id(p)]));
  const admins = org.query(
    `SELECT Id, Username FROM User WHERE ProfileId = ${soqlString(adminProfile)} ORDER BY CreatedDate LIMIT 1`,
  );
  if (!admins.length) throw new Error('the org has no admin user');
  const adminId = id(admins[0]);
  const adminUsername = text(admins[0], 'Username') ?? '';

  const named: DemoUser[] = NAMED_USERS.filter(
    (u) => !org.query(`SELECT Id FROM User WHERE Username = ${soqlString(u.username)} LIMIT 1`).length,
  );
  const namedIds = org.insertRecords(named.map((u) => userRecord(u, u.admin ? adminProfile : standardProfile)));
  const userIds = new Map(named.map((u, k) => [u.username, namedIds[k].value]));
  for (const u of NAMED_USERS) {
    if (!userIds.has(u.username))
      userIds.set(
        u.username,
        id(org.query(`SELECT Id FROM User WHERE Username = ${soqlString(u.username)} LIMIT 1`)[0]),
      );
  }

  const assignments: SObjectValue[] = [];
  const assign = (userId: string, name: string): void => {
    const ps = permSets.get(name);
    if (!ps) throw new Error(`permission set ${name} is not in the org`);
    assignments.push(record('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: ps }));
  };
  const existing = new Set(
    org
      .query(`SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment`)
      .map((a) => `${text(a, 'AssigneeId')}/${text(a, 'PermissionSetId')}`),
  );
  if (!restored && !existing.has(`${adminId}/${permSets.get('Avochato_Admin')}`)) assign(adminId, 'Avochato_Admin');
  for (const u of named) for (const ps of u.permissionSets) assign(userIds.get(u.username)!, ps);
  if (assignments.length) org.insertRecords(assignments);

  let generic = 0;
  for (let start = 1; start <= (restored ? 0 : genericUsers); start += CHUNK) {
    const batch: SObjectValue[] = [];
    for (let n = start; n < start + CHUNK && n <= genericUsers; n++) {
      batch.push(
        userRecord(
          { first: 'Demo', last: `User ${String(n).padStart(5, '0')}`, username: genericUsername(n) },
          standardProfile,
        ),
      );
    }
    generic += org.insertRecords(batch).length;
  }

  let credentials = 0;
  let credentialWarning: string | null = null;
  const lines: string[] = [];
  (opts.credentials === false || restored ? [] : DEMO_CREDENTIALS).forEach((c, k) => {
    const inbox = c.inbox === null ? 'null' : soqlString(c.inbox);
    lines.push(
      `AvochatoCredentials.Credential c${k} = AvochatoCredentials.create(${soqlString(userIds.get(c.username)!)}, ${soqlString(c.authId)}, ${soqlString(`demo-secret-${k}-${c.authId.toLowerCase()}`)}, ${inbox}, ${c.makeDefault});`,
    );
    if (c.deactivate) lines.push(`AvochatoCredentials.setActive(c${k}.recordId, false);`);
  });
  if (lines.length) {
    const res = org.runAnonymous(lines.join('\n'), { fileName: 'seed-demo-credentials.apex' });
    if (res.ok) credentials = DEMO_CREDENTIALS.length;
    else credentialWarning = `${res.error.typeName}: ${res.error.message}`;
  }

  let jobsRun = 0;
  for (let pass = 0; pass < (restored ? 0 : 5); pass++) {
    const n = org.runQueuedJobs({ includeDelayed: true });
    jobsRun += n;
    if (n === 0) break;
  }
  const integrationUserId = userIds.get(
    NAMED_USERS.find((u) => u.permissionSets.includes('Avochato_Integration'))!.username,
  )!;
  return {
    adminUsername,
    adminId,
    integrationUserId,
    users: named.length + generic,
    credentials,
    credentialWarning,
    jobsRun,
  };
}
