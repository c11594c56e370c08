/**
 * GET /services/data/vNN.0/limits: the org limits the local org can count, each {"Max","Remaining"} as the REST
 * API's Limits resource gives them, with a Developer Edition's maximums (Salesforce Developer Limits and
 * Allocations Quick Reference: 15,000 API requests and 250,000 async Apex executions per 24 hours).
 *   DailyApiRequests          requests to /services/data served in the last 24 hours
 *   DailyAsyncApexExecutions  AsyncApexJob rows created in the last 24 hours (queueables, test runs)
 * Other limits (storage, bulk, streaming, email, ...) are not measured locally and are left out rather than invented.
 */
import type { LocalOrgApi } from '../../localorg/core/org-api.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_API_REQUESTS = 15_000;
const MAX_ASYNC = 250_000;

export class OrgLimits {
  private readonly requests: number[] = [];

  constructor(private readonly org: LocalOrgApi) {}

  countRequest(now = Date.now()): void {
    this.requests.push(now);
    while (this.requests.length && this.requests[0] <= now - DAY_MS) this.requests.shift();
  }

  snapshot(now = Date.now()): Record<string, { Max: number; Remaining: number }> {
    while (this.requests.length && this.requests[0] <= now - DAY_MS) this.requests.shift();
    const since = new Date(now - DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const jobs = this.org.query(`SELECT Id FROM AsyncApexJob WHERE CreatedDate > ${since}`).length;
    return {
      DailyApiRequests: { Max: MAX_API_REQUESTS, Remaining: Math.max(0, MAX_API_REQUESTS - this.requests.length) },
      DailyAsyncApexExecutions: { Max: MAX_ASYNC, Remaining: Math.max(0, MAX_ASYNC - jobs) },
    };
  }
}
