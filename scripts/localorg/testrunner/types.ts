/** Types of the Apex test runner (scripts/localorg/testrunner). */
import type { LocalOrgApi, TestMethodResult } from '../core/org-api.js';
import type { OrgLoader } from './load-org.js';

export interface RunApexTestsOptions {
  /** Whole test classes to run (`--class-names`). */
  classNames?: string[];
  /** `Class.method` or `Class` entries (`--tests`). */
  tests?: string[];
  /** Collect coverage (`--code-coverage`). */
  codeCoverage?: boolean;
  /** An org to run in (kept alive by the caller); otherwise one is loaded from projectDir. */
  org?: LocalOrgApi;
  projectDir?: string;
  extraSourceDirs?: string[];
  /** How to load an org when `org` is not given (tests inject a fake). */
  loader?: OrgLoader;
  /** Called after every test method (progress output). */
  onResult?: (r: TestMethodResult) => void;
}

export interface ClassCoverage {
  name: string;
  totalLines: number;
  totalCovered: number;
  /** Whole percent, as sf prints it. */
  coveredPercent: number;
  /** Executable line -> 1 covered / 0 not. */
  lines: Record<string, 0 | 1>;
  uncoveredLines: number[];
}

export interface CoverageReport {
  coverage: ClassCoverage[];
  /** e.g. '93%'. */
  orgWideCoverage: string;
  orgWidePercent: number;
}

export interface Report {
  outcome: 'Passed' | 'Failed';
  tests: TestMethodResult[];
  testsRan: number;
  passing: number;
  failing: number;
  startedAt: Date;
  /** Sum of the methods' run times. */
  executionMs: number;
  /** Wall time of the whole run including org load. */
  totalMs: number;
  /** Time spent loading the org (parsing metadata and classes). */
  loadMs: number;
  orgId: string;
  username: string;
  testRunId: string;
  coverage?: CoverageReport;
}

/** A `--class-names` / `--tests` entry that names nothing runnable. */
export class TestSelectionError extends Error {}
