/** Runs a command for a gate, capturing its output (gates print one line each; output is shown only on failure). */
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  output: string;
  ms: number;
}

export function runCommand(
  command: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => resolve({ code: 127, output: output + String(err), ms: Date.now() - started }));
    child.on('close', (code) => resolve({ code: code ?? 1, output, ms: Date.now() - started }));
  });
}

/** The last `n` lines of a command's output, for a failing gate's report. */
export function tail(output: string, n = 40): string {
  const lines = output.trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}
