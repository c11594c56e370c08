/**
 * Rules of the interpreter's runtime that the conformance programs cannot observe from Apex alone:
 * Trigger.operationType, the stack-depth LimitException, JavaScript errors surfacing as InternalError (never as an
 * Apex exception, never swallowed), and the JavaScript-stack guard for recursion deeper than the evaluator can go.
 * Run: node --import tsx --test scripts/localorg/interpreter/__tests__/runtime-rules.test.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalOrg } from '../../org.js';
import { findNativeClass } from '../../stdlib/index.js';
import { InternalError } from '../eval/exceptions.js';

let dir = '';
let org: LocalOrg;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localorg-rules-'));
  fs.writeFileSync(
    path.join(dir, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }),
  );
  const triggers = path.join(dir, 'force-app', 'main', 'default', 'triggers');
  fs.mkdirSync(triggers, { recursive: true });
  fs.writeFileSync(
    path.join(triggers, 'RulesAccountTrigger.trigger'),
    'trigger RulesAccountTrigger on Account (before insert, after insert, before update) {\n' +
      '    System.debug(Trigger.operationType);\n' +
      '    System.debug(Trigger.operationType == TriggerOperation.BEFORE_INSERT);\n' +
      '}\n',
  );
  fs.writeFileSync(
    path.join(triggers, 'RulesAccountTrigger.trigger-meta.xml'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ApexTrigger xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><status>Active</status></ApexTrigger>\n',
  );
  const classes = path.join(dir, 'force-app', 'main', 'default', 'classes');
  fs.mkdirSync(classes, { recursive: true });
  fs.writeFileSync(
    path.join(classes, 'RulesAura.cls'),
    'public with sharing class RulesAura {\n' +
      '    @AuraEnabled\n' +
      '    public static Integer absOf(Integer x) {\n' +
      '        return Math.abs(x);\n' +
      '    }\n' +
      '}\n',
  );
  fs.writeFileSync(
    path.join(classes, 'RulesAura.cls-meta.xml'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>\n',
  );
  org = LocalOrg.load(dir);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('Trigger.operationType', () => {
  test('is the System.TriggerOperation value of the running event', () => {
    const r = org.runAnonymous("Account a = new Account(Name = 'x'); insert a; update a;");
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.debug, ['BEFORE_INSERT', 'true', 'AFTER_INSERT', 'false', 'BEFORE_UPDATE', 'false']);
  });
});

describe('stack depth', () => {
  test('unbounded recursion is the uncatchable LimitException "Maximum stack depth reached: 1001"', () => {
    const r = org.runAnonymous(
      'class D { public Integer down(Integer n) { return down(n + 1); } }\n' +
        "try { new D().down(0); } catch (Exception e) { System.debug('caught'); }",
    );
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.equal(
        `${r.error.typeName}: ${r.error.message}`,
        'System.LimitException: Maximum stack depth reached: 1001',
      );
    assert.deepEqual(r.debug, []);
  });

  test('recursion through property getters and constructors ends with the LimitException or, when the JavaScript stack runs out first, an InternalError', () => {
    // Getter and constructor calls cost more JavaScript frames per Apex frame than method calls: near 1,000 frames
    // the JavaScript stack may run out first. Either outcome is acceptable; a crash or a catchable error is not.
    for (const src of [
      'class P { Integer v { get { return new P().v; } } } System.debug(new P().v);',
      'class C { C(Integer n) { new C(n + 1); } } new C(0);',
    ]) {
      try {
        const r = org.runAnonymous(src);
        assert.equal(r.ok, false, src);
        if (!r.ok) assert.equal(r.error.message, 'Maximum stack depth reached: 1001', src);
      } catch (e) {
        assert.ok(e instanceof InternalError, String(e));
        assert.match(e.message, /JavaScript stack ran out at Apex call depth \d+/);
      }
    }
  });

  test('a recursion 500 deep runs', () => {
    const r = org.runAnonymous(
      'class D { public Integer down(Integer n) { if (n == 0) { return 0; } return 1 + down(n - 1); } }\n' +
        'System.debug(new D().down(500));',
    );
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.debug, ['500']);
  });

  test('when the JavaScript stack runs out first, the run ends with an InternalError naming the depth, never a crash or an Apex exception', () => {
    // Each nested statement costs JavaScript frames: deep nesting in a recursive method can exhaust the JavaScript
    // stack before 1,000 Apex frames. The outcome must say so, not pretend to be the platform's LimitException.
    const src =
      'class D { public Integer down(Integer n) { if (n >= 0) { for (Integer i = 0; i < 1; i++) { while (true) { try { if (true) { { return down(n + 1); } } } finally { } } } } return 0; } }\n' +
      "try { new D().down(0); } catch (Exception e) { System.debug('caught ' + e); }";
    let caught: unknown = null;
    try {
      const r = org.runAnonymous(src);
      // reaching the Apex limit is also acceptable (a leaner evaluator may get there)
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.message, 'Maximum stack depth reached: 1001');
      assert.deepEqual(r.debug, []);
      return;
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof InternalError, String(caught));
    assert.match((caught as Error).message, /JavaScript stack ran out at Apex call depth \d+ \(AnonymousBlock:1\)/);
  });
});

describe('JavaScript errors inside the interpreter', () => {
  test('surface as InternalError with the Apex file and line; Apex catch blocks do not see them', () => {
    const math = findNativeClass('Math')!;
    const original = math.statics!.abs;
    math.statics!.abs = () => {
      throw new TypeError('simulated bug');
    };
    try {
      assert.throws(
        () =>
          org.runAnonymous(
            "Integer x = 1;\ntry {\n  Math.abs(-1);\n} catch (Exception e) {\n  System.debug('caught');\n}",
            { fileName: 'bug.apex' },
          ),
        (e: unknown) =>
          e instanceof InternalError &&
          e.file === 'bug.apex' &&
          e.line === 3 &&
          /TypeError: simulated bug \(bug\.apex:3\)/.test(e.message) &&
          e.cause instanceof TypeError,
      );
    } finally {
      math.statics!.abs = original;
    }
  });

  test('surface as InternalError from an entry point that calls a method directly (Aura)', () => {
    assert.deepEqual(org.invokeAura('RulesAura', 'absOf', { x: -2 }, org.adminUserId), {
      ok: true,
      value: 2,
      debug: [],
    });
    const math = findNativeClass('Math')!;
    const original = math.statics!.abs;
    math.statics!.abs = () => {
      throw new TypeError('simulated bug');
    };
    try {
      assert.throws(
        () => org.invokeAura('RulesAura', 'absOf', { x: -2 }, org.adminUserId),
        (e: unknown) => e instanceof InternalError && e.file === 'RulesAura.cls' && e.line === 4,
      );
    } finally {
      math.statics!.abs = original;
    }
  });
});
