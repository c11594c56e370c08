/**
 * Runs the org's queued jobs shortly after the transaction that enqueued them, each in its own transaction, as the
 * platform's async queue does. `kick()` after every call schedules a run soon; a slow timer also picks up jobs
 * whose delay (e.g. a confirmation retry) has passed.
 */
import type { LocalOrgApi } from '../../localorg/core/org-api.js';

export interface JobPumpOptions {
  /** Delay between a call and the run of the jobs it enqueued (ms). Default 250. */
  afterCallMs?: number;
  /** How often delayed jobs are looked for (ms). Default 2000. */
  pollMs?: number;
  onRun?: (count: number, ms: number) => void;
  onError?: (err: unknown) => void;
}

export class JobPump {
  private soon: NodeJS.Timeout | null = null;
  private readonly poll: NodeJS.Timeout;
  private running = false;
  /** The last runs (at most 100), newest last, for the local Apex Jobs page. */
  readonly history: { at: string; jobs: number; ms: number; error: string | null }[] = [];
  private stopped = false;

  constructor(
    private readonly org: LocalOrgApi,
    private readonly opts: JobPumpOptions = {},
  ) {
    this.poll = setInterval(() => this.drain(), opts.pollMs ?? 2000);
    this.poll.unref();
  }

  /** Schedules a run shortly (called after every org call that may have enqueued work). */
  kick(): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.drain();
    }, this.opts.afterCallMs ?? 250);
  }

  /** Runs every due job now (jobs chained by those jobs run on the next pass, as on the platform). */
  drain(): number {
    if (this.running || this.stopped) return 0;
    this.running = true;
    const started = Date.now();
    try {
      const n = this.org.runQueuedJobs();
      if (n > 0) {
        this.remember({ at: new Date(started).toISOString(), jobs: n, ms: Date.now() - started, error: null });
        this.opts.onRun?.(n, Date.now() - started);
        // Chained jobs (a follow-up enqueued by a job) run shortly after, not in the same pass.
        if (this.org.pendingJobs() > 0) this.kick();
      }
      return n;
    } catch (err) {
      this.remember({ at: new Date(started).toISOString(), jobs: 0, ms: Date.now() - started, error: String(err) });
      this.opts.onError?.(err);
      return 0;
    } finally {
      this.running = false;
    }
  }

  private remember(entry: JobPump['history'][number]): void {
    this.history.push(entry);
    if (this.history.length > 100) this.history.splice(0, this.history.length - 100);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.poll);
    if (this.soon) clearTimeout(this.soon);
  }
}
