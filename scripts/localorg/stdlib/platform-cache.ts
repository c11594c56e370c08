/**
 * Platform Cache (namespace Cache) and the test-context rule of Connect in Apex (namespace ConnectApi).
 *
 * Platform Cache (Apex Reference, "Cache Namespace"; Apex Developer Guide, "Platform Cache"):
 *  - Cache.Org / Cache.Session: put(key, value[, ttlSecs[, visibility[, immutable]]]), get, contains, remove, getKeys,
 *    getPartition('ns.name') (or 'local.name'); the default partition when the key has no partition prefix.
 *  - Keys are alphanumeric (`Cache.InvalidParamException` otherwise); values are copied (a later change of the object
 *    put does not change the cached value); a partition that is not in the project's metadata throws
 *    `Cache.Org.OrgCacheException` / `Cache.Session.SessionCacheException`.
 *  - Org cache is shared by the org's transactions; session cache by the transactions of one session (here: the org's).
 *    Entries expire after their time to live (default 86,400 s org, 28,800 s session).
 *  - Cache.CacheBuilder implementations: `Cache.Org.get(MyBuilder.class, key)` calls doLoad(key) on a miss.
 * Connect in Apex: "Most Connect in Apex methods require access to real org data, and fail unless used in test methods
 * marked @IsTest(SeeAllData=true)" (Apex Developer Guide, "Testing ConnectApi Code"): in a data-siloed test every
 * ConnectApi static method throws System.UnsupportedOperationException; with SeeAllData=true and outside tests it would
 * reach Chatter and the org's real data, which the local org does not model: an unsupported feature.
 */
import {
  ApexInstance,
  ApexList,
  ApexMap,
  ApexSet,
  NativeInstance,
  SObjectValue,
  type ApexValue,
} from '../core/values.js';
import { cloneSObject } from './collections.js';
import { keyOf } from '../core/ops.js';
import { platformError, UnsupportedFeature } from '../core/errors.js';
import type { NativeClass, NativeFn, Runtime } from '../core/runtime.js';
import { reqStr, typeOfToken } from './util.js';

interface Entry {
  value: ApexValue;
  expires: number;
}

interface CacheStore {
  org: Map<string, Map<string, Entry>>;
  session: Map<string, Map<string, Entry>>;
}

/**
 * One store per org (its schema object identifies it); a test method gets its own, empty one like the rest of its
 * isolated state (test suites that pass on the platform expect a key put by another test method to be absent).
 */
const stores = new WeakMap<object, CacheStore>();

function storeOf(rt: Runtime): CacheStore {
  const owner = (rt.test as object | null) ?? rt.schema;
  let s = stores.get(owner);
  if (!s) stores.set(owner, (s = { org: new Map(), session: new Map() }));
  return s;
}

/** Partitions of the project's metadata (cachePartitions/*.cachePartition-meta.xml), lower-cased names. */
function partitions(rt: Runtime): { names: Set<string>; defaultName: string | null } {
  const p = (rt.schema as unknown as { cachePartitions?: () => { name: string; isDefault: boolean }[] })
    .cachePartitions;
  const list = typeof p === 'function' ? p.call(rt.schema) : [];
  return {
    names: new Set(list.map((x) => x.name.toLowerCase())),
    defaultName: list.find((x) => x.isDefault)?.name.toLowerCase() ?? null,
  };
}

type Kind = 'org' | 'session';
const EXCEPTION: Record<Kind, string> = {
  org: 'Cache.Org.OrgCacheException',
  session: 'Cache.Session.SessionCacheException',
};
const DEFAULT_TTL: Record<Kind, number> = { org: 86400, session: 28800 };

function partitionName(rt: Runtime, kind: Kind, qualified: string): string {
  const parts = qualified.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1])
    throw platformError('Cache.InvalidParamException', `Invalid partition name: ${qualified}`);
  const name = parts[1].toLowerCase();
  if (!partitions(rt).names.has(name)) throw platformError(EXCEPTION[kind], `Partition not found: ${qualified}`);
  return name;
}

/** `key` or `ns.partition.key` -> [partition, key]. */
function splitKey(rt: Runtime, kind: Kind, key: string): [string, string] {
  const parts = key.split('.');
  if (parts.length === 3) return [partitionName(rt, kind, `${parts[0]}.${parts[1]}`), checkKey(parts[2])];
  if (parts.length !== 1) throw platformError('Cache.InvalidParamException', `Invalid key: ${key}`);
  const def = partitions(rt).defaultName;
  if (!def) throw platformError(EXCEPTION[kind], 'Default partition not found');
  return [def, checkKey(key)];
}

/** "Key must be alphanumeric" (Apex Reference, Cache.Org.put). */
function checkKey(key: string): string {
  if (!/^[A-Za-z0-9]+$/.test(key))
    throw platformError('Cache.InvalidParamException', `Invalid key: ${key}. Key must be alphanumeric.`);
  return key;
}

function bucket(rt: Runtime, kind: Kind, partition: string): Map<string, Entry> {
  const s = storeOf(rt)[kind];
  let b = s.get(partition);
  if (!b) s.set(partition, (b = new Map()));
  return b;
}

function live(b: Map<string, Entry>, key: string): Entry | undefined {
  const e = b.get(key);
  if (e && e.expires <= Date.now()) {
    b.delete(key);
    return undefined;
  }
  return e;
}

/** Cached values are copies: serialisation-like deep copy of collections, SObjects and user objects. */
function copy(v: ApexValue): ApexValue {
  if (v instanceof ApexList) return new ApexList(v.elemType, v.items.map(copy));
  if (v instanceof ApexSet) {
    const out = new ApexSet(v.elemType);
    for (const [k, x] of v.entries) out.entries.set(k, copy(x));
    return out;
  }
  if (v instanceof ApexMap) {
    const out = new ApexMap(v.keyType, v.valueType);
    for (const [k, [a, b]] of v.entries) out.entries.set(k, [copy(a), copy(b)]);
    return out;
  }
  if (v instanceof SObjectValue) return cloneSObject(v, true, true, true, true);
  if (v instanceof ApexInstance) {
    const out = new ApexInstance(v.cls);
    for (const [k, x] of v.fields) out.fields.set(k, copy(x));
    return out;
  }
  return v;
}

function ops(
  kind: Kind,
  partitionOf: (rt: Runtime, self: ApexValue | null) => string | null,
): Record<string, NativeFn> {
  const where = (rt: Runtime, self: ApexValue | null, key: string): [string, string] => {
    const p = partitionOf(rt, self);
    return p ? [p, checkKey(key)] : splitKey(rt, kind, key);
  };
  return {
    put: (rt, a, self) => {
      const [p, k] = where(rt, self, reqStr(a[0]));
      const ttl = typeof a[2] === 'number' ? a[2] : DEFAULT_TTL[kind];
      if (ttl < 300 || ttl > 172800)
        throw platformError(
          'Cache.InvalidParamException',
          `Invalid TTL: ${ttl}. Must be between 300 and 172800 seconds.`,
        );
      bucket(rt, kind, p).set(k, { value: copy(a[1]), expires: Date.now() + ttl * 1000 });
      return null;
    },
    get: (rt, a, self) => {
      if (a.length === 2) {
        // get(CacheBuilder.class, key): doLoad on a miss, the result is cached
        const [p, k] = where(rt, self, reqStr(a[1]));
        const b = bucket(rt, kind, p);
        const hit = live(b, k);
        if (hit) return copy(hit.value);
        const builder = rt.interp.newInstance(typeOfToken(a[0]).name);
        const v = rt.interp.callMethod(builder, 'doLoad', [reqStr(a[1])]);
        b.set(k, { value: copy(v), expires: Date.now() + DEFAULT_TTL[kind] * 1000 });
        return v;
      }
      const [p, k] = where(rt, self, reqStr(a[0]));
      const e = live(bucket(rt, kind, p), k);
      return e ? copy(e.value) : null;
    },
    contains: (rt, a, self) => {
      const [p, k] = where(rt, self, reqStr(a[0]));
      return live(bucket(rt, kind, p), k) !== undefined;
    },
    remove: (rt, a, self) => {
      const [p, k] = where(rt, self, reqStr(a[a.length - 1]));
      return bucket(rt, kind, p).delete(k);
    },
    getkeys: (rt, _a, self) => {
      const p = partitionOf(rt, self) ?? partitions(rt).defaultName;
      const keys = p ? [...bucket(rt, kind, p).keys()].filter((k) => live(bucket(rt, kind, p), k)) : [];
      const set = new ApexSet({ name: 'String' });
      for (const k of keys) set.entries.set(keyOf(rt, k), k);
      return set;
    },
  };
}

function partitionClass(kind: Kind, name: string, aliases: string[]): NativeClass {
  const self = (_rt: Runtime, s: ApexValue | null) =>
    s instanceof NativeInstance ? (s.state as { partition: string }).partition : null;
  return {
    name,
    aliases,
    superTypes: ['cache.partition'],
    methods: {
      ...ops(kind, self),
      getcapacity: () => 1,
      getname: (_rt, _a, s) => ((s as NativeInstance).state as { qualified: string }).qualified,
      isavailable: () => true,
    },
  };
}

function cacheClass(kind: Kind, name: string, partitionType: string): NativeClass {
  return {
    name,
    statics: {
      ...ops(kind, () => null),
      getpartition: (rt, a) => {
        const q = reqStr(a[0]);
        return new NativeInstance(partitionType, { partition: partitionName(rt, kind, q), qualified: q });
      },
      getcapacity: () => 1,
      isavailable: () => true,
    },
    staticProps: { max_ttl_secs: () => 172800 },
  };
}

/** Names of ConnectApi classes code commonly calls; every static method follows the test-context rule. */
const CONNECT_API_CLASSES = [
  'ChatterUsers',
  'ChatterFeeds',
  'ChatterGroups',
  'ChatterFavorites',
  'ChatterMessages',
  'Communities',
  'CommunityModeration',
  'Mentions',
  'NamedCredentials',
  'Organization',
  'Records',
  'RecordUi',
  'Topics',
  'UserProfiles',
];

function connectApiClass(short: string): NativeClass {
  const statics = new Proxy({} as Record<string, NativeFn>, {
    get: (_t, method: string | symbol) => {
      if (typeof method !== 'string') return undefined;
      return ((rt: Runtime) => {
        if (rt.test && !rt.test.seeAllData)
          throw platformError(
            'System.UnsupportedOperationException',
            'ConnectApi methods are not supported in data siloed tests. Please use @IsTest(SeeAllData=true).',
          );
        throw new UnsupportedFeature(`ConnectApi.${short}.${method}`);
      }) as NativeFn;
    },
  });
  return { name: `ConnectApi.${short}`, statics };
}

export const platformCacheClasses: NativeClass[] = [
  cacheClass('org', 'Cache.Org', 'Cache.OrgPartition'),
  cacheClass('session', 'Cache.Session', 'Cache.SessionPartition'),
  partitionClass('org', 'Cache.OrgPartition', []),
  partitionClass('session', 'Cache.SessionPartition', []),
  { name: 'Cache.Partition' },
  { name: 'Cache.CacheBuilder' },
  { name: 'Cache.Visibility', staticProps: { all: () => 'ALL', namespace: () => 'NAMESPACE' } },
  ...CONNECT_API_CLASSES.map(connectApiClass),
];
