/**
 * The org's entry points as a caller sees them: Lightning (invokeAura), Apex REST (invokeRest) and invocable
 * actions (listInvocableActions / invokeInvocable), on the real project (`LocalOrg.load(process.cwd())`) and on a
 * few fixture classes written to a temporary package directory for rules the project does not exercise
 * (URL mapping precedence, REST parameter binding, uncaught exceptions, cacheable methods).
 *
 * Run: node --import tsx --test scripts/localorg/interpreter/__tests__/invokers.test.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { HttpTransport } from '../../core/runtime.js';
import { ApexId, SObjectValue } from '../../core/values.js';
import { LocalOrg } from '../../org.js';
import { mappingPattern } from '../host/rest.js';

const NO_PERMISSION = 'You need the Avochato Admin permission set';

// ------------------------------------------------------------------------------------------- helpers

/** A synchronous stand-in for the Avochato API (whoami and messages), recording what it was sent. */
function fakeAvochato(): HttpTransport & { calls: { method: string; url: string; body: string }[] } {
  const calls: { method: string; url: string; body: string }[] = [];
  const json = (status: number, body: unknown) => ({
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    calls,
    send(req) {
      calls.push({ method: req.method, url: req.url, body: req.body });
      const url = new URL(req.url.replace(/^callout:[^/]+/i, 'https://avochato.invalid'));
      const authId = ((req.body ? JSON.parse(req.body) : {}) as { auth_id?: string }).auth_id;
      if (authId?.startsWith('FAIL')) return json(401, { status: 401, errors: ['Unauthorized'] });
      if (url.pathname.endsWith('/v1/whoami')) {
        return json(200, {
          status: 200,
          data: {
            user: { id: 'usr-1', name: 'Agent', email: 'agent@example.com' },
            account: { id: 'acc-1', subdomain: 'inbox-main', name: 'inbox main', phone: '+14155550100' },
          },
        });
      }
      if (url.pathname.endsWith('/v1/messages')) {
        return json(200, { status: 200, data: { messages: [{ id: 'evt-1', status: 'queued' }] } });
      }
      return json(404, { status: 404, errors: ['Not Found'] });
    },
  };
}

function record(type: string, fields: Record<string, unknown>): SObjectValue {
  const r = new SObjectValue(type);
  for (const [k, v] of Object.entries(fields)) r.setRaw(k, v as never);
  return r;
}

function assign(org: LocalOrg, userId: ApexId, permissionSet: string): void {
  const ps = org.query(`SELECT Id FROM PermissionSet WHERE Name = '${permissionSet}'`)[0];
  assert.ok(ps?.id, `permission set ${permissionSet} is seeded`);
  org.insertRecords([record('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: ps.id })]);
}

function newUser(org: LocalOrg, lastName: string): ApexId {
  const profile = org.query("SELECT Id FROM Profile WHERE Name = 'Standard User'")[0];
  const alias = lastName.toLowerCase().slice(0, 8);
  const [id] = org.insertRecords([
    record('User', {
      Username: `${alias}@invokers.test`,
      LastName: lastName,
      Email: `${alias}@invokers.test`,
      Alias: alias,
      CommunityNickname: alias,
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: profile.id,
      IsActive: true,
    }),
  ]);
  return id;
}

function rest(org: LocalOrg, user: ApexId, method: string, p: string, body = '', query: Record<string, string> = {}) {
  const out = org.invokeRest({ method, path: p, query, headers: { 'Content-Type': 'application/json' }, body }, user);
  let json: unknown = null;
  if (out.body && /json/i.test(contentType(out.headers) ?? '')) json = JSON.parse(out.body);
  return { ...out, json };
}

function contentType(h: Record<string, string>): string | undefined {
  return Object.entries(h).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
}

/** No response may carry a secret: neither its value nor a secret-looking key. */
function assertNoSecret(value: unknown, secrets: string[]): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const s of secrets) assert.ok(!text.includes(s), `a response contains the secret ${s}: ${text.slice(0, 300)}`);
  assert.ok(!/auth_?secret/i.test(text), `a response names the secret field: ${text.slice(0, 300)}`);
}

// ------------------------------------------------------------------------------------------- the project

describe('the project in the local org', () => {
  const http = fakeAvochato();
  const org = LocalOrg.load(process.cwd(), { http });
  const admin = org.adminUserId;
  const outsider = newUser(org, 'Outsider');
  const integration = newUser(org, 'Integration');
  const secrets = ['admin-secret-1', 'push-secret-1', 'push-secret-2'];

  describe('invokeAura: AvochatoSetupController', () => {
    test('without Avochato_Admin the caller gets the no-permission message, not a stack trace', () => {
      // the System Administrator reaches every class (Author Apex); the controller itself says what is missing
      const r = org.invokeAura('AvochatoSetupController', 'getHealth', {}, admin);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.typeName, 'System.AuraHandledException');
      assert.ok(r.error.message.startsWith(NO_PERMISSION), r.error.message);
      assert.ok(!r.error.message.includes('Class.'), 'no stack in the message');
    });

    test("a user no permission set grants the class gets the platform's class access error, and nothing runs", () => {
      const before = org.query('SELECT Id FROM Avochato_API_Credential__c').length;
      const r = org.invokeAura(
        'AvochatoSetupController',
        'createCredential',
        { userId: outsider.value, authId: 'NOPE-1', authSecret: 'x', inbox: null, makeDefault: false },
        outsider,
      );
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.message, "You do not have access to the Apex class named 'AvochatoSetupController'.");
      assert.equal(org.query('SELECT Id FROM Avochato_API_Credential__c').length, before);
    });

    test('with Avochato_Admin: health, create, confirm in the background, rows', () => {
      assign(org, admin, 'Avochato_Admin');
      const health = org.invokeAura('AvochatoSetupController', 'getHealth', {}, admin);
      assert.ok(health.ok, JSON.stringify(health));
      assert.deepEqual(health.value, {
        hasDefault: false,
        defaultConfirmed: false,
        pendingCount: 0,
        confirmedCount: 0,
        failedCount: 0,
        inactiveCount: 0,
        totalCount: 0,
        myCredentials: [],
      });

      const created = org.invokeAura(
        'AvochatoSetupController',
        'createCredential',
        { userId: admin.value, authId: 'ADMIN-1', authSecret: 'admin-secret-1', inbox: '', makeDefault: true },
        admin,
      );
      assert.ok(created.ok, JSON.stringify(created));
      const rows = created.value as Record<string, unknown>[];
      assert.equal(rows.length, 1);
      assert.equal(rows[0].authId, 'ADMIN-1');
      assert.equal(rows[0].status, 'Pending');
      assert.equal(rows[0].isDefault, true);
      assert.match(String(rows[0].credentialId), /^[a-zA-Z0-9]{18}$/);
      assert.match(String(rows[0].lastModified), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(!('inbox' in rows[0]), 'a null member is left out, as Aura does');
      assertNoSecret(created, secrets);

      assert.equal(org.pendingJobs(), 1, 'the confirmation job waits in the queue');
      assert.equal(org.runQueuedJobs(), 1);
      assert.ok(http.calls.some((c) => c.url.includes('/v1/whoami')));

      const statuses = org.invokeAura(
        'AvochatoSetupController',
        'getStatuses',
        { credentialIds: [rows[0].credentialId] },
        admin,
      );
      assert.ok(statuses.ok, JSON.stringify(statuses));
      const row = (statuses.value as Record<string, unknown>[])[0];
      assert.equal(row.status, 'Confirmed');
      assert.equal(row.inbox, 'inbox-main', 'confirmation filled the blank inbox');

      const page = org.invokeAura('AvochatoSetupController', 'getRows', { searchTerm: 'admin-1', pageSize: 10 }, admin);
      assert.ok(page.ok, JSON.stringify(page));
      const p = page.value as { rows: Record<string, unknown>[]; hasMore: boolean };
      assert.equal(p.hasMore, false);
      assert.deepEqual(
        p.rows.map((r) => r.authId),
        ['ADMIN-1'],
      );
      assertNoSecret(page, secrets);

      const health2 = org.invokeAura('AvochatoSetupController', 'getHealth', {}, admin);
      assert.ok(health2.ok);
      const h = health2.value as Record<string, unknown>;
      assert.equal(h.hasDefault, true);
      assert.equal(h.defaultConfirmed, true);
      assert.equal(h.confirmedCount, 1);
      assert.equal((h.defaultCredential as Record<string, unknown>).fullName, 'Local Admin');
      assertNoSecret(health2, secrets);
    });

    test('validation and change errors reach the client as the AuraHandledException message', () => {
      const r = org.invokeAura(
        'AvochatoSetupController',
        'createCredential',
        { userId: admin.value, authId: ' ', authSecret: 'x' },
        admin,
      );
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.typeName, 'System.AuraHandledException');
      assert.equal(r.error.message, 'Auth Id: enter the Auth Id.');
    });

    test('a parameter of the wrong type is refused before the method runs', () => {
      const r = org.invokeAura('AvochatoSetupController', 'makeDefault', { credentialId: 'not-an-id' }, admin);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.message, "Value provided is invalid for action parameter 'credentialId' of type 'Id'");
    });

    test('setActive(false) on the default clears the flag; makeDefault sets it again; each call commits', () => {
      const id = org.query("SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Id__c = 'ADMIN-1'")[0].id!.value;
      const r = org.invokeAura('AvochatoSetupController', 'setActive', { credentialId: id, active: false }, admin);
      assert.ok(r.ok, JSON.stringify(r));
      const row = (r.value as Record<string, unknown>[])[0];
      assert.equal(row.isActive, false);
      assert.equal(row.isDefault, false);
      const again = org.invokeAura('AvochatoSetupController', 'setActive', { credentialId: id, active: true }, admin);
      assert.ok(again.ok, JSON.stringify(again));
      assert.equal(
        (again.value as Record<string, unknown>[])[0].isDefault,
        false,
        're-activating does not restore the default',
      );
      const def = org.invokeAura('AvochatoSetupController', 'makeDefault', { credentialId: id }, admin);
      assert.ok(def.ok, JSON.stringify(def));
      assert.equal((def.value as Record<string, unknown>[])[0].isDefault, true);
    });

    test('only static @AuraEnabled methods are callable', () => {
      for (const m of ['requireManage', 'searchPattern', 'noSuchMethod']) {
        const r = org.invokeAura('AvochatoSetupController', m, {}, admin);
        assert.equal(r.ok, false, m);
        if (!r.ok) assert.match(r.error.message, /Unable to find action/);
      }
      const r = org.invokeAura('NoSuchController', 'getHealth', {}, admin);
      assert.equal(r.ok, false);
    });
  });

  describe('invokeRest: AvochatoCredentialsRestResource', () => {
    const push = JSON.stringify({
      credentials: [
        { authId: 'PUSH-1', authSecret: 'push-secret-1', inbox: 'sales', user: { username: 'outsider@invokers.test' } },
        { authId: 'PUSH-2', authSecret: 'push-secret-2', isDefault: false, user: { email: 'admin@localorg.test' } },
      ],
    });

    test('without a permission set granting the class: 403 FORBIDDEN as the platform answers, nothing saved', () => {
      for (const [method, p, body] of [
        ['POST', '/avochato/v1/credentials', push],
        ['GET', '/avochato/v1/credentials', ''],
        ['DELETE', '/avochato/v1/credentials/PUSH-1', ''],
      ]) {
        const r = rest(org, integration, method, p, body);
        assert.equal(r.status, 403, `${method} ${p}`);
        assert.deepEqual(r.json, [
          {
            errorCode: 'FORBIDDEN',
            message: 'You do not have access to the Apex class named: AvochatoCredentialsRestResource',
          },
        ]);
      }
      assert.equal(org.query("SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Id__c LIKE 'PUSH%'").length, 0);
    });

    test('POST of 2 items: 200 with one result per item, no secret', () => {
      assign(org, integration, 'Avochato_Integration');
      const r = rest(org, integration, 'POST', '/avochato/v1/credentials', push);
      assert.equal(r.status, 200, r.body);
      assert.match(contentType(r.headers) ?? '', /application\/json/);
      const results = (r.json as { results: Record<string, unknown>[] }).results;
      assert.deepEqual(
        results.map((x) => [x.authId, x.success, x.created, x.status, x.error]),
        [
          ['PUSH-1', true, true, 'Pending', null],
          ['PUSH-2', true, true, 'Pending', null],
        ],
      );
      assert.match(String(results[0].id), /^[a-zA-Z0-9]{18}$/);
      assertNoSecret(r.body, secrets);
      const stored = org.query("SELECT Auth_Secret__c FROM Avochato_API_Credential__c WHERE Auth_Id__c = 'PUSH-1'")[0];
      assert.notEqual(stored.getRaw('Auth_Secret__c'), 'push-secret-1', 'stored encrypted');
    });

    test('GET lists and GET /{authId} reads one, never with the secret', () => {
      const list = rest(org, integration, 'GET', '/avochato/v1/credentials', '', { limit: '50' });
      assert.equal(list.status, 200, list.body);
      const creds = (list.json as { credentials: Record<string, unknown>[]; size: number }).credentials;
      assert.deepEqual(creds.map((c) => c.authId).sort(), ['ADMIN-1', 'PUSH-1', 'PUSH-2']);
      assert.equal((list.json as { size: number }).size, 3);
      const push1 = creds.find((c) => c.authId === 'PUSH-1')!;
      assert.equal(push1.inbox, 'sales');
      assert.equal(push1.username, 'outsider@invokers.test');
      assertNoSecret(list.body, secrets);

      const one = rest(org, integration, 'GET', '/avochato/v1/credentials/PUSH-2');
      assert.equal(one.status, 200, one.body);
      assert.equal((one.json as Record<string, unknown>).authId, 'PUSH-2');
      assertNoSecret(one.body, secrets);

      const bad = rest(org, integration, 'GET', '/avochato/v1/credentials', '', { limit: 'lots' });
      assert.equal(bad.status, 400);
      assert.equal((bad.json as { errorCode: string }).errorCode, 'INVALID_PARAMETER');
    });

    test('DELETE /{authId} deactivates; an unknown Auth Id is 404', () => {
      const r = rest(org, integration, 'DELETE', '/avochato/v1/credentials/PUSH-1');
      assert.equal(r.status, 200, r.body);
      const j = r.json as Record<string, unknown>;
      assert.equal(j.success, true);
      assert.equal(j.isActive, false);
      assert.equal(
        org
          .query("SELECT Is_Active__c FROM Avochato_API_Credential__c WHERE Auth_Id__c = 'PUSH-1'")[0]
          .getRaw('Is_Active__c'),
        false,
      );

      const missing = rest(org, integration, 'DELETE', '/avochato/v1/credentials/NOPE');
      assert.equal(missing.status, 404);
      assert.equal((missing.json as { errorCode: string }).errorCode, 'NOT_FOUND');
    });

    test('a bad body is 400 with a JSON message', () => {
      for (const [body, code] of [
        ['{not json', 'JSON_PARSER_ERROR'],
        ['{}', 'INVALID_BODY'],
        ['', 'INVALID_BODY'],
        ['{"credentials": []}', 'INVALID_BODY'],
      ]) {
        const r = rest(org, integration, 'POST', '/avochato/v1/credentials', body);
        assert.equal(r.status, 400, body);
        const j = r.json as { errorCode: string; message: string };
        assert.equal(j.errorCode, code, body);
        assert.ok(j.message.length > 0);
      }
      const item = rest(
        org,
        integration,
        'POST',
        '/avochato/v1/credentials',
        JSON.stringify({ credentials: [{ authId: 'X-1', authSecret: 's', user: { email: 'nobody@nowhere.test' } }] }),
      );
      assert.equal(item.status, 200);
      const res = (item.json as { results: Record<string, unknown>[] }).results[0];
      assert.equal(res.success, false);
      assert.match(String(res.error), /no Salesforce user found/);
    });

    test('the platform answers for unmapped URLs and unhandled methods', () => {
      const nf = rest(org, integration, 'GET', '/avochato/v2/credentials');
      assert.equal(nf.status, 404);
      assert.deepEqual(nf.json, [{ errorCode: 'NOT_FOUND', message: 'Could not find a match for URL' }]);
      const wrongCase = rest(org, integration, 'GET', '/Avochato/v1/credentials');
      assert.equal(wrongCase.status, 404, 'URL mappings are case-sensitive');
      const put = rest(org, integration, 'PUT', '/avochato/v1/credentials', '{}');
      assert.equal(put.status, 405);
      const j = put.json as { errorCode: string; message: string }[];
      assert.equal(j[0].errorCode, 'METHOD_NOT_ALLOWED');
      assert.match(j[0].message, /^HTTP Method 'PUT' not allowed\. Allowed are /);
    });
  });

  describe('invocable actions', () => {
    test('listInvocableActions: the Avochato actions with labels, descriptions and variables', () => {
      const actions = org.listInvocableActions();
      const byLabel = new Map(actions.map((a) => [a.label, a]));
      for (const label of [
        'Send Avochato Message',
        'Get Avochato Credential',
        'Confirm Avochato Credentials',
        'Broadcast Avochato Message',
      ]) {
        const a = byLabel.get(label);
        assert.ok(a, label);
        assert.equal(a.category, 'Avochato');
        assert.ok(a.description.length > 20, label);
      }
      const send = byLabel.get('Send Avochato Message')!;
      assert.equal(send.className, 'SendAvochatoMessageAction');
      assert.equal((send as { methodName?: string }).methodName, 'send');
      assert.ok(send.description.includes("sender's credential"), 'escaped quotes are resolved');
      const phone = send.inputs.find((i) => i.name === 'phone')!;
      assert.deepEqual(
        { label: phone.label, type: phone.type, required: phone.required },
        { label: 'Phone Number', type: 'String', required: true },
      );
      assert.equal(send.inputs.find((i) => i.name === 'senderUserId')!.type, 'Id');
      assert.equal(send.inputs.find((i) => i.name === 'message')!.required, false);
      assert.deepEqual(
        send.outputs.map((o) => o.name),
        ['success', 'status', 'messageId', 'eventId', 'errorMessage'],
      );
      const broadcast = byLabel.get('Broadcast Avochato Message')!;
      assert.equal(broadcast.inputs.find((i) => i.name === 'recordIds')!.type, 'List<String>');
    });

    test('Get Avochato Credential: one output per input, in order, without the secret', () => {
      const r = org.invokeInvocable(
        'GetAvochatoCredentialAction',
        [{}, { USERID: outsider.value, inbox: 'sales' }],
        admin,
      );
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.value.length, 2);
      const [mine, theirs] = r.value;
      assert.equal(mine.found, true);
      assert.equal(mine.authId, 'ADMIN-1');
      assert.equal(mine.status, 'Confirmed');
      assert.equal(mine.errorMessage, null, 'invocable outputs keep null variables');
      // PUSH-1 (the outsider's, inbox sales) is inactive and unconfirmed: the org default answers.
      assert.equal(theirs.found, true);
      assert.equal(theirs.isDefault, true);
      assert.equal(theirs.credentialUserId, admin.value);
      assertNoSecret(r, secrets);
    });

    test('Send Avochato Message: sends with the resolved credential; a bad phone fails alone', () => {
      const before = http.calls.filter((c) => c.url.includes('/v1/messages')).length;
      const r = org.invokeInvocable(
        'SendAvochatoMessageAction',
        [
          { phone: '+14155550123', message: 'Hello from a flow' },
          { phone: '12', message: 'nope' },
        ],
        admin,
      );
      assert.ok(r.ok, JSON.stringify(r));
      const [sent, failed] = r.value;
      assert.equal(sent.success, true);
      assert.equal(sent.status, 'Sent');
      assert.equal(sent.eventId, 'evt-1');
      assert.match(String(sent.messageId), /^[a-zA-Z0-9]{18}$/);
      assert.equal(failed.success, false);
      assert.equal(failed.status, 'Failed');
      assert.match(String(failed.errorMessage), /E\.164/);
      assertNoSecret(r, secrets);
      const messages = http.calls.filter((c) => c.url.includes('/v1/messages'));
      assert.equal(messages.length, before + 1);
      assert.equal(
        (JSON.parse(messages[messages.length - 1].body) as { message: string }).message,
        'Hello from a flow',
      );
      assert.equal(org.query('SELECT Id FROM Avochato_Message__c').length, 2, 'both are logged');
    });

    test('Send Avochato Message for a user no permission set grants the class: the class access error, no callout', () => {
      const calls = http.calls.length;
      const r = org.invokeInvocable('SendAvochatoMessageAction', [{ phone: '+14155550123', message: 'hi' }], outsider);
      assert.equal(r.ok, false);
      if (!r.ok)
        assert.equal(r.error.message, 'You do not have access to the Apex class named: SendAvochatoMessageAction');
      assert.equal(http.calls.length, calls);
    });

    test('every Flow action class is granted to Avochato_User and Avochato_Admin (what real users need)', () => {
      const actions = org.listInvocableActions().map((a) => a.className);
      assert.ok(actions.length >= 5, actions.join(', '));
      const userOnly = ['ConfirmAvochatoCredentialsAction'];
      for (const ps of ['Avochato_User', 'Avochato_Admin']) {
        const user = newUser(org, ps === 'Avochato_User' ? 'Psuser' : 'Psadmin');
        assign(org, user, ps);
        for (const className of actions) {
          if (ps === 'Avochato_User' && userOnly.includes(className)) continue;
          const r = org.invokeInvocable(className, [], user);
          assert.ok(r.ok || !/do not have access to the Apex class/.test(r.error.message), `${ps} -> ${className}`);
        }
      }
    });

    test('an unknown input name or action is an error, not silently ignored', () => {
      const r = org.invokeInvocable('SendAvochatoMessageAction', [{ phone: '+14155550123', mesage: 'typo' }], admin);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error.message, /Invalid input parameter: mesage/);
      const none = org.invokeInvocable('AvochatoSetupController', [{}], admin);
      assert.equal(none.ok, false);
    });
  });
});

// ------------------------------------------------------------------------------------------- fixtures

const FIXTURES: Record<string, string> = {
  'FxRestAll.cls': `
@RestResource(urlMapping='/fx/*')
global with sharing class FxRestAll {
    @HttpGet
    global static String describeRequest() {
        RestRequest req = RestContext.request;
        return 'all ' + req.httpMethod + ' ' + req.requestURI + ' ' + req.resourcePath;
    }
}`,
  'FxRestExact.cls': `
@RestResource(urlMapping='/fx/exact')
global with sharing class FxRestExact {
    @HttpGet
    global static String getIt() {
        return 'exact';
    }
}`,
  'FxRestItems.cls': `
@RestResource(urlMapping='/fx/items/*')
global with sharing class FxRestItems {
    global class Item {
        public String name;
        public Integer count;
        public String note;
    }
    global class FxException extends Exception {}

    @HttpGet
    global static void readRaw() {
        RestResponse res = RestContext.response;
        res.statusCode = 202;
        res.addHeader('X-Fx', 'yes');
        res.responseBody = Blob.valueOf('uri=' + RestContext.request.requestURI + ';p=' + RestContext.request.params.get('p') + ';h=' + RestContext.request.headers.get('X-Caller'));
    }

    @HttpPost
    global static Item create(String name, Integer count) {
        insert new Account(Name = name);
        Item i = new Item();
        i.name = name;
        i.count = count;
        return i;
    }

    @HttpDelete
    global static void crash() {
        insert new Account(Name = 'rolled back');
        String s;
        Integer n = s.length();
    }

    @HttpPut
    global static void refuse() {
        throw new FxException('custom failure');
    }
}`,
  'FxAura.cls': `
public with sharing class FxAura {
    public class Box {
        @AuraEnabled public String label;
        @AuraEnabled public Integer size;
        @AuraEnabled public List<String> tags;
        public String hidden = 'not exposed';
        @AuraEnabled public String shout { get { return label == null ? null : label.toUpperCase(); } }
    }

    @AuraEnabled
    public static Box echo(Box box, Date day) {
        box.tags.add(String.valueOf(day));
        box.hidden = 'changed';
        return box;
    }

    @AuraEnabled(cacheable=true)
    public static Integer countAccounts() {
        return [SELECT COUNT() FROM Account];
    }

    @AuraEnabled(cacheable=true)
    public static void sneakyWrite() {
        insert new Account(Name = 'cached write');
    }

    @AuraEnabled
    public static List<Account> accounts() {
        return [SELECT Id, Name, Description FROM Account ORDER BY Name];
    }

    @AuraEnabled
    public static void fail() {
        String s;
        Integer n = s.length();
    }

    @AuraEnabled
    public static void handled() {
        throw new AuraHandledException('A message for the user');
    }
}`,
  'FxUpper.cls': `
public with sharing class FxUpper {
    @InvocableMethod(label='Upper Case' description='Upper-cases each text' category='Fixtures')
    public static List<String> upper(List<String> texts) {
        List<String> out = new List<String>();
        for (String t : texts) {
            out.add(t == null ? null : t.toUpperCase());
        }
        return out;
    }
}`,
  'FxWhoRuns.cls': `
public with sharing class FxWhoRuns implements Queueable {
    private final String tag;
    public FxWhoRuns(String tag) {
        this.tag = tag;
    }
    public void execute(QueueableContext context) {
        insert new Contact(LastName = tag + ' ran as ' + UserInfo.getUserId());
    }
    @AuraEnabled
    public static void enqueue(String tag, Integer delayMinutes) {
        if (delayMinutes == null) {
            System.enqueueJob(new FxWhoRuns(tag));
        } else {
            System.enqueueJob(new FxWhoRuns(tag), delayMinutes);
        }
    }
}`,
  'FxShort.cls': `
public with sharing class FxShort {
    @InvocableMethod(label='Too Few Results')
    public static List<String> run(List<String> texts) {
        return new List<String>();
    }
}`,
};

describe('fixture classes', () => {
  let dir = '';
  let org: LocalOrg;
  let admin: ApexId;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invokers-'));
    fs.mkdirSync(path.join(dir, 'classes'));
    for (const [f, src] of Object.entries(FIXTURES)) fs.writeFileSync(path.join(dir, 'classes', f), src.trimStart());
    // the fixture user below may run FxWhoRuns (Class Security), as a permission set grants it
    fs.mkdirSync(path.join(dir, 'permissionsets'));
    fs.writeFileSync(
      path.join(dir, 'permissionsets', 'Fx_Runner.permissionset-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
        '    <classAccesses><apexClass>FxWhoRuns</apexClass><enabled>true</enabled></classAccesses>\n' +
        '    <label>Fx Runner</label>\n</PermissionSet>\n',
    );
    org = LocalOrg.load(process.cwd(), { extraSourceDirs: [dir] });
    admin = org.adminUserId;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a queued job runs as the user who enqueued it; a delayed job waits for its time', () => {
    const user = newUser(org, 'Enqueuer');
    assign(org, user, 'Fx_Runner');
    const ranAs = (tag: string) =>
      org
        .query(`SELECT LastName FROM Contact WHERE LastName LIKE '${tag} ran as %'`)
        .map((c) => String(c.getRaw('LastName')));
    assert.ok(org.invokeAura('FxWhoRuns', 'enqueue', { tag: 'now', delayMinutes: null }, user).ok);
    assert.ok(org.invokeAura('FxWhoRuns', 'enqueue', { tag: 'later', delayMinutes: 1 }, user).ok);
    assert.equal(org.runQueuedJobs(), 1, 'only the job without a delay is due');
    assert.deepEqual(ranAs('now'), [`now ran as ${user.value}`]);
    assert.deepEqual(ranAs('later'), []);
    assert.equal(org.pendingJobs(), 1, 'the delayed job still waits');
    assert.equal(org.runQueuedJobs({ includeDelayed: true }), 1);
    assert.deepEqual(ranAs('later'), [`later ran as ${user.value}`]);
  });

  test('URL mappings: exact first, then the longest wildcard; a trailing * also matches the bare path', () => {
    assert.equal(rest(org, admin, 'GET', '/fx/exact').json, 'exact');
    assert.equal(rest(org, admin, 'GET', '/fx/other/deeper').json, 'all GET /fx/other/deeper /services/apexrest/fx/*');
    assert.equal(rest(org, admin, 'GET', '/fx').json, 'all GET /fx /services/apexrest/fx/*');
    const items = rest(org, admin, 'GET', '/fx/items', '', { p: '1' });
    assert.equal(items.status, 202);
    assert.equal(items.body, 'uri=/fx/items;p=1;h=null');
    assert.equal(items.headers['X-Fx'], 'yes');
    const deep = org.invokeRest(
      { method: 'GET', path: '/fx/items/42', query: {}, headers: { 'X-Caller': 'test' }, body: '' },
      admin,
    );
    assert.equal(deep.body, 'uri=/fx/items/42;p=null;h=test');
    const head = rest(org, admin, 'HEAD', '/fx/items/42');
    assert.equal(head.status, 202);
    assert.equal(head.body, '');
    assert.equal(rest(org, admin, 'GET', '/fxx').status, 404);
    assert.ok(mappingPattern('/a/*/b')!.test('/a/x/b'));
    assert.ok(!mappingPattern('/a/*/b')!.test('/a/x/y/b'));
  });

  test('parameters bind from the JSON body by name; the return value is the JSON response without nulls', () => {
    const r = rest(org, admin, 'POST', '/fx/items', JSON.stringify({ name: 'Widget', count: 3 }));
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, '{"name":"Widget","count":3}');
    assert.match(contentType(r.headers) ?? '', /^application\/json/);
    assert.equal(org.query("SELECT Id FROM Account WHERE Name = 'Widget'").length, 1, 'committed');

    const unknown = rest(org, admin, 'POST', '/fx/items', JSON.stringify({ name: 'X', colour: 'red' }));
    assert.equal(unknown.status, 400);
    assert.equal((unknown.json as { errorCode: string }[])[0].errorCode, 'JSON_PARSER_ERROR');
    assert.match((unknown.json as { message: string }[])[0].message, /colour/);
    const wrongType = rest(org, admin, 'POST', '/fx/items', JSON.stringify({ name: 'X', count: 'many' }));
    assert.equal(wrongType.status, 400);
    assert.equal((wrongType.json as { errorCode: string }[])[0].errorCode, 'JSON_PARSER_ERROR');
  });

  test('an uncaught exception is 500 APEX_ERROR with type, message and stack; the work is rolled back', () => {
    const r = rest(org, admin, 'DELETE', '/fx/items/1');
    assert.equal(r.status, 500);
    const [e] = r.json as { errorCode: string; message: string }[];
    assert.equal(e.errorCode, 'APEX_ERROR');
    assert.match(e.message, /^System\.NullPointerException: .+\n\nClass\.FxRestItems\.crash: line \d+, column 1$/);
    assert.equal(org.query("SELECT Id FROM Account WHERE Name = 'rolled back'").length, 0);

    const custom = rest(org, admin, 'PUT', '/fx/items', '');
    assert.equal(custom.status, 500);
    assert.match(
      (custom.json as { message: string }[])[0].message,
      /^FxRestItems\.FxException: custom failure\n\nClass\.FxRestItems\.refuse: line \d+/,
    );
  });

  test('Aura: Apex objects in and out through @AuraEnabled members; nulls left out; getters run', () => {
    const r = org.invokeAura(
      'FxAura',
      'echo',
      { box: { label: 'Hi', tags: ['a'], hidden: 'ignored' }, day: '2024-02-29' },
      admin,
    );
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.value, { label: 'Hi', tags: ['a', '2024-02-29'], shout: 'HI' });
  });

  test('Aura: SObjects as plain field maps; cacheable reads work, cacheable DML is refused', () => {
    const count = org.invokeAura('FxAura', 'countAccounts', {}, admin);
    assert.ok(count.ok, JSON.stringify(count));
    assert.equal(count.value, 1);
    const accounts = org.invokeAura('FxAura', 'accounts', {}, admin);
    assert.ok(accounts.ok, JSON.stringify(accounts));
    const [a] = accounts.value as Record<string, unknown>[];
    assert.equal(a.Name, 'Widget');
    assert.match(String(a.Id), /^001[a-zA-Z0-9]{15}$/);
    assert.ok(!('attributes' in a) && !('Description' in a));

    const w = org.invokeAura('FxAura', 'sneakyWrite', {}, admin);
    assert.equal(w.ok, false);
    if (!w.ok) {
      assert.equal(w.error.typeName, 'System.LimitException');
      assert.equal(w.error.message, 'Too many DML statements: 1');
    }
    assert.equal(org.query("SELECT Id FROM Account WHERE Name = 'cached write'").length, 0);
  });

  test('Aura errors: AuraHandledException keeps its message; others carry their own message and type', () => {
    const h = org.invokeAura('FxAura', 'handled', {}, admin);
    assert.equal(h.ok, false);
    if (!h.ok) {
      assert.equal(h.error.typeName, 'System.AuraHandledException');
      assert.equal(h.error.message, 'A message for the user');
    }
    const f = org.invokeAura('FxAura', 'fail', {}, admin);
    assert.equal(f.ok, false);
    if (!f.ok) {
      assert.equal(f.error.typeName, 'System.NullPointerException');
      assert.ok(f.error.message.length > 0);
      assert.match(f.error.stackTrace, /^Class\.FxAura\.fail: line \d+, column 1/);
    }
  });

  test('invocable methods over a List of primitives', () => {
    const action = org.listInvocableActions().find((a) => a.className === 'FxUpper');
    assert.ok(action);
    assert.equal(action.category, 'Fixtures');
    assert.deepEqual(
      action.inputs.map((i) => [i.name, i.type]),
      [['texts', 'String']],
    );
    const r = org.invokeInvocable('FxUpper', [{ texts: 'abc' }, { texts: 'Xy' }], admin);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.value, [{ output: 'ABC' }, { output: 'XY' }]);

    const short = org.invokeInvocable('FxShort', [{ texts: 'a' }], admin);
    assert.equal(short.ok, false);
    if (!short.ok) assert.match(short.error.message, /number of results does not match/);
  });
});
