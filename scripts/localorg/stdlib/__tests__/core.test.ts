import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexId,
  ApexList,
  ApexMap,
  ApexSet,
  ApexTime,
  ApexBlob,
  SObjectValue,
  T,
  type ApexValue,
} from '../../core/values.js';
import {
  equalsValue,
  formatValue,
  isInstanceOf,
  keyOf,
  toDecimal,
  toId,
  tryToId,
  idChecksum,
  formatDouble,
} from '../../core/ops.js';
import { PlatformError } from '../../core/errors.js';
import { findNativeClass, mapPut, setAdd } from '../index.js';
import { callMethod, callStatic, makeRuntime, prop } from './fake-runtime.js';

const rt = makeRuntime();

function throwsPlatform(fn: () => unknown, type: string, msg?: string | RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PlatformError, `expected PlatformError, got ${String(e)}`);
    assert.equal(e.typeName, type);
    if (typeof msg === 'string') assert.equal(e.message, msg);
    else if (msg) assert.match(e.message, msg);
    return;
  }
  assert.fail('expected an exception');
}

test('18-character Id checksum by the documented algorithm', () => {
  // 001000000000001: no upper-case letters in any chunk -> 'AAA'.
  assert.equal(idChecksum('001000000000001'), 'AAA');
  // Chunk 'Gv7qJ': G (bit 0) and J (bit 4) upper -> 17 -> 'R'.
  assert.equal(tryToId('0015000000Gv7qJ')?.value, '0015000000Gv7qJAAR');
  // 18-char ids are case-insensitive: the suffix restores the case.
  assert.equal(tryToId('0015000000gv7qjaar')?.value, '0015000000Gv7qJAAR');
  assert.equal(tryToId('abc'), null);
  throwsPlatform(() => toId(rt, 'foo'), 'System.StringException', 'Invalid id: foo');
});

test('String.valueOf formats', () => {
  const f = (v: Parameters<typeof formatValue>[1]) => formatValue(rt, v);
  assert.equal(f(new ApexList(T.Integer, [1, 2, 3])), '(1, 2, 3)');
  const s = new ApexSet(T.Integer);
  [1, 2, 3].forEach((x) => setAdd(rt, s, x));
  assert.equal(f(s), '{1, 2, 3}');
  const m = new ApexMap(T.String, T.Integer);
  mapPut(rt, m, 'a', 1);
  mapPut(rt, m, 'b', 2);
  assert.equal(f(m), '{a=1, b=2}');
  const acc = new SObjectValue('Account');
  acc.setRaw('Name', 'x');
  acc.setRaw('Id', new ApexId('001000000000001AAA'));
  assert.equal(f(acc), 'Account:{Name=x, Id=001000000000001AAA}');
  assert.equal(f(ApexDecimal.of('1.50')), '1.50');
  assert.equal(f(new ApexDouble(1)), '1.0');
  assert.equal(f(new ApexDouble(1e10)), '1.0E10');
  assert.equal(f(new ApexDouble(0.0001)), '1.0E-4');
  assert.equal(f(new ApexDate(2026, 11, 23)), '2026-11-23');
  assert.equal(f(new ApexDatetime(Date.UTC(2026, 10, 23, 19, 30, 0))), '2026-11-23 19:30:00');
  assert.equal(f(new ApexTime(((10 * 60 + 5) * 60 + 7) * 1000 + 12)), '10:05:07.012Z');
  assert.equal(f(null), 'null');
  assert.equal(f(new ApexBlob(Buffer.from('hello'))), 'Blob[5]');
  assert.equal(f(2147483647n * 2n), '4294967294');
  assert.equal(formatDouble(123456789), '1.23456789E8');
});

test('equality: == is case-insensitive for Strings; Set/Map keys are case-sensitive; Ids 15 = 18', () => {
  assert.equal(equalsValue(rt, 'Abc', 'aBC'), true);
  assert.notEqual(keyOf(rt, 'Abc'), keyOf(rt, 'aBC'));
  assert.equal(equalsValue(rt, new ApexId('001000000000001AAA'), '001000000000001'), true);
  assert.equal(equalsValue(rt, 1, ApexDecimal.of('1.00')), true);
  assert.equal(equalsValue(rt, 1n, new ApexDouble(1)), true);
  const a = new SObjectValue('Account');
  a.setRaw('Name', 'x');
  const b = new SObjectValue('Account');
  b.setRaw('name', 'x');
  assert.equal(equalsValue(rt, a, b), true);
  assert.equal(equalsValue(rt, new ApexList(T.Integer, [1, 2]), new ApexList(T.Integer, [1, 2])), true);
  const m = new ApexMap(T.Id, T.String);
  mapPut(rt, m, '001000000000001', 'x');
  assert.equal(callMethod(rt, 'Map', m, 'get', [new ApexId('001000000000001AAA')]), 'x');
});

test('instanceof', () => {
  assert.equal(isInstanceOf(rt, 'x', T.Object), true);
  assert.equal(isInstanceOf(rt, null, T.Object), false);
  assert.equal(isInstanceOf(rt, new ApexList({ name: 'Account' }, []), T.list(T.SObject)), true);
  assert.equal(isInstanceOf(rt, new ApexList({ name: 'Account' }, []), T.list({ name: 'Contact' })), false);
  assert.equal(isInstanceOf(rt, new SObjectValue('Account'), T.SObject), true);
  assert.equal(isInstanceOf(rt, '001000000000001', T.Id), true);
  assert.equal(isInstanceOf(rt, 'hello', T.Id), false);
  assert.equal(isInstanceOf(rt, 1, T.Integer), true);
  assert.equal(isInstanceOf(rt, 1, T.Long), false);
});

test('String methods', () => {
  const s = (self: string, m: string, ...args: Parameters<typeof callMethod>[4] & unknown[]) =>
    callMethod(rt, 'String', self, m, args);
  assert.deepEqual((s('a,b,,c,,', 'split', ',') as ApexList).items, ['a', 'b', '', 'c']);
  assert.deepEqual((s('a1b2c3', 'split', '\\d') as ApexList).items, ['a', 'b', 'c']);
  assert.deepEqual((s('abc', 'split', '') as ApexList).items, ['a', 'b', 'c']);
  assert.deepEqual((s('a.b', 'split', '\\.') as ApexList).items, ['a', 'b']);
  assert.equal(s('Hello World', 'replaceAll', '(\\w+) (\\w+)', '$2 $1'), 'World Hello');
  assert.equal(s('a.b.c', 'replace', '.', '-'), 'a-b-c');
  assert.equal(s('hello', 'abbreviate', 4), 'h...');
  throwsPlatform(() => s('hello', 'abbreviate', 3), 'System.StringException', 'Minimum abbreviation width is 4');
  assert.equal(s('abc', 'leftPad', 5), '  abc');
  assert.equal(s('abc', 'rightPad', 6, 'xy'), 'abcxyx');
  assert.equal(s('  a   b  ', 'normalizeSpace'), 'a b');
  assert.equal(s('12345', 'isNumeric'), true);
  assert.equal(s('', 'isNumeric'), false);
  assert.equal(s('12.5', 'isNumeric'), false);
  assert.equal(s('abc', 'substring', 1), 'bc');
  throwsPlatform(() => s('abc', 'substring', 5), 'System.StringException', 'Starting position out of bounds: 5');
  assert.equal(s('hello', 'hashCode'), 99162322);
  assert.equal(s('a', 'compareTo', 'b'), -1);
  assert.equal(s("it's", 'escapeSingleQuotes'), "it\\'s");
  assert.equal(s('<b>x</b> &amp; y', 'stripHtmlTags'), 'x & y');
  assert.equal(s('<a href="x">é</a>', 'escapeHtml4'), '&lt;a href=&quot;x&quot;&gt;&eacute;&lt;/a&gt;');
  assert.equal(s('&lt;&eacute;&#65;', 'unescapeHtml4'), '<éA');
  assert.equal(s('a"b\n', 'escapeJava'), 'a\\"b\\n');
  assert.equal(s('foo.bar.baz', 'substringAfterLast', '.'), 'baz');
  assert.equal(s('foo.bar', 'substringBefore', '.'), 'foo');
  assert.equal(s('Hello', 'equals', 'hello'), false);
  assert.equal(s('Hello', 'equalsIgnoreCase', 'hello'), true);
  assert.equal(s('abcabc', 'countMatches', 'bc'), 2);
  assert.equal(s('abc', 'charAt', 0), 97);
  assert.equal(callStatic(rt, 'String', 'format', ['{0} is {1}', new ApexList(T.Object, ['x', 1])]), 'x is 1');
  assert.equal(callStatic(rt, 'String', 'format', ["It''s {0}", new ApexList(T.Object, ['ok'])]), "It's ok");
  assert.equal(callStatic(rt, 'String', 'join', [new ApexList(T.Integer, [1, 2]), '-']), '1-2');
  assert.equal(callStatic(rt, 'String', 'isBlank', [' \t']), true);
  assert.equal(callStatic(rt, 'String', 'isNotBlank', [null]), false);
  assert.equal(callStatic(rt, 'String', 'valueOf', [null]), null, 'String.valueOf(null) is null (conformance 006)');
  const p = callStatic(rt, 'Pattern', 'compile', ['(\\d+)-(\\d+)']);
  const m = callMethod(rt, 'Pattern', p, 'matcher', ['10-20']);
  assert.equal(callMethod(rt, 'Matcher', m, 'matches'), true);
  assert.equal(callMethod(rt, 'Matcher', m, 'group', [2]), '20');
  assert.equal(callMethod(rt, 'Matcher', m, 'groupCount'), 2);
});

test('numbers', () => {
  const d = ApexDecimal.of('5.245');
  assert.equal(formatValue(rt, callMethod(rt, 'Decimal', d, 'setScale', [2])), '5.24');
  assert.equal(formatValue(rt, callMethod(rt, 'Decimal', ApexDecimal.of('5.235'), 'setScale', [2])), '5.24');
  const halfUp = prop(rt, 'RoundingMode', 'HALF_UP');
  assert.equal(formatValue(rt, callMethod(rt, 'Decimal', d, 'setScale', [2, halfUp])), '5.25');
  assert.equal(formatValue(rt, callMethod(rt, 'Decimal', ApexDecimal.of('2.5'), 'round')), '2');
  assert.equal(formatValue(rt, callMethod(rt, 'Decimal', ApexDecimal.of('1.500'), 'stripTrailingZeros')), '1.5');
  assert.equal(callMethod(rt, 'Decimal', ApexDecimal.of('123.45'), 'precision'), 5);
  assert.equal(callMethod(rt, 'Decimal', ApexDecimal.of('123.45'), 'scale'), 2);
  assert.equal(callStatic(rt, 'Integer', 'valueOf', ['42']), 42);
  throwsPlatform(() => callStatic(rt, 'Integer', 'valueOf', ['4x']), 'System.TypeException', 'Invalid integer: 4x');
  assert.equal(formatValue(rt, callStatic(rt, 'Decimal', 'valueOf', ['1.10'])), '1.10');
  assert.equal(formatValue(rt, toDecimal(new ApexDouble(0.1))), '0.1');
  assert.equal(callStatic(rt, 'Math', 'mod', [-5, 3]), -2);
  throwsPlatform(() => callStatic(rt, 'Math', 'mod', [1, 0]), 'System.MathException', 'Divide by 0');
  assert.equal(callStatic(rt, 'Math', 'max', [3, 7]), 7);
  assert.equal(formatValue(rt, callStatic(rt, 'Math', 'max', [3, new ApexDouble(7.5)])), '7.5');
  assert.equal(callStatic(rt, 'Math', 'round', [new ApexDouble(2.5)]), 3);
  assert.equal(callStatic(rt, 'Math', 'round', [new ApexDouble(-2.5)]), -2);
  assert.equal(callMethod(rt, 'Integer', 1234567, 'format'), '1,234,567');
  assert.equal(callStatic(rt, 'Boolean', 'valueOf', ['TRUE']), true);
});

test('collections', () => {
  const l = new ApexList(T.String, ['b', 'a', 'C']);
  callMethod(rt, 'List', l, 'sort');
  assert.deepEqual(l.items, ['C', 'a', 'b']);
  assert.equal(callMethod(rt, 'List', l, 'contains', ['A']), false);
  throwsPlatform(() => callMethod(rt, 'List', l, 'get', [5]), 'System.ListException', 'List index out of bounds: 5');
  const dl = new ApexList(T.Decimal, []);
  callMethod(rt, 'List', dl, 'add', [1]);
  assert.ok(dl.items[0] instanceof ApexDecimal);
  const set = findNativeClass('Set')!.construct!(rt, [new ApexList(T.String, ['a', 'A', 'a'])], [T.String]) as ApexSet;
  assert.equal(set.entries.size, 2);
  const accs = ['001000000000001', '001000000000002'].map((id) => {
    const r = new SObjectValue('Account');
    r.setRaw('Id', toId(rt, id));
    return r;
  });
  const byId = findNativeClass('Map')!.construct!(
    rt,
    [new ApexList({ name: 'Account' }, accs)],
    [T.Id, { name: 'Account' }],
  ) as ApexMap;
  assert.equal(byId.entries.size, 2);
  const noId = new SObjectValue('Account');
  throwsPlatform(
    () =>
      findNativeClass('Map')!.construct!(rt, [new ApexList({ name: 'Account' }, [noId])], [T.Id, { name: 'Account' }]),
    'System.ListException',
    'Row with null Id at index: 0',
  );
});

test('Java regex semantics: split, inline flags, POSIX classes, Matcher.find loop', async () => {
  const { javaSplit, javaRegex } = await import('../regex.js');
  assert.deepEqual(javaSplit('boo:and:foo', 'o'), ['b', '', ':and:f']);
  assert.deepEqual(javaSplit('boo:and:foo', 'o', -1), ['b', '', ':and:f', '', '']);
  assert.deepEqual(javaSplit('boo:and:foo', ':', 2), ['boo', 'and:foo']);
  assert.deepEqual(javaSplit(',a', ','), ['', 'a']);
  assert.deepEqual(javaSplit('AbcDef', '(?=[A-Z])'), ['Abc', 'Def']);
  assert.equal(javaRegex('(?i)abc').test('ABC'), true);
  assert.equal(javaRegex('^\\p{Alpha}+$').test('abc'), true);
  const m = callMethod(rt, 'Pattern', callStatic(rt, 'Pattern', 'compile', ['\\d+']), 'matcher', ['a1b22c333']);
  const found: ApexValue[] = [];
  while (callMethod(rt, 'Matcher', m, 'find') === true) found.push(callMethod(rt, 'Matcher', m, 'group'));
  assert.deepEqual(found, ['1', '22', '333']);
  assert.equal(callMethod(rt, 'String', 'a.b', 'matches', ['a\\.b']), true);
  assert.equal(callMethod(rt, 'String', 'xab', 'matches', ['ab']), false);
});

test('Math.round: Decimal half-even, Double like Java', () => {
  assert.equal(callStatic(rt, 'Math', 'round', [ApexDecimal.of('96.5')]), 96);
  assert.equal(callStatic(rt, 'Math', 'round', [ApexDecimal.of('97.5')]), 98);
  assert.equal(callStatic(rt, 'Math', 'round', [new ApexDouble(96.5)]), 97);
});
