/**
 * Prints each start-up step with its time; a failed step prints one line with the reason and ends the process
 * with a non-zero exit code.
 */
export class StepFailed extends Error {}

export class StepReporter {
  private readonly started = Date.now();
  constructor(private readonly out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

  static fmt(ms: number): string {
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
  }

  async step<T>(label: string, run: () => T | Promise<T>, describe?: (value: T) => string): Promise<T> {
    const t0 = Date.now();
    try {
      const value = await run();
      const what = describe ? describe(value) : label;
      this.out(`  ok  ${what.padEnd(58)} ${StepReporter.fmt(Date.now() - t0)}`);
      return value;
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
      throw new StepFailed(`${label} failed: ${reason}`);
    }
  }

  elapsed(): number {
    return Date.now() - this.started;
  }
}
