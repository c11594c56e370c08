/** Test helpers: a seeded database over the fixture project. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TriggerContext } from '../../core/runtime.js';
import { SObjectValue, type ApexValue } from '../../core/values.js';
import { loadSchema } from '../../metadata/load-schema.js';
import { createDatabase, type LocalDatabase } from '../database.js';
import { seedOrg, type SeedResult } from '../seed.js';

export const FIXTURE = join(fileURLToPath(new URL('.', import.meta.url)), '../../metadata/__tests__/fixtures/proj');

export function setup(opts: { triggers?: (ctx: TriggerContext) => void; shuffle?: boolean } = {}): {
  db: LocalDatabase;
  seed: SeedResult;
} {
  const schema = loadSchema(FIXTURE);
  const db = createDatabase(
    schema,
    { runTriggers: opts.triggers, now: () => Date.UTC(2026, 10, 23, 12, 0, 0) },
    { shuffle: opts.shuffle ?? true },
  );
  const seed = seedOrg(db);
  return { db, seed };
}

export function rec(type: string, fields: Record<string, ApexValue>): SObjectValue {
  const r = new SObjectValue(type);
  for (const [k, v] of Object.entries(fields)) r.setRaw(k, v);
  return r;
}

export function q(db: LocalDatabase, soql: string, binds: Record<string, ApexValue> = {}): SObjectValue[] {
  const out = db.query(soql, {
    userMode: false,
    bind: (t) => {
      if (!(t in binds)) throw new Error(`unbound ${t}`);
      return binds[t];
    },
  });
  if (typeof out === 'number') throw new Error('count');
  return out.items as SObjectValue[];
}
