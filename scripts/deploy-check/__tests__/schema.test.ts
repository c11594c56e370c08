/** The Metadata API definitions read from `@salesforce/types` (schema.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSchema, mergeSchemas, metadataDtsPaths, parseSchema } from '../schema.js';

const older = `export type Metadata = { fullName?: string; };
export type Shade = 'Light' | 'Dark';
export type Widget = Metadata & { label: string; shade?: Shade; parts: Part[]; size: number; legacy: string; };
export type Part = { name: string; };`;
const newer = `export type Metadata = { fullName?: string; };
export type Shade = 'Light' | 'Dark' | 'Neon';
export type Widget = Metadata & { label: string; shade?: Shade; parts: Part[]; size: number; colour?: string; };
export type Part = { name: string; };`;

test('a type: its own and inherited elements, which are required, which repeat; enumerations', () => {
  const s = parseSchema('older', older);
  const w = s.types.get('Widget')!;
  assert.deepEqual([...w.props.keys()].sort(), ['fullName', 'label', 'legacy', 'parts', 'shade', 'size']);
  assert.deepEqual(w.props.get('label'), { type: 'string', array: false, required: true });
  assert.deepEqual(w.props.get('parts'), { type: 'Part', array: true, required: false });
  assert.equal(w.props.get('fullName')!.required, false);
  assert.deepEqual([...s.enums.get('Shade')!], ['Light', 'Dark']);
});

test('releases merged: valid if any release has it, required only if every release requires it', () => {
  const s = mergeSchemas([parseSchema('older', older), parseSchema('newer', newer)]);
  const w = s.types.get('Widget')!;
  assert.ok(w.props.has('legacy') && w.props.has('colour'));
  assert.equal(w.props.get('legacy')!.required, false, 'the newer release dropped it');
  assert.equal(w.props.get('label')!.required, true);
  assert.deepEqual([...s.enums.get('Shade')!].sort(), ['Dark', 'Light', 'Neon']);
});

test('the installed definitions describe the types this project deploys', () => {
  assert.ok(metadataDtsPaths().length >= 1);
  const s = loadSchema();
  for (const [type, el] of [
    ['CustomTab', 'motif'],
    ['PermissionSet', 'objectPermissions'],
    ['CustomField', 'precision'],
    ['ConnectedApp', 'oauthConfig'],
    ['Flow', 'recordLookups'],
  ])
    assert.ok(s.types.get(type)?.props.has(el), `${type}.${el}`);
  assert.ok(s.enums.get('FieldType')?.has('LongTextArea'));
});
