/**
 * Test set-up shared by the server's suites: a local server (AppServer) over a FakeOrg that has the integration
 * user (with the sync permission set, run as by the connected app) and a second user, Sam Viewer; and a raw HTTP
 * request, for headers `fetch` does not let a test set (Host).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppServer, type AppServerOptions } from '../http/app-server.js';
import type { ConnectedApp } from '../http/oauth.js';
import { FakeOrg } from './fake-org.js';

export interface TestServer {
  org: FakeOrg;
  app: AppServer;
  port: number;
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** The integration user's Id (also the connected app's run-as user). */
  integrationId: string;
  /** Stops the server and removes its build folder. */
  close(): Promise<void>;
}

/**
 * Starts a server for `connectedApp` on a free port, with an empty build folder; `options` are passed on
 * (startupKey, now, sessionMinutes ...), and `org.restHandler` answers /services/apexrest.
 */
export async function startTestServer(
  connectedApp: ConnectedApp,
  restHandler: FakeOrg['restHandler'],
  options: Omit<AppServerOptions, 'org' | 'connectedApp' | 'buildDir' | 'jobPump'>,
): Promise<TestServer> {
  const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-test-'));
  const org = new FakeOrg();
  const integrationId = org.addUser('integration@avochato.demo', 'Avochato Integration', undefined, [
    'Avochato_Sync_Credentials',
  ]);
  org.addUser('sam.viewer@avochato.demo', 'Sam Viewer');
  connectedApp.runAsUserId = integrationId;
  org.restHandler = restHandler;
  const app = new AppServer({
    org,
    connectedApp,
    buildDir,
    jobPump: { afterCallMs: 20, pollMs: 60_000 },
    ...options,
  });
  const port = await app.listen(0);
  return {
    org,
    app,
    port,
    base: `http://127.0.0.1:${port}`,
    integrationId,
    async close() {
      await app.close();
      fs.rmSync(buildDir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request to 127.0.0.1:`port` with exactly these headers (any Host), and its whole answer as text. */
export function rawRequest(
  port: number,
  p: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body = '',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
