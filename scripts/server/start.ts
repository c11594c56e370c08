/**
 * `npm start`: compiles and bundles the Setup tab, starts the Avochato emulator, loads the local org with the
 * project's metadata and Apex, seeds a demo org, and serves http://127.0.0.1:PORT (the tab, the browser's Apex
 * bridge, OAuth and the org-like REST API). Each step prints its time; a failure prints one line and exits 1.
 * With `--data DIR` the org saved in DIR is loaded instead of seeding a new one, and every transaction committed
 * afterwards is on disk (DIR's journal, synced) before its response goes out (org/persistence.ts).
 */
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgError, parseStartArgs } from './cli-args.js';
import { StepFailed, StepReporter } from './step-reporter.js';
import { startEmulatorThread, type EmulatorHandle } from './emulator/emulator-handle.js';
import { SyncHttpTransport } from './http-transport.js';
import { loadLocalOrg } from './org/load-org.js';
import { seedDemoOrg } from './org/seed-demo-org.js';
import { compactIfDue, compactOnExit, formatBytes, openSavedOrg, saveNewOrg } from './org/persistence.js';
import { NAMED_USERS, NO_PERMISSION_USERNAME } from './org/demo-data.js';
import { AppServer } from './http/app-server.js';
import { newConnectedApp, type ConnectedApp } from './http/oauth.js';
import { newStartupKey } from './http/local-access.js';
import { readConnectedAppSettings } from './org/connected-app-metadata.js';
import { CALLBACK_PATH } from './emulator/console/avochato-console.js';
import { ensureJwtKeyPair } from './api/jwt-bearer.js';
import { compileComponents } from './build/compile-components.js';
import { bundleSetupTabInWorker } from './build/bundle-setup-tab.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD_DIR = path.join(ROOT, '.tmp', 'server-build');
const ROOT_COMPONENT = 'avochatoSetup';
/** How often a grown journal is looked at for compaction into a new snapshot (ms). */
const COMPACT_CHECK_MS = Number(process.env.LOCALORG_COMPACT_CHECK_MS) || 15_000;

/**
 * Checks that the port is free and holds it until `release` (called just before the server listens): while the org
 * loads, the emulator's own port (any free one) can never be this one.
 */
function reservePort(port: number): Promise<{ release: () => Promise<void> }> {
  if (port === 0) return Promise.resolve({ release: () => Promise.resolve() });
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `port ${port} is already in use (set PORT or --port to another port)`
            : err.message,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () =>
      resolve({ release: () => new Promise<void>((done) => probe.close(() => done())) }),
    );
  });
}

type Steps = StepReporter;
type Args = ReturnType<typeof parseStartArgs>;

/**
 * Compiles the components, then bundles the Setup tab in a worker thread while this thread loads and seeds the org
 * (skipped with --api-only); the returned promise is awaited before listening (see awaitBundle).
 */
async function buildSetupTab(
  steps: Steps,
  args: Args,
): Promise<{ bundling: ReturnType<typeof bundleSetupTabInWorker> }> {
  await steps.step(
    'compile the components',
    () => compileComponents(ROOT, path.join(ROOT, '.tmp', 'server-state')),
    (r) => `compiled ${r.components} components (tsc + LWC compiler)${r.cached ? ' (unchanged, reused)' : ''}`,
  );
  const bundling = bundleSetupTabInWorker({
    root: ROOT,
    outDir: BUILD_DIR,
    rootComponent: ROOT_COMPONENT,
    dev: args.dev,
    force: args.rebuild,
    cacheDir: path.join(ROOT, '.tmp', 'server-state', 'lwc-compiled'),
  });
  bundling.catch(() => undefined); // reported by its step in awaitBundle
  return { bundling };
}

async function awaitBundle(steps: Steps, args: Args, bundling: ReturnType<typeof bundleSetupTabInWorker>) {
  await steps.step(
    'bundle the Setup tab',
    () => bundling,
    (b) =>
      `bundled the Setup tab in ${StepReporter.fmt(b.ms)} beside the org load${b.cached ? ' (unchanged, reused)' : b.lwc ? ` (${b.lwc.compiled} files compiled, ${b.lwc.fromCache} reused)` : ''}: ${(b.bytes / 1e6).toFixed(1)} MB${args.dev ? '' : ' minified'}, ${formatBytes(b.brotliBytes)} brotli, ${formatBytes(b.initialBrotliBytes)} before first paint`,
  );
}

/** The emulator (unless --avochato-url sends the org's callouts elsewhere) and the org's callout transport. */
async function startAvochato(
  steps: Steps,
  args: Args,
): Promise<{ emulator: EmulatorHandle | null; avochatoBaseUrl: string; transport: SyncHttpTransport }> {
  let emulator: EmulatorHandle | null = null;
  const avochatoBaseUrl = args.avochatoUrl
    ? args.avochatoUrl
    : (emulator = await steps.step(
        'start the Avochato emulator',
        () => startEmulatorThread(),
        (e) => `Avochato emulator on ${e.baseUrl}`,
      )).baseUrl;
  if (args.avochatoUrl) console.log(`  --  Avochato callouts go to ${args.avochatoUrl} (no emulator)`);
  return { emulator, avochatoBaseUrl, transport: new SyncHttpTransport({ avochatoBaseUrl }) };
}

/** Loads the org with the project's metadata and Apex, then the saved data (--data) or a new demo seed. */
async function loadOrg(steps: Steps, args: Args, transport: SyncHttpTransport) {
  const org = await steps.step(
    'load the local org',
    () => loadLocalOrg(ROOT, transport),
    () => 'loaded the local org (metadata, Apex classes, triggers)',
  );
  const dataDir = args.dataDir ? path.resolve(args.dataDir) : null;
  const restored = dataDir
    ? await steps.step(
        'load the saved org',
        () => openSavedOrg(org, dataDir),
        (s) =>
          s
            ? `loaded the org saved in ${s.file} (${formatBytes(s.bytes)}, ${s.replayed} journal record(s) replayed, ${s.jobs} queued job(s) restored${s.tornBytes ? `, a torn last record of ${s.tornBytes} bytes dropped` : ''})`
            : `no saved org in ${dataDir} yet: a new one is seeded and saved there`,
      )
    : null;

  const seed = await steps.step(
    'seed the demo org',
    () => seedDemoOrg(org, args.users, { restored: !!restored }),
    (s) =>
      restored
        ? `found the saved demo users, ${s.users} added, no credentials added`
        : `seeded ${s.users} users, ${s.credentials} credentials, ${s.jobsRun} confirmation job(s) run`,
  );
  if (seed.credentialWarning) console.log(`  !!  demo credentials not created: ${seed.credentialWarning}`);
  if (dataDir)
    await steps.step(
      'save the org',
      () => saveNewOrg(org, dataDir, !!restored),
      (s) =>
        restored
          ? `every change from now on is journalled in ${dataDir} before its response`
          : `saved the new org in ${s.file} (${formatBytes(s.bytes)}); changes are journalled beside it`,
    );
  return { org, dataDir, seed };
}

type LoadedOrg = Awaited<ReturnType<typeof loadOrg>>;

/** The lines a user (and scripts/e2e/server-process.ts) reads: URLs with the start-up key, the connected app. */
function printReady(
  args: Args,
  app: AppServer,
  connectedApp: ConnectedApp,
  jwtKeyFile: string,
  loaded: LoadedOrg,
  steps: Steps,
  consoleUrl: string | null,
): void {
  const base = app.baseUrl;
  console.log('');
  console.log(args.apiOnly ? `Org API: ${base}` : `Avochato Setup: ${app.loginUrl()}`);
  if (args.apiOnly) console.log(`Status page: ${app.loginUrl('/__local/status')}`);
  console.log(`client_id: ${connectedApp.clientId}`);
  console.log(`client_secret: ${connectedApp.clientSecret}`);
  console.log(
    `token endpoint: ${base}/services/oauth2/token (grant_type=client_credentials runs as ${NAMED_USERS.at(-1)!.username})`,
  );
  console.log(
    `sf CLI: sf org login jwt --client-id ${connectedApp.clientId} --jwt-key-file ${jwtKeyFile} --username ${loaded.seed.adminUsername} --instance-url ${base} --alias localorg`,
  );
  if (!args.apiOnly)
    console.log(
      `view as: add ?as=${NO_PERMISSION_USERNAME} to the tab's URL (or any seeded username; admin: ${loaded.seed.adminUsername})`,
    );
  if (consoleUrl) console.log(`Avochato console: ${consoleUrl}`);
  console.log(`Ready in ${StepReporter.fmt(steps.elapsed())}. Ctrl+C stops.`);
}

/** The Avochato console in the emulator, connecting to this org; returns its printed URL (with the key). */
async function startConsole(
  emulator: EmulatorHandle,
  app: AppServer,
  connectedApp: ConnectedApp,
  startupKey: string,
): Promise<string> {
  // Avochato's users: the demo senders, with the emails of their Salesforce users.
  const users = NAMED_USERS.filter(
    (u) => u.permissionSets.includes('Avochato_User') && !u.username.startsWith('integration@'),
  ).map((u) => ({ name: `${u.first} ${u.last}`, email: u.username, username: u.username }));
  await emulator.enableConsole(
    {
      startupKey,
      orgUrl: app.baseUrl,
      clientId: connectedApp.clientId,
      clientSecret: connectedApp.clientSecret,
      users,
    },
    (line) => console.log(`  ..  ${line}`),
  );
  return `${emulator.baseUrl}/integrations?key=${startupKey}`;
}

/** Every transaction is journalled as it commits; the journal is compacted into a new snapshot when it grows. */
function compactWhileRunning(loaded: LoadedOrg): NodeJS.Timeout | null {
  const { org, dataDir } = loaded;
  if (!dataDir) return null;
  const timer = setInterval(() => {
    try {
      const saved = compactIfDue(org, dataDir);
      if (saved)
        console.log(
          `  ..  compacted the journal into ${saved.file} (${formatBytes(saved.bytes)}, ${StepReporter.fmt(saved.ms)})`,
        );
    } catch (err) {
      console.error(`npm start: could not compact the org's journal in ${dataDir}: ${String(err)}`);
    }
  }, COMPACT_CHECK_MS);
  timer.unref();
  return timer;
}

/** Ctrl+C and SIGTERM: compact (with --data), close everything, exit 0. */
function stopOnSignals(loaded: LoadedOrg, timer: NodeJS.Timeout | null, closers: (() => Promise<unknown>)[]): void {
  const { org, dataDir } = loaded;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (timer) clearInterval(timer);
    if (dataDir) {
      try {
        const saved = compactOnExit(org, dataDir);
        console.log(
          saved
            ? `saved the org in ${saved.file} (${formatBytes(saved.bytes)}, ${StepReporter.fmt(saved.ms)}; journal compacted)`
            : `the org in ${dataDir} is up to date (every change was journalled)`,
        );
      } catch (err) {
        console.error(`npm start: could not save the org in ${dataDir}: ${String(err)}`);
      }
    }
    void Promise.allSettled(closers.map((c) => c())).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function main(): Promise<void> {
  const args = parseStartArgs(process.argv.slice(2), process.env);
  const steps = new StepReporter();
  console.log('Avochato Credentials: local org');

  const reserved = await steps.step(
    'check the port',
    () => reservePort(args.port),
    () => (args.port ? `port ${args.port} is free` : 'port: any free one'),
  );
  const build = args.apiOnly ? null : await buildSetupTab(steps, args);
  const { emulator, avochatoBaseUrl, transport } = await startAvochato(steps, args);
  const loaded = await loadOrg(steps, args, transport);
  const { org, seed } = loaded;
  if (build) await awaitBundle(steps, args, build.bundling);

  const connectedApp = newConnectedApp(seed.integrationUserId, readConnectedAppSettings(ROOT));
  // The metadata lists the production callback; the local console's loopback callback is added here, the way the
  // consumer key and secret are made here (Setup would hold them in a real org).
  if (emulator) connectedApp.callbackUrls.push(`${emulator.baseUrl}${CALLBACK_PATH}`);
  const startupKey = newStartupKey();
  // The connected app's certificate for the JWT bearer flow: kept under .tmp/ (git-ignored, mode 0600) across starts.
  const jwtKey = ensureJwtKeyPair(path.join(ROOT, '.tmp', 'connected-app'));
  const app = new AppServer({
    org,
    connectedApp,
    startupKey,
    sessionMinutes: args.sessionMinutes,
    buildDir: args.apiOnly ? undefined : BUILD_DIR,
    jwtPublicKey: jwtKey.publicKey,
    demoUsernames: [seed.adminUsername, ...NAMED_USERS.map((u) => u.username)],
    log: (line) => console.log(`  ..  ${line}`),
    diagnostics: async () => ({
      avochato: avochatoBaseUrl,
      callouts: transport.log.slice(-50),
      // What the emulator accepted (no secrets: the emulator keeps none).
      avochatoSent: emulator ? (await emulator.stats()).sent.slice(-50) : null,
    }),
  });
  await steps.step(
    'listen',
    async () => {
      await reserved.release();
      return app.listen(args.port);
    },
    (p) => `listening on 127.0.0.1:${p}`,
  );
  const consoleUrl = emulator ? await startConsole(emulator, app, connectedApp, startupKey) : null;
  printReady(args, app, connectedApp, jwtKey.privateKeyFile, loaded, steps, consoleUrl);
  stopOnSignals(loaded, compactWhileRunning(loaded), [
    () => app.close(),
    () => transport.close(),
    async () => emulator?.close(),
  ]);
}

main().catch((err: unknown) => {
  if (err instanceof StepFailed || err instanceof ArgError) console.error(`npm start: ${err.message}`);
  else console.error(`npm start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  process.exit(1);
});
