/**
 * The Tooling API for Apex (Tooling API Developer Guide), under /services/data/vNN.0/tooling:
 *   GET  /query?q=SOQL, /query/01g...-N          ApexClass, ApexTrigger, AsyncApexJob, ApexTestQueueItem, ApexTestResult,
 *                                                ApexTestRunResult, ApexCodeCoverageAggregate, ApexCodeCoverage,
 *                                                ApexOrgWideCoverage, ApexLog (tooling-store.ts)
 *   GET  /sobjects/X/ID, /sobjects/ApexLog/ID/Body
 *   GET  /executeAnonymous?anonymousBody=...     runs as the token's user; the debug log is kept as an ApexLog
 *   POST /runTestsSynchronous                    {"tests":[{"className"|"classId","testMethods"}]} -> RunTestsResult
 *   POST /runTestsAsynchronous                   {"classNames"|"classids"|"tests"|"testLevel"} -> "707..." (the job Id);
 *                                                the run proceeds one test method at a time between requests, so
 *                                                pollers see Queued -> Processing -> Completed as on the platform
 * Tests run in the local org (LocalOrgApi.runTest, @TestSetup once per class, an isolated database per method) as
 * the org's admin; RunLocalTests and RunAllTestsInOrg run every test class of the project (there are no managed
 * packages). Coverage is the org's aggregate (ApexCodeCoverageAggregate, cumulative over every run since start, as
 * on the platform); per-test-method coverage (ApexCodeCoverage) is not measured and has no rows.
 */
import type { OrgDataApi, TestMethodResult } from '../../localorg/core/org-api.js';
import { selectTests, type SelectedTest } from '../../localorg/testrunner/select.js';
import { HttpError, readBody, resourceList, sendJson, sendText } from '../http/http-util.js';
import { apiError, methodNotAllowed, notFound } from './api-errors.js';
import type { ApiCall, RestApiDeps } from './rest-api.js';
import { TOOLING_OBJECTS, ToolingQueryError, ToolingStore, type ToolingRow } from './tooling-store.js';
import { queryAnswer, type QueryCursors } from './rest-query.js';

export interface ToolingDeps extends Pick<RestApiDeps, 'org' | 'users' | 'afterCall'> {
  cursors: QueryCursors;
  data: () => OrgDataApi;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

interface RunRequest {
  selected: SelectedTest[];
  skipCoverage: boolean;
  allTests: boolean;
}

export class ToolingApi {
  readonly store: ToolingStore;
  private synced = false;
  /** Async runs waiting or under way (one method per tick). */
  private running = false;
  private readonly queue: { jobId: string; runId: string; items: Map<string, string>; tests: SelectedTest[] }[] = [];

  constructor(private readonly d: ToolingDeps) {
    this.store = new ToolingStore('T', (id) => {
      const u = d.users.byId(id);
      return u ? { Id: u.id, Name: u.name, Username: u.username } : null;
    });
  }

  /** ApexClass / ApexTrigger rows for the project's code (the org's ApexClass Ids; triggers get 01q Ids). */
  private syncCode(): void {
    if (this.synced) return;
    this.synced = true;
    const code = this.d.data().code();
    for (const c of code.classes)
      this.store.insert('ApexClass', {
        Id: c.id,
        Name: c.name,
        NamespacePrefix: null,
        ApiVersion: 62,
        Status: 'Active',
        IsValid: true,
      });
    for (const t of code.triggers)
      this.store.insert('ApexTrigger', {
        Name: t.name,
        NamespacePrefix: null,
        ApiVersion: 62,
        Status: 'Active',
        IsValid: true,
        TableEnumOrId: t.sobject,
      });
  }

  private classRow(name: string): ToolingRow | undefined {
    return this.store.rows('ApexClass').find((r) => String(r.Name).toLowerCase() === name.toLowerCase());
  }

  /** A call under /services/data/vNN.0/tooling (`rest` is the path below it). */
  async handle(call: ApiCall): Promise<void> {
    const { req, res, url, method, version, rest, s } = call;
    this.syncCode();
    if (rest === '/') {
      const base = `/services/data/v${version}/tooling`;
      const names = ['query', 'sobjects', 'executeAnonymous', 'runTestsSynchronous', 'runTestsAsynchronous'];
      sendJson(res, 200, resourceList(base, names));
      return;
    }
    const q = /^\/query(?:\/([^/]+))?$/.exec(rest);
    if (q) {
      const base = `/services/data/v${version}/tooling/query`;
      const request = { req, url, base, locator: q[1], userId: s.userId, blankIsMissing: false };
      const { page, first } = queryAnswer(this.d.cursors, request, (soql) => this.query(soql, version));
      sendJson(res, 200, first ? { size: page.totalSize, ...page, queryLocator: null, entityTypeName: null } : page);
      return;
    }
    if (rest === '/executeAnonymous') {
      this.executeAnonymous(call);
      return;
    }
    if (rest === '/runTestsSynchronous' || rest === '/runTestsAsynchronous') {
      if (method !== 'POST') throw methodNotAllowed(method, 'POST');
      const run = this.parseRun(await readBody(req), rest === '/runTestsSynchronous');
      if (rest === '/runTestsSynchronous') sendJson(res, 200, this.runSync(run));
      else sendJson(res, 200, this.enqueue(run, s.userId));
      return;
    }
    const so = /^\/sobjects\/([A-Za-z]+)\/([A-Za-z0-9]{15,18})(\/Body)?$/.exec(rest);
    if (so) {
      this.sobjectRow(call, so[1], so[2], !!so[3]);
      return;
    }
    if (rest === '/sobjects') {
      sendJson(res, 200, {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: Object.keys(TOOLING_OBJECTS).map((name) => ({
          name,
          queryable: true,
          retrieveable: true,
          createable: false,
          updateable: false,
          deletable: false,
        })),
      });
      return;
    }
    throw notFound();
  }

  /** GET /executeAnonymous?anonymousBody=...: runs as the token's user; the debug log is kept as an ApexLog. */
  private executeAnonymous({ res, url, method, version, s }: ApiCall): void {
    if (method !== 'GET') throw methodNotAllowed(method, 'GET');
    const body = url.searchParams.get('anonymousBody');
    if (body === null) throw apiError(400, 'INVALID_INPUT', 'anonymousBody is required');
    const r = this.d.data().executeAnonymous(body, s.userId);
    this.d.afterCall();
    this.keepLog(r.log, s.userId, `/services/data/v${version}/tooling/executeAnonymous/`, r.success);
    sendJson(res, 200, {
      line: r.line,
      column: r.column,
      compiled: r.compiled,
      success: r.success,
      compileProblem: r.compileProblem,
      exceptionStackTrace: r.exceptionStackTrace,
      exceptionMessage: r.exceptionMessage,
    });
  }

  /** GET /sobjects/X/ID (the row's fields) and /sobjects/ApexLog/ID/Body (the log's text). */
  private sobjectRow({ res, version }: ApiCall, name: string, id: string, body: boolean): void {
    const object = Object.keys(TOOLING_OBJECTS).find((k) => k.toLowerCase() === name.toLowerCase());
    const row = object ? this.store.get(object, id) : undefined;
    // Only an ApexLog has a Body.
    if (!object || !row || (body && object !== 'ApexLog')) throw notFound();
    if (body) {
      sendText(res, 200, String(row.__body ?? ''), 'text/plain; charset=utf-8');
      return;
    }
    const { __body: _b, ...fields } = row;
    void _b;
    sendJson(res, 200, {
      attributes: { type: object, url: `/services/data/v${version}/tooling/sobjects/${object}/${row.Id}` },
      ...fields,
    });
  }

  /** Rows (or the count) of a Tooling SOQL query, over coverage brought up to date. */
  private query(soql: string, version: string): Record<string, unknown>[] | number {
    try {
      this.refreshCoverage();
      return this.store.query(soql, version);
    } catch (e) {
      if (e instanceof ToolingQueryError)
        throw new HttpError(
          e.errorCode === 'UNSUPPORTED_FEATURE' ? 501 : 400,
          e.errors.map((x) => ({ message: x.message, errorCode: x.errorCode })),
        );
      throw e;
    }
  }

  /** Keeps a debug log as an ApexLog row (Body at /tooling/sobjects/ApexLog/ID/Body). */
  keepLog(log: string, userId: string, operation: string, success: boolean): string {
    const now = Date.now();
    const row = this.store.insert('ApexLog', {
      LogUserId: userId,
      LogLength: Buffer.byteLength(log),
      Operation: operation,
      Request: 'API',
      Status: success ? 'Success' : 'Failed',
      StartTime: iso(now),
      DurationMilliseconds: 0,
      Location: 'Monitoring',
      Application: 'Unknown',
      CreatedDate: iso(now),
      __body: log,
    });
    return row.Id;
  }

  /** The request body of runTestsSynchronous / runTestsAsynchronous as a selection of test methods. */
  private parseRun(raw: string, sync: boolean): RunRequest {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      throw apiError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON.');
    }
    const catalog = this.d.org.listTests();
    const classNames: string[] = [];
    const tests: string[] = [];
    const idToName = (id: string): string => {
      const row = this.store.get('ApexClass', id.trim());
      if (!row) throw apiError(400, 'INVALID_INPUT', `Invalid class Id: ${id.trim()}`);
      return String(row.Name);
    };
    if (typeof body.classNames === 'string') classNames.push(...body.classNames.split(',').filter((x) => x.trim()));
    if (typeof body.classids === 'string')
      classNames.push(
        ...body.classids
          .split(',')
          .filter((x) => x.trim())
          .map(idToName),
      );
    if (Array.isArray(body.tests))
      for (const t of body.tests as { className?: string; classId?: string; testMethods?: string[] }[]) {
        const name = t.className ?? (t.classId ? idToName(t.classId) : undefined);
        if (!name) throw apiError(400, 'INVALID_INPUT', 'Each test item needs a className or a classId');
        if (t.testMethods?.length) tests.push(...t.testMethods.map((m) => `${name}.${m}`));
        else classNames.push(name);
      }
    if (body.suiteNames || body.suiteids)
      throw apiError(501, 'UNSUPPORTED_FEATURE', 'Unsupported feature: test suites');
    const level = typeof body.testLevel === 'string' ? body.testLevel : undefined;
    const all = level === 'RunLocalTests' || level === 'RunAllTestsInOrg';
    if (!all && !classNames.length && !tests.length)
      throw apiError(400, 'INVALID_INPUT', 'Always provide a classes, suites, tests, or testLevel property');
    if (sync && new Set([...classNames, ...tests.map((t) => t.split('.')[0])].map((n) => n.toLowerCase())).size > 1)
      throw apiError(400, 'INVALID_INPUT', 'Only one test class can be run synchronously (runTestsSynchronous)');
    let selected: SelectedTest[];
    try {
      selected = all ? selectTests(catalog) : selectTests(catalog, classNames, tests);
    } catch (e) {
      throw apiError(400, 'INVALID_INPUT', (e as Error).message);
    }
    return { selected, skipCoverage: body.skipCodeCoverage === true, allTests: all };
  }

  private runOne(t: SelectedTest): TestMethodResult {
    try {
      return this.d.org.runTest(t.className, t.methodName);
    } catch (e) {
      // The org itself failed on this method (an unsupported feature): the method fails with the reason, loudly.
      return {
        className: t.className,
        methodName: t.methodName,
        outcome: 'Fail',
        message: (e as Error).message,
        stackTrace: null,
        timeMs: 0,
      };
    }
  }

  /** RunTestsResult (Tooling API, runTestsSynchronous). */
  private runSync(run: RunRequest): Record<string, unknown> {
    const t0 = Date.now();
    const results = run.selected.map((t) => this.runOne(t));
    this.d.afterCall();
    this.refreshCoverage();
    const item = (r: TestMethodResult) => ({
      id: this.classRow(r.className)?.Id ?? null,
      methodName: r.methodName,
      name: r.className,
      namespace: null,
      seeAllData: false,
      time: r.timeMs,
    });
    const failures = results.filter((r) => r.outcome !== 'Pass');
    return {
      apexLogId: null,
      codeCoverage: [],
      codeCoverageWarnings: [],
      failures: failures.map((r) => ({
        ...item(r),
        message: r.message ?? '',
        stackTrace: r.stackTrace ?? '',
        type: 'Class',
      })),
      flowCoverage: [],
      flowCoverageWarnings: [],
      numFailures: failures.length,
      numTestsRun: results.length,
      successes: results.filter((r) => r.outcome === 'Pass').map(item),
      totalTime: Date.now() - t0,
    };
  }

  /** Starts an async run: the AsyncApexJob (TestRequest), one ApexTestQueueItem per class, the ApexTestRunResult. */
  private enqueue(run: RunRequest, userId: string): string {
    const now = iso(Date.now());
    const classes = [...new Set(run.selected.map((t) => t.className))];
    const job = this.store.insert('AsyncApexJob', {
      Status: 'Queued',
      JobType: 'TestRequest',
      ApexClassId: null,
      MethodName: null,
      NumberOfErrors: 0,
      JobItemsProcessed: 0,
      TotalJobItems: classes.length,
      ExtendedStatus: null,
      CompletedDate: null,
      ParentJobId: null,
      CreatedById: userId,
      CreatedDate: now,
    });
    const runRow = this.store.insert('ApexTestRunResult', {
      AsyncApexJobId: job.Id,
      Status: 'Queued',
      ClassesCompleted: 0,
      ClassesEnqueued: classes.length,
      MethodsCompleted: 0,
      MethodsEnqueued: run.selected.length,
      MethodsFailed: 0,
      StartTime: now,
      EndTime: null,
      TestTime: 0,
      TestSetupTime: 0,
      UserId: userId,
      IsAllTests: run.allTests,
      Source: 'REST',
      JobName: null,
      CreatedDate: now,
    });
    const items = new Map<string, string>();
    for (const c of classes) {
      const item = this.store.insert('ApexTestQueueItem', {
        ApexClassId: this.classRow(c)?.Id ?? null,
        Status: 'Queued',
        ExtendedStatus: null,
        ParentJobId: job.Id,
        TestRunResultId: runRow.Id,
        ShouldSkipCodeCoverage: run.skipCoverage,
        CreatedDate: now,
      });
      items.set(c.toLowerCase(), item.Id);
    }
    this.queue.push({ jobId: job.Id, runId: runRow.Id, items, tests: [...run.selected] });
    this.pump();
    return job.Id;
  }

  /** Runs queued test methods one per macrotask, so the server keeps answering the pollers between them. */
  private pump(): void {
    if (this.running) return;
    this.running = true;
    const step = (): void => {
      const run = this.queue[0];
      if (!run) {
        this.running = false;
        return;
      }
      const t = run.tests.shift();
      const job = this.store.get('AsyncApexJob', run.jobId)!;
      const runRow = this.store.get('ApexTestRunResult', run.runId)!;
      if (t) {
        job.Status = 'Processing';
        runRow.Status = 'Processing';
        const itemId = run.items.get(t.className.toLowerCase())!;
        const item = this.store.get('ApexTestQueueItem', itemId)!;
        item.Status = 'Processing';
        const started = Date.now();
        const r = this.runOne(t);
        this.store.insert('ApexTestResult', {
          ApexClassId: item.ApexClassId,
          AsyncApexJobId: run.jobId,
          QueueItemId: itemId,
          MethodName: r.methodName,
          Outcome: r.outcome,
          Message: r.message,
          StackTrace: r.stackTrace,
          RunTime: r.timeMs,
          TestTimestamp: iso(started),
          ApexLogId: null,
          IsTestSetup: false,
          ApexTestRunResultId: run.runId,
          CreatedDate: iso(started),
        });
        runRow.MethodsCompleted = Number(runRow.MethodsCompleted) + 1;
        if (r.outcome !== 'Pass') runRow.MethodsFailed = Number(runRow.MethodsFailed) + 1;
        runRow.TestTime = Number(runRow.TestTime) + r.timeMs;
        if (!run.tests.some((x) => x.className.toLowerCase() === t.className.toLowerCase())) {
          item.Status = 'Completed';
          runRow.ClassesCompleted = Number(runRow.ClassesCompleted) + 1;
          job.JobItemsProcessed = Number(job.JobItemsProcessed) + 1;
        }
      }
      if (!run.tests.length) {
        const end = iso(Date.now());
        job.Status = 'Completed';
        job.CompletedDate = end;
        job.NumberOfErrors = runRow.MethodsFailed;
        runRow.Status = 'Completed';
        runRow.EndTime = end;
        for (const id of run.items.values()) this.store.get('ApexTestQueueItem', id)!.Status = 'Completed';
        this.queue.shift();
        this.d.afterCall();
        this.refreshCoverage();
      }
      setImmediate(step);
    };
    setImmediate(step);
  }

  /** ApexCodeCoverageAggregate and ApexOrgWideCoverage from the org's coverage (every run since start). */
  refreshCoverage(): void {
    this.syncCode();
    const byName = new Map<string, ToolingRow>();
    for (const r of [...this.store.rows('ApexClass'), ...this.store.rows('ApexTrigger')])
      byName.set(String(r.Name).toLowerCase(), r);
    const old = new Map(
      this.store.rows('ApexCodeCoverageAggregate').map((r) => [r.ApexClassOrTriggerId as string, r.Id]),
    );
    this.store.clear('ApexCodeCoverageAggregate');
    let covered = 0;
    let total = 0;
    for (const c of this.d.org.coverage()) {
      const code = byName.get(c.name.toLowerCase());
      if (!code || !c.lines.length) continue;
      const coveredSet = new Set(c.covered);
      covered += c.covered.length;
      total += c.lines.length;
      this.store.insert('ApexCodeCoverageAggregate', {
        Id: old.get(code.Id),
        ApexClassOrTriggerId: code.Id,
        NumLinesCovered: c.covered.length,
        NumLinesUncovered: c.lines.length - c.covered.length,
        Coverage: { coveredLines: c.covered, uncoveredLines: c.lines.filter((l) => !coveredSet.has(l)) },
      });
    }
    const existing = this.store.rows('ApexOrgWideCoverage')[0];
    this.store.clear('ApexOrgWideCoverage');
    if (covered > 0)
      this.store.insert('ApexOrgWideCoverage', {
        Id: existing?.Id,
        PercentCovered: Math.floor((covered / total) * 100),
      });
  }
}
