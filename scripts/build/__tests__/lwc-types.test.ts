/**
 * The generated declarations of AvochatoSetupController: read from the Apex, stale when the Apex changes, and the
 * fixture check names what is off.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkLwcTypes, checkValue, controllerSource, declarationFile, readController } from '../lwc-types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('the Row DTO is read from the Apex with the nullability and picklist values its ApexDoc states', () => {
  const shape = readController(root);
  const row = shape.dtos.find((d) => d.name === 'Row');
  assert.ok(row, 'the controller has a Row DTO');
  const field = (name: string) => row.fields.find((f) => f.name === name);
  assert.equal(field('key')?.nullable, false, 'key says "Never null"');
  assert.equal(field('email')?.nullable, true, 'email has no initialiser and no "Never null"');
  assert.deepEqual(field('status')?.type, { k: 'string', values: ['Pending', 'Confirmed', 'Failed'] });
  const getRows = shape.methods.find((m) => m.name === 'getRows');
  assert.deepEqual(
    getRows?.params.map((p) => `${p.name}:${p.type.k}${p.nullable ? '?' : ''}`),
    ['searchTerm:string?', 'pageSize:number', 'afterCursor:string?'],
  );
  assert.deepEqual(getRows?.returns, { k: 'dto', name: 'RowPage' });
});

test('a fixture with an unknown field, a missing never-null field or a wrong status is reported by path', () => {
  const shape = readController(root);
  const problems = checkValue(
    shape,
    [
      {
        key: 'a01',
        userId: '005',
        fullName: 'Ada',
        userActive: true,
        isDefault: false,
        isActive: true,
        status: 'Ok',
        secret: 'x',
      },
    ],
    { k: 'array', of: { k: 'dto', name: 'Row' } },
    'rows',
  );
  assert.deepEqual(problems.sort(), [
    'rows[0].secret: Row has no such field',
    'rows[0].status: expected one of Pending, Confirmed, Failed, found "Ok"',
    'rows[0].username: Row.username is never null, but it is missing',
  ]);
});

test('the declarations are current in the repository, and stale once the Apex gains an @AuraEnabled field', async () => {
  assert.deepEqual((await checkLwcTypes(root)).problems, [], 'npm run gen:lwc-types has been run');

  const copy = mkdtempSync(path.join(tmpdir(), 'lwc-types-'));
  for (const file of [controllerSource(root), declarationFile(root), path.join(root, '.prettierrc')]) {
    const target = path.join(copy, path.relative(root, file));
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  assert.deepEqual((await checkLwcTypes(copy)).problems, [], 'an exact copy is current');
  const apex = readFileSync(controllerSource(copy), 'utf8').replace(
    'public String key;',
    'public String key;\n        /** @description Added. */\n        @AuraEnabled\n        public String added;',
  );
  writeFileSync(controllerSource(copy), apex);
  const result = await checkLwcTypes(copy);
  assert.equal(result.ok, false);
  assert.match(result.problems.join('\n'), /avochatoSetupController\.d\.ts is stale: run npm run gen:lwc-types/);
});
