/**
 * `npm run bench:interp`: how fast the interpreter runs statement-heavy Apex (no database work). Prints figures,
 * asserts nothing. Each kind is an anonymous block run in a fresh transaction of one loaded org; the figure is Apex
 * statements executed per second of this process's CPU time (the org's statement counter; CPU time rather than wall
 * time, so that other work on the machine weighs less), the median of --runs N runs (default 5).
 * Flags: --runs N, --scale N (multiplies the loop counts, default 1), --only kind[,kind].
 */
import { performance } from 'node:perf_hooks';
import { LocalOrg } from '../localorg/org.js';
import { projectRoot } from '../localorg/testrunner/load-org.js';
import { cpuMsSince, median, numberArg } from './figures.js';

const KINDS: Record<string, (n: number) => string> = {
  // locals, integer arithmetic, comparisons, if
  arith: (n) => `
    Integer acc = 0;
    for (Integer i = 0; i < ${n}; i++) {
      acc = acc + i * 2 - 1;
      if (acc > 1000000) acc = acc - 1000000;
    }
    System.debug(acc);`,
  // string concatenation and String methods
  string: (n) => `
    String s = '';
    Integer len = 0;
    for (Integer i = 0; i < ${n / 4}; i++) {
      s = 'a' + i;
      if (s.length() > 3) s = s.substring(0, 2);
      len += s.toUpperCase().length();
    }
    System.debug(len);`,
  // static and instance method calls, construction, fields, properties
  call: (n) => `
    public class Pt {
      public Integer x;
      public Integer y { get; set; }
      public Pt(Integer a, Integer b) { x = a; y = b; }
      public Integer sum() { return x + y; }
    }
    static Integer add(Integer a, Integer b) { return a + b; }
    Integer m = 0;
    for (Integer i = 0; i < ${n / 4}; i++) {
      m = add(m, i);
      Pt p = new Pt(i, 1);
      m += p.sum() - p.y;
    }
    System.debug(m);`,
  // List, Set and Map operations, for-each
  collection: (n) => `
    List<Integer> l = new List<Integer>();
    Map<Integer, String> mp = new Map<Integer, String>();
    Set<String> seen = new Set<String>();
    for (Integer i = 0; i < ${n / 4}; i++) {
      l.add(i);
      mp.put(i, 'v' + Math.mod(i, 10));
    }
    Integer tot = 0;
    for (Integer x : l) {
      if (mp.containsKey(x)) tot += x;
      seen.add(mp.get(x));
    }
    System.debug(tot + seen.size());`,
  // records: field reads and writes on SObjects (no DML)
  sobject: (n) => `
    List<Account> accts = new List<Account>();
    for (Integer i = 0; i < ${n / 4}; i++) {
      Account a = new Account(Name = 'A' + i);
      a.Description = a.Name + '!';
      accts.add(a);
    }
    Integer c = 0;
    for (Account a : accts) if (a.Description.endsWith('!')) c++;
    System.debug(c);`,
  // try/catch and exceptions thrown by Apex code
  exception: (n) => `
    public class BenchException extends Exception {}
    Integer caught = 0;
    for (Integer i = 0; i < ${n / 20}; i++) {
      try {
        if (Math.mod(i, 2) == 0) throw new BenchException('x' + i);
        caught--;
      } catch (BenchException e) {
        caught++;
      }
    }
    System.debug(caught);`,
};

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function main(): void {
  const runs = Math.max(1, numberArg('--runs', 5));
  const scale = numberArg('--scale', 1) || 1;
  const i = process.argv.indexOf('--only');
  const only = i >= 0 ? (process.argv[i + 1] ?? '').split(',') : Object.keys(KINDS);
  const saved = console.log;
  const out = saved.bind(console);
  console.log = () => undefined;
  const t0 = performance.now();
  const org = LocalOrg.load(projectRoot());
  out(`Org load              ${(performance.now() - t0).toFixed(0)} ms`);
  let totalStmts = 0;
  let totalMs = 0;
  try {
    for (const kind of only) {
      const make = KINDS[kind];
      if (!make) throw new Error(`unknown kind ${kind} (kinds: ${Object.keys(KINDS).join(', ')})`);
      const src = make(Math.round(100000 * scale));
      const rates: number[] = [];
      for (let r = 0; r < runs; r++) {
        const s0 = org.stats().statementsExecuted;
        const c0 = process.cpuUsage();
        const res = org.runAnonymous(src, { fileName: `bench-${kind}.apex` });
        const ms = cpuMsSince(c0);
        if (!res.ok) throw new Error(`${kind}: ${res.error.typeName}: ${res.error.message}`);
        const n = org.stats().statementsExecuted - s0;
        rates.push(n / (ms / 1000));
        totalStmts += n;
        totalMs += ms;
      }
      out(`${kind.padEnd(22)}${fmt(median(rates)).padStart(12)} statements/CPU-s`);
    }
  } finally {
    console.log = saved;
  }
  out(
    `${'all kinds'.padEnd(22)}${fmt(totalStmts / (totalMs / 1000)).padStart(12)} statements/CPU-s (${runs} runs each)`,
  );
}

main();
