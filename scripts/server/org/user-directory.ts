/**
 * The org's users as the server needs them: who is viewing (`?as=USERNAME`), who an OAuth token belongs to,
 * and which custom permissions a user holds (asked of the org itself with FeatureManagement.checkPermission, so the
 * page sees exactly what Apex sees).
 */
import type { LocalOrgApi } from '../../localorg/core/org-api.js';
import { ApexId } from '../../localorg/core/values.js';
import { id, parent, soqlString, text } from './records.js';

export interface OrgUser {
  id: string;
  username: string;
  name: string;
  email: string;
  profileName: string | null;
}

const USER_FIELDS = 'Id, Username, Name, Email, ProfileId, IsActive';

export class UserDirectory {
  private readonly byIdCache = new Map<string, OrgUser>();
  private readonly permCache = new Map<string, string[]>();
  private profileNames: Map<string, string> | null = null;

  constructor(private readonly org: LocalOrgApi) {}

  private profileName(profileId: string | null): string | null {
    if (!profileId) return null;
    if (!this.profileNames) {
      this.profileNames = new Map(
        this.org.query('SELECT Id, Name FROM Profile').map((p) => [id(p).slice(0, 15), text(p, 'Name') ?? '']),
      );
    }
    return this.profileNames.get(profileId.slice(0, 15)) ?? null;
  }

  private toUser(rec: Parameters<typeof id>[0]): OrgUser {
    const profileId = text(rec, 'ProfileId');
    const u: OrgUser = {
      id: id(rec),
      username: text(rec, 'Username') ?? '',
      name: text(rec, 'Name') ?? text(rec, 'Username') ?? '',
      email: text(rec, 'Email') ?? '',
      profileName: parent(rec, 'Profile') ? text(parent(rec, 'Profile')!, 'Name') : this.profileName(profileId),
    };
    this.byIdCache.set(u.id, u);
    return u;
  }

  byUsername(username: string): OrgUser | null {
    const rows = this.org.query(`SELECT ${USER_FIELDS} FROM User WHERE Username = ${soqlString(username)} LIMIT 1`);
    return rows.length ? this.toUser(rows[0]) : null;
  }

  byId(userId: string): OrgUser | null {
    const cached = this.byIdCache.get(userId);
    if (cached) return cached;
    const rows = this.org.query(`SELECT ${USER_FIELDS} FROM User WHERE Id = ${soqlString(userId)} LIMIT 1`);
    return rows.length ? this.toUser(rows[0]) : null;
  }

  /** The first active user with the System Administrator profile: the org's own admin. */
  admin(): OrgUser {
    const profiles = this.org.query(`SELECT Id FROM Profile WHERE Name = 'System Administrator' LIMIT 1`);
    if (!profiles.length) throw new Error('the local org has no System Administrator profile');
    const rows = this.org.query(
      `SELECT ${USER_FIELDS} FROM User WHERE ProfileId = ${soqlString(id(profiles[0]))} ORDER BY CreatedDate LIMIT 1`,
    );
    if (!rows.length) throw new Error('the local org has no admin user');
    return this.toUser(rows[0]);
  }

  /** A few users to offer in the page's "view as" menu (the named demo users first). */
  sample(usernames: string[]): OrgUser[] {
    return usernames.map((u) => this.byUsername(u)).filter((u): u is OrgUser => u !== null);
  }

  /** Names of the custom permissions the user holds, as FeatureManagement.checkPermission reports them. */
  customPermissions(userId: string): string[] {
    const cached = this.permCache.get(userId);
    if (cached) return cached;
    const names = this.org.schema.customPermissions();
    if (!names.length) return [];
    const source = names
      .map((n) => `System.debug(${soqlString(n)} + '=' + FeatureManagement.checkPermission(${soqlString(n)}));`)
      .join('\n');
    const res = this.org.runAnonymous(source, { asUserId: new ApexId(userId), fileName: 'custom-permissions.apex' });
    if (!res.ok) throw new Error(`cannot read custom permissions: ${res.error.typeName}: ${res.error.message}`);
    const held = res.debug
      .map((line) => /^([^=]+)=(true|false)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null && m[2] === 'true')
      .map((m) => m[1]);
    this.permCache.set(userId, held);
    return held;
  }

  /** Forget cached permissions (after permission set assignments change). */
  forgetPermissions(): void {
    this.permCache.clear();
  }
}
