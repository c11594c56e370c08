import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexId,
  ApexInstance,
  ApexList,
  ApexMap,
  NativeInstance,
  SObjectValue,
  T,
  type ApexClassRef,
  type ApexValue,
} from '../../core/values.js';
import { AssertError, PlatformError, setExceptionState } from '../../core/errors.js';
import { formatValue } from '../../core/ops.js';
import {
  findNativeClass,
  mapGet,
  typeToken,
  fieldToken,
  sobjectTypeToken,
  stripInaccessible,
  toJsonValue,
  fromJsonValue,
  setRestContext,
  readRestResponse,
} from '../index.js';
import { callMethod, callStatic, makeRuntime, prop } from './fake-runtime.js';

function platform(fn: () => unknown): PlatformError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlatformError) return e;
    throw e;
  }
  assert.fail('expected a platform exception');
}

const blob = (s: string) => new ApexBlob(Buffer.from(s, 'utf8'));
const hex = (b: ApexValue) => (b as ApexBlob).bytes.toString('hex');

test('Crypto known vectors and AES round trip', () => {
  const rt = makeRuntime();
  assert.equal(
    hex(callStatic(rt, 'Crypto', 'generateDigest', ['SHA-256', blob('abc')])),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
  assert.equal(hex(callStatic(rt, 'Crypto', 'generateDigest', ['MD5', blob('')])), 'd41d8cd98f00b204e9800998ecf8427e');
  assert.equal(
    hex(
      callStatic(rt, 'Crypto', 'generateMac', [
        'hmacSHA256',
        blob('The quick brown fox jumps over the lazy dog'),
        blob('key'),
      ]),
    ),
    'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
  );
  // NIST SP 800-38A F.2.1 (AES-128-CBC), first block; PKCS7 adds one more block.
  const key = new ApexBlob(Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex'));
  const iv = new ApexBlob(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
  const pt = new ApexBlob(Buffer.from('6bc1bee22e409f96e93d7e117393172a', 'hex'));
  const ct = callStatic(rt, 'Crypto', 'encrypt', ['AES128', key, iv, pt]) as ApexBlob;
  assert.equal(ct.bytes.subarray(0, 16).toString('hex'), '7649abac8119b246cee98e9b12e9197d');
  assert.equal(ct.bytes.length, 32);
  const k256 = callStatic(rt, 'Crypto', 'generateAesKey', [256]) as ApexBlob;
  assert.equal(k256.bytes.length, 32);
  const enc = callStatic(rt, 'Crypto', 'encryptWithManagedIV', ['AES256', k256, blob('s3cret')]) as ApexBlob;
  assert.equal(enc.bytes.length, 32); // 16 IV + 16 ciphertext
  assert.equal(
    callMethod(rt, 'Blob', callStatic(rt, 'Crypto', 'decryptWithManagedIV', ['AES256', k256, enc]), 'toString'),
    's3cret',
  );
  const wrongKey = platform(() =>
    callStatic(rt, 'Crypto', 'encryptWithManagedIV', ['AES256', blob('short'), blob('x')]),
  );
  assert.equal(wrongKey.typeName, 'System.InvalidParameterValueException');
  assert.equal(wrongKey.message, 'Invalid private key. Must be 32 bytes.');
  const other = callStatic(rt, 'Crypto', 'generateAesKey', [256]);
  let failures = 0;
  for (let i = 0; i < 5; i++) {
    try {
      callStatic(rt, 'Crypto', 'decryptWithManagedIV', ['AES256', other, enc]);
    } catch (e) {
      assert.ok(e instanceof PlatformError && e.typeName === 'System.SecurityException');
      failures++;
    }
  }
  assert.ok(failures >= 1);
});

test('Crypto.sign with a PKCS #8 key verifies with its X.509 public key (RSA and ECDSA); other data or key does not', () => {
  const rt = makeRuntime();
  const der = (k: KeyObject, type: 'pkcs8' | 'spki') => new ApexBlob(k.export({ format: 'der', type }));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = blob('payload');
  for (const [alg, pair] of [
    ['RSA-SHA512', rsa],
    ['RSA-SHA256', rsa],
    ['RSA', rsa],
    ['ECDSA-SHA256', ec],
  ] as const) {
    const sig = callStatic(rt, 'Crypto', 'sign', [alg, data, der(pair.privateKey, 'pkcs8')]) as ApexBlob;
    assert.equal(callStatic(rt, 'Crypto', 'verify', [alg, data, sig, der(pair.publicKey, 'spki')]), true, alg);
    assert.equal(callStatic(rt, 'Crypto', 'verify', [alg, blob('other'), sig, der(pair.publicKey, 'spki')]), false);
  }
  // RSASSA-PKCS1-v1_5 is deterministic: the same signature as the reference implementation.
  const sig = callStatic(rt, 'Crypto', 'sign', ['RSA-SHA256', data, der(rsa.privateKey, 'pkcs8')]) as ApexBlob;
  assert.deepEqual(sig.bytes, sign('sha256', data.bytes, rsa.privateKey));
  const ecSig = callStatic(rt, 'Crypto', 'sign', ['ECDSA-SHA256', data, der(ec.privateKey, 'pkcs8')]);
  assert.equal(callStatic(rt, 'Crypto', 'verify', ['RSA-SHA256', data, ecSig, der(rsa.publicKey, 'spki')]), false);
  assert.equal(
    platform(() => callStatic(rt, 'Crypto', 'sign', ['RSA-SHA256', data, der(ec.privateKey, 'pkcs8')])).typeName,
    'System.SecurityException',
  );
  assert.equal(
    platform(() => callStatic(rt, 'Crypto', 'sign', ['RSA-MD5', data, der(rsa.privateKey, 'pkcs8')])).typeName,
    'System.InvalidParameterValueException',
  );
  assert.equal(
    platform(() => callStatic(rt, 'Crypto', 'sign', ['RSA-SHA256', data, blob('not a key')])).typeName,
    'System.SecurityException',
  );
});

test('EncodingUtil and Blob', () => {
  const rt = makeRuntime();
  assert.equal(callStatic(rt, 'EncodingUtil', 'base64Encode', [blob('hello')]), 'aGVsbG8=');
  assert.equal(
    callMethod(rt, 'Blob', callStatic(rt, 'EncodingUtil', 'base64Decode', ['aGVsbG8=']), 'toString'),
    'hello',
  );
  assert.equal(callStatic(rt, 'EncodingUtil', 'urlEncode', ['a b&c=d/é*', 'UTF-8']), 'a+b%26c%3Dd%2F%C3%A9*');
  assert.equal(callStatic(rt, 'EncodingUtil', 'urlDecode', ['a+b%26c', 'UTF-8']), 'a b&c');
  assert.equal(callStatic(rt, 'EncodingUtil', 'convertToHex', [blob('AB')]), '4142');
  assert.equal(callMethod(rt, 'Blob', blob('héllo'), 'size'), 6);
  assert.equal(formatValue(rt, blob('hello')), 'Blob[5]');
});

test('System.assert messages and debug', () => {
  const rt = makeRuntime();
  const msg = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof AssertError);
      return e.message;
    }
    assert.fail('no assertion error');
  };
  assert.equal(
    msg(() => callStatic(rt, 'System', 'assertEquals', [1, 2])),
    'Assertion Failed: Expected: 1, Actual: 2',
  );
  assert.equal(
    msg(() => callStatic(rt, 'System', 'assertEquals', [1, 2, 'sum'])),
    'Assertion Failed: sum: Expected: 1, Actual: 2',
  );
  assert.equal(
    msg(() => callStatic(rt, 'System', 'assert', [false])),
    'Assertion Failed',
  );
  assert.equal(
    msg(() => callStatic(rt, 'System', 'assert', [false, 'why'])),
    'Assertion Failed: why',
  );
  assert.equal(
    msg(() => callStatic(rt, 'System', 'assertNotEquals', ['a', 'A'])),
    'Assertion Failed: Same value: A',
  );
  assert.equal(
    msg(() => callStatic(rt, 'Assert', 'areEqual', ['x', 'y', 'm'])),
    'Assertion Failed: m: Expected: x, Actual: y',
  );
  assert.equal(
    msg(() => callStatic(rt, 'Assert', 'fail', ['boom'])),
    'Assertion Failed: boom',
  );
  callStatic(rt, 'System', 'assertEquals', ['abc', 'ABC']);
  callStatic(rt, 'System', 'debug', [new ApexList(T.Integer, [1, 2])]);
  callStatic(rt, 'System', 'debug', [prop(rt, 'LoggingLevel', 'ERROR'), 'hi']);
  assert.deepEqual(rt.lines, ['(1, 2)', 'hi']);
});

test('Dates: user time zone (America/Los_Angeles) and GMT', () => {
  const rt = makeRuntime({ now: Date.UTC(2026, 10, 24, 3, 30, 0) });
  // 03:30 GMT on the 24th is 19:30 on the 23rd in Los Angeles (PST, -8).
  assert.equal(formatValue(rt, callStatic(rt, 'Date', 'today', [])), '2026-11-23');
  const now = callStatic(rt, 'Datetime', 'now', []);
  assert.equal(formatValue(rt, now), '2026-11-24 03:30:00');
  assert.equal(callMethod(rt, 'Datetime', now, 'hour'), 19);
  assert.equal(callMethod(rt, 'Datetime', now, 'hourGmt'), 3);
  assert.equal(callMethod(rt, 'Datetime', now, 'format'), '11/23/2026 7:30 PM');
  assert.equal(
    callMethod(rt, 'Datetime', now, 'formatGmt', ["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"]),
    '2026-11-24T03:30:00.000Z',
  );
  const dt = callStatic(rt, 'Datetime', 'newInstance', [2026, 11, 23, 10, 0, 0]) as ApexDatetime;
  assert.equal(formatValue(rt, dt), '2026-11-23 18:00:00');
  const d = new ApexDate(2026, 1, 31);
  assert.equal(formatValue(rt, callMethod(rt, 'Date', d, 'addMonths', [1])), '2026-02-28');
  assert.equal(callMethod(rt, 'Date', d, 'daysBetween', [new ApexDate(2026, 3, 1)]), 29);
  assert.equal(callMethod(rt, 'Date', d, 'format'), '1/31/2026');
  assert.equal(formatValue(rt, callStatic(rt, 'Date', 'valueOf', ['2026-11-23'])), '2026-11-23');
  // String.valueOf(Datetime) is local; valueOfGmt and debug/concatenation are GMT.
  assert.equal(callStatic(rt, 'String', 'valueOf', [now]), '2026-11-23 19:30:00');
  assert.equal(callStatic(rt, 'String', 'valueOfGmt', [now]), '2026-11-24 03:30:00');
});

test('JSON serialize / deserialize', () => {
  const rt = makeRuntime();
  const m = callStatic(rt, 'JSON', 'deserializeUntyped', [
    '{"a":1,"b":[true,null,"x"],"c":1.50,"d":12345678901,"e":{"f":2}}',
  ]) as ApexMap;
  assert.equal(mapGet(rt, m, 'a'), 1);
  assert.equal(mapGet(rt, m, 'd'), 12345678901n);
  assert.ok(mapGet(rt, m, 'c') instanceof ApexDecimal);
  assert.equal(formatValue(rt, mapGet(rt, m, 'c')), '1.50');
  assert.equal(formatValue(rt, m), '{a=1, b=(true, null, x), c=1.50, d=12345678901, e={f=2}}');
  assert.equal(
    callStatic(rt, 'JSON', 'serialize', [m]),
    '{"a":1,"b":[true,null,"x"],"c":1.50,"d":12345678901,"e":{"f":2}}',
  );
  assert.equal(
    callStatic(rt, 'JSON', 'serializePretty', [m]),
    '{\n  "a" : 1,\n  "b" : [ true, null, "x" ],\n  "c" : 1.50,\n  "d" : 12345678901,\n  "e" : {\n    "f" : 2\n  }\n}',
  );
  assert.equal(
    callStatic(rt, 'JSON', 'serialize', [new ApexDatetime(Date.UTC(2026, 10, 23, 19, 30))]),
    '"2026-11-23T19:30:00.000Z"',
  );
  const acc = new SObjectValue('Account');
  acc.setRaw('Id', new ApexId('001000000000001AAA'));
  acc.setRaw('Name', 'Acme');
  assert.equal(
    callStatic(rt, 'JSON', 'serialize', [acc]),
    '{"attributes":{"type":"Account","url":"/services/data/v62.0/sobjects/Account/001000000000001AAA"},"Id":"001000000000001AAA","Name":"Acme"}',
  );
  const back = callStatic(rt, 'JSON', 'deserialize', [
    '{"Name":"X","NumberOfEmployees":5,"AnnualRevenue":10}',
    typeToken({ name: 'Account' }),
  ]) as SObjectValue;
  assert.equal(back.getRaw('Name'), 'X');
  assert.equal(back.getRaw('NumberOfEmployees'), 5);
  assert.ok(back.getRaw('AnnualRevenue') instanceof ApexDecimal);
  const bad = platform(() => callStatic(rt, 'JSON', 'deserialize', ['{"Nope":1}', typeToken({ name: 'Account' })]));
  assert.equal(bad.typeName, 'System.JSONException');
  assert.equal(bad.message, "No such column 'Nope' on sobject of type Account");
  const malformed = platform(() => callStatic(rt, 'JSON', 'deserializeUntyped', ['{"a":}']));
  assert.equal(malformed.typeName, 'System.JSONException');
  const l = callStatic(rt, 'JSON', 'deserialize', ['["001000000000001"]', typeToken(T.list(T.Id))]) as ApexList;
  assert.equal((l.items[0] as ApexId).value, '001000000000001AAA');
  assert.deepEqual(toJsonValue(rt, new ApexList(T.Object, [1, 'a', null])), [1, 'a', null]);
  assert.equal(formatValue(rt, fromJsonValue(rt, { x: 1 }, T.map(T.String, T.Integer))), '{x=1}');
});

/** A minimal user class for mocks: HttpCalloutMock whose respond() returns a canned response. */
function mockRuntime() {
  const rt = makeRuntime({ test: true });
  const cls: ApexClassRef = { name: 'Mock', isA: (n) => ['mock', 'httpcalloutmock', 'object'].includes(n) };
  const mock = new ApexInstance(cls);
  const seen: ApexValue[] = [];
  rt.interp.callMethod = (target, method, args) => {
    assert.equal(target, mock);
    assert.equal(method, 'respond');
    seen.push(args[0]);
    const res = findNativeClass('HttpResponse')!.construct!(rt, []);
    callMethod(rt, 'HttpResponse', res, 'setStatusCode', [201]);
    callMethod(rt, 'HttpResponse', res, 'setBody', ['{"ok":true}']);
    return res;
  };
  return { rt, mock, seen };
}

test('Http.send: mocks, test without mock, uncommitted work, limits', () => {
  const { rt, mock, seen } = mockRuntime();
  const req = findNativeClass('HttpRequest')!.construct!(rt, []);
  callMethod(rt, 'HttpRequest', req, 'setEndpoint', ['https://www.avochato.com/v1/accounts']);
  callMethod(rt, 'HttpRequest', req, 'setMethod', ['GET']);
  callMethod(rt, 'HttpRequest', req, 'setHeader', ['Content-Type', 'application/json']);
  assert.equal(callMethod(rt, 'HttpRequest', req, 'getHeader', ['content-type']), 'application/json');
  const http = findNativeClass('Http')!.construct!(rt, []);
  const noMock = platform(() => callMethod(rt, 'Http', http, 'send', [req]));
  assert.equal(noMock.typeName, 'System.TypeException');
  assert.equal(noMock.message, 'Methods defined as TestMethod do not support Web service callouts');
  callStatic(rt, 'Test', 'setMock', [typeToken({ name: 'HttpCalloutMock' }), mock]);
  const res = callMethod(rt, 'Http', http, 'send', [req]);
  assert.equal(callMethod(rt, 'HttpResponse', res, 'getStatusCode'), 201);
  assert.equal(seen[0], req);
  assert.equal(rt.used.get('callouts'), 2);
  rt.uncommitted = true;
  const pending = platform(() => callMethod(rt, 'Http', http, 'send', [req]));
  assert.equal(pending.typeName, 'System.CalloutException');
  assert.equal(pending.message, 'You have uncommitted work pending. Please commit or rollback before calling out');
  const tooLong = platform(() => callMethod(rt, 'HttpRequest', req, 'setTimeout', [120001]));
  assert.equal(tooLong.typeName, 'System.CalloutException');
});

test('RestContext round trip', () => {
  const rt = makeRuntime();
  setRestContext(rt, {
    method: 'post',
    requestURI: '/avochato/credentials',
    resourcePath: '/avochato/*',
    params: { a: '1' },
    headers: {},
    body: '{"x":1}',
  });
  const req = prop(rt, 'RestContext', 'request');
  const props = findNativeClass('RestRequest')!.props!;
  assert.equal(props.httpmethod.get(rt, req), 'POST');
  assert.equal(callMethod(rt, 'Blob', props.requestbody.get(rt, req), 'toString'), '{"x":1}');
  const res = prop(rt, 'RestContext', 'response');
  const rprops = findNativeClass('RestResponse')!.props!;
  rprops.statuscode.set!(rt, res, 201);
  rprops.responsebody.set!(rt, res, blob('done'));
  callMethod(rt, 'RestResponse', res, 'addHeader', ['X-A', 'b']);
  const out = readRestResponse(rt, res);
  assert.equal(out.statusCode, 201);
  assert.equal(out.body?.toString(), 'done');
  assert.deepEqual(out.headers, { 'X-A': 'b' });
});

test('Schema describe, tokens, stripInaccessible', () => {
  const rt = makeRuntime();
  const tok = sobjectTypeToken(rt, 'account');
  assert.equal(formatValue(rt, tok), 'Account');
  const d = callMethod(rt, 'Schema.SObjectType', tok, 'getDescribe');
  assert.equal(callMethod(rt, 'Schema.DescribeSObjectResult', d, 'getLabelPlural'), 'Accounts');
  assert.equal(callMethod(rt, 'Schema.DescribeSObjectResult', d, 'getKeyPrefix'), '001');
  const fields = findNativeClass('Schema.DescribeSObjectResult')!.props!.fields.get(rt, d);
  const fmap = callMethod(rt, 'Schema.SObjectTypeFields', fields, 'getMap') as ApexMap;
  assert.ok(mapGet(rt, fmap, 'NAME') instanceof NativeInstance);
  const dfr = findNativeClass('Schema.SObjectTypeFields')!.dynamicProp!(rt, fields, 'Industry');
  assert.equal(formatValue(rt, callMethod(rt, 'Schema.DescribeFieldResult', dfr!, 'getType')), 'PICKLIST');
  const ple = (callMethod(rt, 'Schema.DescribeFieldResult', dfr!, 'getPicklistValues') as ApexList).items;
  assert.equal(callMethod(rt, 'Schema.PicklistEntry', ple[1], 'isDefaultValue'), true);
  const ft = fieldToken(rt, 'Avochato_API_Credential__c', 'auth_id__c');
  assert.equal(formatValue(rt, ft), 'Auth_Id__c');
  assert.equal(
    callMethod(rt, 'Schema.DescribeFieldResult', callMethod(rt, 'Schema.SObjectField', ft, 'getDescribe'), 'getLength'),
    80,
  );
  rt.hidden.add('account.phone');
  const acc = new SObjectValue('Account');
  acc.setRaw('Name', 'A');
  acc.setRaw('Phone', '123');
  const dec = stripInaccessible(rt, prop(rt, 'AccessType', 'READABLE'), new ApexList({ name: 'Account' }, [acc]));
  const recs = callMethod(rt, 'System.SObjectAccessDecision', dec, 'getRecords') as ApexList;
  assert.equal(formatValue(rt, recs), '(Account:{Name=A})');
  assert.equal(
    formatValue(rt, callMethod(rt, 'System.SObjectAccessDecision', dec, 'getRemovedFields')),
    '{Account={Phone}}',
  );
  assert.equal(callStatic(rt, 'FeatureManagement', 'checkPermission', ['Avochato_Manage_Credentials']), true);
});

test('SObject get/put and addError', () => {
  const rt = makeRuntime();
  const acc = new SObjectValue('Account');
  callMethod(rt, 'SObject', acc, 'put', ['Name', 'A']);
  assert.equal(callMethod(rt, 'SObject', acc, 'get', ['name']), 'A');
  const invalid = platform(() => callMethod(rt, 'SObject', acc, 'get', ['Nope']));
  assert.equal(invalid.message, 'Invalid field Nope for Account');
  const q = new SObjectValue('Account');
  q.fromQuery = true;
  q.setRaw('Id', new ApexId('001000000000001AAA'));
  const nq = platform(() => callMethod(rt, 'SObject', q, 'get', ['Phone']));
  assert.equal(nq.typeName, 'System.SObjectException');
  assert.equal(nq.message, 'SObject row was retrieved via SOQL without querying the requested field: Account.Phone');
  callMethod(rt, 'SObject', acc, 'addError', [fieldToken(rt, 'Account', 'Name'), 'bad name']);
  callMethod(rt, 'SObject', acc, 'addError', ['whole record']);
  assert.deepEqual(acc.errors, [{ field: 'Name', message: 'bad name' }, { message: 'whole record' }]);
  assert.equal(formatValue(rt, callMethod(rt, 'SObject', acc, 'getSObjectType')), 'Account');
  const cl = callMethod(rt, 'SObject', q, 'clone') as SObjectValue;
  assert.equal(cl.id, null);
});

test('enqueueJob, Limits, DmlException methods', () => {
  const rt = makeRuntime();
  const cls: ApexClassRef = { name: 'Job', isA: (n) => ['job', 'queueable', 'object'].includes(n) };
  const id = callStatic(rt, 'System', 'enqueueJob', [new ApexInstance(cls)]) as ApexId;
  assert.equal(id.keyPrefix, '707');
  assert.equal(callStatic(rt, 'Limits', 'getQueueableJobs', []), 1);
  assert.equal(callStatic(rt, 'Limits', 'getLimitQueries', []), 100);
  const exCls: ApexClassRef = {
    name: 'System.DmlException',
    isA: (n) => ['system.dmlexception', 'exception', 'object'].includes(n),
  };
  const ex = new ApexInstance(exCls);
  setExceptionState(ex, {
    message: 'Insert failed.',
    cause: null,
    line: 1,
    stackTrace: '',
    extra: {
      op: 'insert',
      rows: [
        {
          index: 2,
          id: null,
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    },
  });
  assert.equal(callMethod(rt, 'DmlException', ex, 'getNumDml'), 1);
  assert.equal(callMethod(rt, 'DmlException', ex, 'getDmlIndex', [0]), 2);
  assert.equal(callMethod(rt, 'DmlException', ex, 'getDmlStatusCode', [0]), 'REQUIRED_FIELD_MISSING');
  assert.equal(formatValue(rt, callMethod(rt, 'DmlException', ex, 'getDmlType', [0])), 'REQUIRED_FIELD_MISSING');
  assert.equal(formatValue(rt, callMethod(rt, 'DmlException', ex, 'getDmlFieldNames', [0])), '(Name)');
});

test('JSONGenerator and JSONParser', () => {
  const rt = makeRuntime();
  const g = callStatic(rt, 'JSON', 'createGenerator', [false]);
  callMethod(rt, 'JSONGenerator', g, 'writeStartObject');
  callMethod(rt, 'JSONGenerator', g, 'writeStringField', ['a', 'x']);
  callMethod(rt, 'JSONGenerator', g, 'writeFieldName', ['b']);
  callMethod(rt, 'JSONGenerator', g, 'writeStartArray');
  callMethod(rt, 'JSONGenerator', g, 'writeNumber', [1]);
  callMethod(rt, 'JSONGenerator', g, 'writeNull');
  callMethod(rt, 'JSONGenerator', g, 'writeEndArray');
  callMethod(rt, 'JSONGenerator', g, 'writeEndObject');
  assert.equal(callMethod(rt, 'JSONGenerator', g, 'getAsString'), '{"a":"x","b":[1,null]}');
  const p = callStatic(rt, 'JSON', 'createParser', ['{"a":[1,2.5],"b":"x"}']);
  const kinds: string[] = [];
  for (
    let t = callMethod(rt, 'JSONParser', p, 'nextToken');
    t !== null;
    t = callMethod(rt, 'JSONParser', p, 'nextToken')
  )
    kinds.push(formatValue(rt, t));
  assert.deepEqual(kinds, [
    'START_OBJECT',
    'FIELD_NAME',
    'START_ARRAY',
    'VALUE_NUMBER_INT',
    'VALUE_NUMBER_FLOAT',
    'END_ARRAY',
    'FIELD_NAME',
    'VALUE_STRING',
    'END_OBJECT',
  ]);
});
