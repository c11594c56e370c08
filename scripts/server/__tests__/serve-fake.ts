/**
 * DEV/TEST-ONLY: serves the Setup tab over the FakeOrg and the fake controller (no Apex runs), to check the page,
 * the browser shims and the e2e harness while the real local org is being built. `npm start` never uses this.
 * Usage: tsx scripts/server/__tests__/serve-fake.ts [--port N]   (prints the same lines as npm start)
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppServer } from '../http/app-server.js';
import { newConnectedApp } from '../http/oauth.js';
import { bundleSetupTab } from '../build/bundle-setup-tab.js';
import { compileLwc } from '../../build/compile-lwc.js';
import { FakeOrg } from './fake-org.js';
import { installFakeSetupController } from './fake-setup-controller.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const i = process.argv.indexOf('--port');
const port = i > 0 ? Number(process.argv[i + 1]) : 3001;

async function main(): Promise<void> {
  const c = compileLwc(ROOT);
  if (!c.ok) throw new Error(c.errors[0]);
  const buildDir = path.join(ROOT, '.tmp', 'server-build');
  await bundleSetupTab({ root: ROOT, outDir: buildDir, rootComponent: 'avochatoSetup' });
  const org = new FakeOrg();
  for (const [u, n] of [
    ['tom.smith@avochato.demo', 'Tom Smith'],
    ['ana.lopez@avochato.demo', 'Ana Lopez'],
    ['ben.okafor@avochato.demo', 'Ben Okafor'],
  ])
    org.addUser(u, n);
  org.addUser('sam.viewer@avochato.demo', 'Sam Viewer');
  const integration = org.addUser('integration@avochato.demo', 'Avochato Integration', undefined, [
    'Avochato_Sync_Credentials',
  ]);
  installFakeSetupController(org);
  const app = new AppServer({
    org,
    connectedApp: newConnectedApp(integration),
    buildDir,
    demoUsernames: ['admin@local.org', 'tom.smith@avochato.demo', 'sam.viewer@avochato.demo'],
    log: (l) => console.log(`  ..  ${l}`),
  });
  await app.listen(port);
  console.log(`Avochato Setup: ${app.loginUrl()}`);
  console.log(`client_id: ${app.oauth.app.clientId}`);
  console.log(`client_secret: ${app.oauth.app.clientSecret}`);
  console.log('Ready (FAKE org: no Apex runs)');
}

main().catch((e: unknown) => {
  console.error(String(e));
  process.exit(1);
});
