import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextFireTime, parseCron } from '../cron.js';
import { UnsupportedFeature } from '../../core/errors.js';

const next = (expr: string, after: string, zone = 'UTC'): string | null => {
  const ms = nextFireTime(parseCron(expr), Date.parse(after), zone);
  return ms === null ? null : new Date(ms).toISOString();
};

test('cron: the next second matching every field, strictly after the start', () => {
  assert.equal(next('0 0 * * * ?', '2030-01-01T10:00:00Z'), '2030-01-01T11:00:00.000Z');
  assert.equal(next('0 0 * * * ?', '2030-01-01T10:00:00.500Z'), '2030-01-01T11:00:00.000Z');
  assert.equal(next('30 * * * * ?', '2030-01-01T10:00:29Z'), '2030-01-01T10:00:30.000Z');
  assert.equal(next('0 0 12 1/10 * ?', '2030-01-02T00:00:00Z'), '2030-01-11T12:00:00.000Z');
  assert.equal(next('0 0 8 ? * SUN,SAT', '2030-01-01T00:00:00Z'), '2030-01-05T08:00:00.000Z');
  assert.equal(next('0 0 8 ? * 2-6', '2030-01-05T00:00:00Z'), '2030-01-07T08:00:00.000Z');
  assert.equal(next('0 0 0 29 FEB ?', '2030-01-01T00:00:00Z'), '2032-02-29T00:00:00.000Z');
});

test('cron: times are wall-clock times of the zone', () => {
  // 09:00 in Los Angeles is 17:00 UTC in winter (PST) and 16:00 UTC in summer (PDT).
  assert.equal(next('0 0 9 15 1 ? 2031', '2030-06-01T00:00:00Z', 'America/Los_Angeles'), '2031-01-15T17:00:00.000Z');
  assert.equal(next('0 0 9 15 7 ? 2031', '2030-06-01T00:00:00Z', 'America/Los_Angeles'), '2031-07-15T16:00:00.000Z');
});

test('cron: a schedule that never fires again has no next time', () => {
  assert.equal(next('0 0 0 1 1 ? 2020', '2030-01-01T00:00:00Z'), null);
  assert.equal(next('0 0 0 31 2 ? 2031', '2030-01-01T00:00:00Z'), null);
});

test('cron: malformed expressions are StringException, L/W/# are unsupported', () => {
  const typeOf = (expr: string): string => {
    try {
      parseCron(expr);
      return 'ok';
    } catch (e) {
      return e instanceof UnsupportedFeature ? 'unsupported' : ((e as { typeName?: string }).typeName ?? String(e));
    }
  };
  assert.equal(typeOf('0 0 0 * * ?'), 'ok');
  assert.equal(typeOf('0 0 0 * *'), 'System.StringException');
  assert.equal(typeOf('0 0 0 1 * MON'), 'System.StringException');
  assert.equal(typeOf('0 0 0 ? * ?'), 'System.StringException');
  assert.equal(typeOf('60 0 0 * * ?'), 'System.StringException');
  assert.equal(typeOf('0 0 0 ? * XYZ'), 'System.StringException');
  assert.equal(typeOf('0 0 0 L * ?'), 'unsupported');
  assert.equal(typeOf('0 0 0 ? * 6#3'), 'unsupported');
});
