/**
 * Record Ids: key prefix (3) + a 12-character base-62 counter + the 3-character case checksum = 18 characters.
 * The checksum is the documented algorithm (core/ops.ts idChecksum): for each 5-character chunk, a bitmask of the
 * upper-case letters, mapped into 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'.
 */
import { idChecksum, tryToId } from '../core/ops.js';
import { ApexId, type ApexValue } from '../core/values.js';

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let s = '';
  let v = n;
  do {
    s = B62[v % 62] + s;
    v = Math.floor(v / 62);
  } while (v > 0);
  return s.padStart(width, '0');
}

export class IdGenerator {
  /** Starts above zero so Ids look like real ones ('001' + '000000000001' ...). Shared by all objects, as in an org. */
  constructor(public counter = 0) {}
  next(keyPrefix: string): ApexId {
    if (keyPrefix.length !== 3) throw new Error(`Bad key prefix '${keyPrefix}'`);
    this.counter++;
    const id15 = keyPrefix + base62(this.counter, 12);
    return new ApexId(id15 + idChecksum(id15));
  }
}

/** An Id from an Id or a 15/18-character string; null when not a well-formed Id. */
export function asId(v: ApexValue | undefined): ApexId | null {
  if (v instanceof ApexId) return v;
  if (typeof v === 'string') return tryToId(v);
  return null;
}

export { idChecksum };
