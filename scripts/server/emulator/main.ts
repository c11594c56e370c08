/**
 * Runs the Avochato emulator alone: `tsx scripts/server/emulator/main.ts [--port 4010]`.
 */
import { createAvochatoEmulator } from './avochato-emulator.js';

const i = process.argv.indexOf('--port');
const port = i > 0 ? Number(process.argv[i + 1]) : 4010;
const emulator = createAvochatoEmulator();
emulator.listen(port).then(
  (p) =>
    console.log(
      `Avochato emulator: http://127.0.0.1:${p}  (FAIL* -> 401, FLAKY* -> 503 twice then 200, SLOW* -> no answer)`,
    ),
  (err: Error) => {
    console.error(`Avochato emulator: cannot listen on port ${port}: ${err.message}`);
    process.exit(1);
  },
);
