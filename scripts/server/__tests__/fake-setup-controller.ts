/**
 * TEST-ONLY: an in-memory imitation of AvochatoSetupController on the FakeOrg, so the page, the shims and the
 * end-to-end harness can be exercised before the real local org exists. Statuses follow the emulator's
 * conventions when the fake's "jobs" run: FAIL* -> Failed, anything else -> Confirmed.
 */
import type { InvokeResult } from '../../localorg/core/org-api.js';
import type { FakeOrg } from './fake-org.js';

interface Cred {
  id: string;
  userId: string;
  authId: string;
  inbox: string | null;
  isDefault: boolean;
  isActive: boolean;
  status: 'Pending' | 'Confirmed' | 'Failed';
  statusMessage: string | null;
  confirmedAt: string | null;
}

export function installFakeSetupController(org: FakeOrg): void {
  const creds: Cred[] = [];
  let seq = 0;
  const pendingConfirm: string[] = [];
  const users = () => org.tables.get('User')!;
  const manage = (userId: string) => (org.grants.get(userId) ?? []).includes('Avochato_Manage_Credentials');
  const denied = (): InvokeResult => ({
    ok: false,
    debug: [],
    error: {
      typeName: 'System.AuraHandledException',
      message: 'You need the Avochato Manage Credentials permission to see or change credentials.',
      stackTrace: '',
    },
  });
  const dto = (u: Record<string, unknown>, c: Cred | null) => ({
    key: c ? c.id : String(u.Id),
    userId: u.Id,
    fullName: u.Name,
    username: u.Username,
    email: u.Email,
    userActive: true,
    credentialId: c?.id ?? null,
    authId: c?.authId ?? null,
    inbox: c?.inbox ?? null,
    isDefault: c?.isDefault ?? false,
    isActive: c?.isActive ?? false,
    status: c?.status ?? null,
    statusMessage: c?.statusMessage ?? null,
    confirmedAt: c?.confirmedAt ?? null,
    lastModified: null,
  });
  const rowsFor = (c: Cred) => [
    dto(
      users().find((u) => u.Id === c.userId)!,
      c,
    ),
  ];
  const allRows = () =>
    users().flatMap((u) => {
      const mine = creds.filter((c) => c.userId === u.Id);
      return mine.length ? mine.map((c) => dto(u, c)) : [dto(u, null)];
    });
  const queue = (c: Cred) => {
    c.status = 'Pending';
    pendingConfirm.push(c.id);
    org.enqueue();
  };
  const origRun = org.runQueuedJobs.bind(org);
  org.runQueuedJobs = () => {
    const n = origRun();
    if (n > 0) {
      for (const id of pendingConfirm.splice(0)) {
        const c = creds.find((x) => x.id === id)!;
        if (c.authId.toUpperCase().startsWith('FAIL')) {
          c.status = 'Failed';
          c.statusMessage = 'Avochato refused these credentials (401 Unauthorized).';
        } else {
          c.status = 'Confirmed';
          c.statusMessage = `Avochato user ${c.authId}, inbox ${c.inbox ?? 'default'}`;
          c.confirmedAt = new Date().toISOString();
        }
      }
    }
    return n;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads arbitrary JSON
  const h = (name: string, fn: (p: Record<string, any>, userId: string) => unknown) =>
    org.auraHandlers.set(`AvochatoSetupController.${name}`, (p, userId) =>
      manage(userId) ? { ok: true, debug: [], value: fn(p, userId) } : denied(),
    );

  h('getHealth', (_p, userId) => {
    const def = creds.find((c) => c.isDefault) ?? null;
    return {
      hasDefault: !!def,
      defaultConfirmed: def?.status === 'Confirmed',
      defaultCredential: def ? rowsFor(def)[0] : null,
      pendingCount: creds.filter((c) => c.isActive && c.status === 'Pending').length,
      confirmedCount: creds.filter((c) => c.isActive && c.status === 'Confirmed').length,
      failedCount: creds.filter((c) => c.isActive && c.status === 'Failed').length,
      inactiveCount: creds.filter((c) => !c.isActive).length,
      totalCount: creds.length,
      myCredentials: creds.filter((c) => c.userId === userId).flatMap(rowsFor),
    };
  });
  h('getRows', (p) => {
    const term = String(p.searchTerm ?? '').toLowerCase();
    const rows = allRows().filter(
      (r) =>
        !term ||
        [r.fullName, r.username, r.email, r.authId, r.inbox].some((v) =>
          String(v ?? '')
            .toLowerCase()
            .includes(term),
        ),
    );
    const start = p.afterCursor ? Number(p.afterCursor) : 0;
    const size = Number(p.pageSize ?? 50);
    const page = rows.slice(start, start + size);
    return {
      rows: page,
      hasMore: start + size < rows.length,
      nextCursor: start + size < rows.length ? String(start + size) : null,
    };
  });
  h('getStatuses', (p) => creds.filter((c) => (p.credentialIds as string[]).includes(c.id)).flatMap(rowsFor));
  h('createCredential', (p) => {
    const c: Cred = {
      id: `a015e00000${String(++seq).padStart(5, '0')}AAA`,
      userId: p.userId,
      authId: p.authId,
      inbox: p.inbox || null,
      isDefault: false,
      isActive: true,
      status: 'Pending',
      statusMessage: null,
      confirmedAt: null,
    };
    creds.push(c);
    if (p.makeDefault) for (const x of creds) x.isDefault = x === c;
    queue(c);
    return rowsFor(c);
  });
  h('makeDefault', (p) => {
    for (const x of creds) x.isDefault = x.id === p.credentialId;
    return creds.flatMap(rowsFor);
  });
  h('setActive', (p) => {
    const c = creds.find((x) => x.id === p.credentialId)!;
    c.isActive = !!p.active;
    if (!c.isActive) c.isDefault = false;
    return rowsFor(c);
  });
  /** Queues a confirmation of each credential, answering as confirm / confirmAllPending do. */
  const confirmAll = (list: typeof creds) => {
    list.forEach(queue);
    return {
      queued: list.length,
      jobId: '7075e000000FAKEAAA',
      requestedAt: new Date().toISOString(),
      rows: list.flatMap(rowsFor),
    };
  };
  h('confirm', (p) => confirmAll(creds.filter((c) => (p.credentialIds as string[]).includes(c.id))));
  h('confirmAllPending', () => confirmAll(creds.filter((c) => c.isActive && c.status === 'Pending')));
}
