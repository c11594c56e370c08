import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitError } from '../../core/errors.js';
import { IdGenerator, idChecksum } from '../ids.js';
import { Limits } from '../limits.js';

test('Id checksum: the documented algorithm on known examples', () => {
  // all digits -> AAA; case bits per 5-char chunk mapped into A-Z0-5
  assert.equal(idChecksum('001000000000001'), 'AAA');
  assert.equal(idChecksum('00Q5g000004tYQr'), 'EAM'); // Q at 2 (4=E); Y,Q at 2,3 (12=M)
  assert.equal(idChecksum('ABCDEABCDEABCDE'), '555');
  const g = new IdGenerator();
  const id = g.next('001').value;
  assert.equal(id.length, 18);
  assert.equal(id, '001000000000001AAA');
  assert.equal(g.next('a01').value, 'a01000000000002AAA');
});

test('limits: sync and async values, LimitException messages', () => {
  const l = new Limits();
  assert.equal(l.limit('queries'), 100);
  assert.equal(new Limits({ isAsync: true }).limit('queries'), 200);
  assert.equal(l.limit('dmlRows'), 10000);
  for (let i = 0; i < 100; i++) l.consume('queries');
  assert.throws(
    () => l.consume('queries'),
    (e: unknown) => e instanceof LimitError && e.message === 'Too many SOQL queries: 101',
  );
  assert.throws(() => l.consume('dmlStatements', 151), /Too many DML statements: 151/);
});
