/**
 * The demo org `npm start` seeds: named users for each role, generic users for volume, and credentials in every
 * state (Auth Ids follow the emulator's conventions: FAIL -> 401, FLAKY -> 503 twice then 200).
 */
export const DEMO_DOMAIN = 'avochato.demo';

export interface DemoUser {
  first: string;
  last: string;
  username: string;
  permissionSets: string[];
  /** Standard User unless said otherwise. */
  admin?: boolean;
  note: string;
}

export const NAMED_USERS: DemoUser[] = [
  {
    first: 'Tom',
    last: 'Smith',
    username: `tom.smith@${DEMO_DOMAIN}`,
    permissionSets: ['Avochato_User'],
    note: 'sender, default credential',
  },
  {
    first: 'Ana',
    last: 'Lopez',
    username: `ana.lopez@${DEMO_DOMAIN}`,
    permissionSets: ['Avochato_User'],
    note: 'sender, confirmed credential',
  },
  {
    first: 'Priya',
    last: 'Patel',
    username: `priya.patel@${DEMO_DOMAIN}`,
    permissionSets: ['Avochato_User'],
    note: 'sender, failed credential',
  },
  {
    first: 'Marcus',
    last: 'Chen',
    username: `marcus.chen@${DEMO_DOMAIN}`,
    permissionSets: ['Avochato_User'],
    note: 'sender, pending credential',
  },
  {
    first: 'Julia',
    last: 'Rossi',
    username: `julia.rossi@${DEMO_DOMAIN}`,
    permissionSets: ['Avochato_User'],
    note: 'sender, inactive credential',
  },
  {
    first: 'Ben',
    last: 'Okafor',
    username: `ben.okafor@${DEMO_DOMAIN}`,
    permissionSets: ['Avochato_User'],
    note: 'sender, no credential yet',
  },
  {
    first: 'Sam',
    last: 'Viewer',
    username: `sam.viewer@${DEMO_DOMAIN}`,
    permissionSets: [],
    note: 'no Avochato permission',
  },
  {
    first: 'Olivia',
    last: 'Admin',
    username: `olivia.admin@${DEMO_DOMAIN}`,
    permissionSets: ['Avochato_Admin'],
    note: 'Avochato admin',
    admin: false,
  },
  {
    first: 'Avochato',
    last: 'Integration',
    username: `integration@${DEMO_DOMAIN}`,
    permissionSets: ['Avochato_Integration', 'Avochato_User'],
    note: 'OAuth client credentials run-as user',
  },
];

export const INTEGRATION_USERNAME = `integration@${DEMO_DOMAIN}`;
export const NO_PERMISSION_USERNAME = `sam.viewer@${DEMO_DOMAIN}`;

export interface DemoCredential {
  username: string;
  authId: string;
  inbox: string | null;
  makeDefault: boolean;
  deactivate?: boolean;
  expect: string;
}

export const DEMO_CREDENTIALS: DemoCredential[] = [
  {
    username: `tom.smith@${DEMO_DOMAIN}`,
    authId: 'AVO-TOM-SALES',
    inbox: 'sales',
    makeDefault: true,
    expect: 'Confirmed, default',
  },
  {
    username: `ana.lopez@${DEMO_DOMAIN}`,
    authId: 'AVO-ANA-SUPPORT',
    inbox: 'support',
    makeDefault: false,
    expect: 'Confirmed',
  },
  {
    username: `priya.patel@${DEMO_DOMAIN}`,
    authId: 'FAIL-PRIYA-SUPPORT',
    inbox: 'support',
    makeDefault: false,
    expect: 'Failed (401)',
  },
  {
    username: `marcus.chen@${DEMO_DOMAIN}`,
    authId: 'FLAKY-MARCUS-SALES',
    inbox: 'sales',
    makeDefault: false,
    expect: 'Pending (503, retried)',
  },
  {
    username: `julia.rossi@${DEMO_DOMAIN}`,
    authId: 'AVO-JULIA-OLD',
    inbox: null,
    makeDefault: false,
    deactivate: true,
    expect: 'inactive',
  },
];

export function genericUsername(n: number): string {
  return `demo.user${String(n).padStart(5, '0')}@${DEMO_DOMAIN}`;
}
