/**
 * Deterministic key prefixes for objects defined in metadata (a real org assigns them at creation; we assign
 * them in name order so Ids are stable between runs): custom objects and custom settings share the custom
 * object range a01, a02, ... a0z, a10, ...; custom metadata types m00, m01, ...; platform events e00, e01, ...
 */
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let s = '';
  let v = n;
  do {
    s = B62[v % 62] + s;
    v = Math.floor(v / 62);
  } while (v > 0);
  if (s.length > width) throw new Error(`base62 overflow: ${n} does not fit in ${width} characters`);
  return s.padStart(width, '0');
}

/** The n-th prefix (0-based) of a range starting with `letter` and `first` as the numeric start. */
export function prefixFor(letter: string, index: number, first: number): string {
  return letter + base62(first + index, 2);
}

export function assignKeyPrefixes(
  names: { name: string; kind: 'custom' | 'customSetting' | 'customMetadata' | 'platformEvent' }[],
): Map<string, string> {
  const out = new Map<string, string>();
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0;
  const customs = names.filter((n) => n.kind === 'custom' || n.kind === 'customSetting').sort(byName);
  customs.forEach((n, i) => out.set(n.name.toLowerCase(), prefixFor('a', i, 1)));
  names
    .filter((n) => n.kind === 'customMetadata')
    .sort(byName)
    .forEach((n, i) => out.set(n.name.toLowerCase(), prefixFor('m', i, 0)));
  names
    .filter((n) => n.kind === 'platformEvent')
    .sort(byName)
    .forEach((n, i) => out.set(n.name.toLowerCase(), prefixFor('e', i, 0)));
  return out;
}
