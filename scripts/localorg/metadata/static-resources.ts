/**
 * The project's static resources (staticresources/NAME.resource-meta.xml beside its content: a file NAME.ext or, for
 * an archive kept unpacked in source format, a folder NAME/). Each is a row of StaticResource after a deploy
 * (Object Reference, "StaticResource": Name, Body "the content of the static resource", ContentType, CacheControl,
 * BodyLength), queryable with SOQL: `[SELECT Body FROM StaticResource WHERE Name = 'logo']`.
 * A folder is deployed as the zip archive it stands for (contentType application/zip), so its Body is that archive.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

export interface StaticResourceDef {
  name: string;
  contentType: string | null;
  cacheControl: string | null;
  /** The file, or the folder of an unpacked archive. */
  path: string;
}

/** The resources of one staticresources/ folder. */
export function readStaticResources(dir: string): StaticResourceDef[] {
  const out: StaticResourceDef[] = [];
  const entries = readdirSync(dir);
  for (const f of entries.sort()) {
    const m = /^(.+)\.resource-meta\.xml$/.exec(f);
    if (!m) continue;
    const name = m[1];
    const xml = readFileSync(join(dir, f), 'utf8');
    const tag = (t: string) => new RegExp(`<${t}>([^<]*)</${t}>`).exec(xml)?.[1].trim() ?? null;
    const content = entries.find(
      (e) => e !== f && (e === name || e.startsWith(`${name}.`)) && !e.endsWith('-meta.xml'),
    );
    if (!content) continue;
    out.push({ name, contentType: tag('contentType'), cacheControl: tag('cacheControl'), path: join(dir, content) });
  }
  return out;
}

/** The resource's Body: the file's bytes, or a zip archive of the folder. */
export function staticResourceBody(r: StaticResourceDef): Buffer {
  if (!existsSync(r.path)) return Buffer.alloc(0);
  return statSync(r.path).isDirectory() ? zipFolder(r.path) : readFileSync(r.path);
}

function filesBelow(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesBelow(root, p));
    else out.push(p);
  }
  return out;
}

/** A zip archive (PKWARE APPNOTE 4.3: local headers, deflated data, central directory, end record) of a folder. */
function zipFolder(root: string): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const rel of filesBelow(root)) {
    const data = readFileSync(join(root, rel));
    const packed = deflateRawSync(data);
    const name = Buffer.from(rel, 'utf8');
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(name.length, 26);
    const dirEntry = Buffer.alloc(46);
    dirEntry.writeUInt32LE(0x02014b50, 0);
    dirEntry.writeUInt16LE(20, 4);
    dirEntry.writeUInt16LE(20, 6);
    dirEntry.writeUInt16LE(0x0800, 8);
    dirEntry.writeUInt16LE(8, 10);
    dirEntry.writeUInt32LE(crc, 16);
    dirEntry.writeUInt32LE(packed.length, 20);
    dirEntry.writeUInt32LE(data.length, 24);
    dirEntry.writeUInt16LE(name.length, 28);
    dirEntry.writeUInt32LE(offset, 42);
    locals.push(head, name, packed);
    central.push(dirEntry, name);
    offset += head.length + name.length + packed.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}
