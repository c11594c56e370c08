/** The `deploy-check` gate of `npm test`: `npm run deploy:check` on this project; any problem fails the gate. */
import path from 'node:path';
import type { Gate } from '../gates/gates.js';
import { runCommand, tail } from '../gates/process.js';

export const deployCheckGate: Gate = {
  name: 'deploy-check',
  async run(root) {
    const r = await runCommand(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      [path.join(root, 'scripts', 'deploy-check', 'cli.ts'), '--project-dir', root],
      { cwd: root },
    );
    const last = r.output.trim().split('\n').at(-1) ?? '';
    const m = /: (\d+) rules, (\d+) problems?/.exec(last);
    return {
      ok: r.code === 0 && !!m && m[2] === '0',
      summary: m ? `${m[1]} Metadata API rules, ${m[2]} problems` : 'no result line',
      details: tail(r.output, 60),
    };
  },
};
