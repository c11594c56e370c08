/**
 * The shipped connected app's OAuth settings, read from its metadata (force-app/main/rest/connectedApps): label,
 * callback URLs (`callbackUrl`, one URL per line as Setup stores several) and `isSecretRequiredForRefreshToken`.
 * The consumer key and secret are never in metadata: the local org makes them at each start (oauth.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { ConnectedAppSettings } from '../http/oauth.js';

const DIR = path.join('force-app', 'main', 'rest', 'connectedApps');

export function readConnectedAppSettings(root: string, name = 'Avochato_Integration'): Required<ConnectedAppSettings> {
  const file = path.join(root, DIR, `${name}.connectedApp-meta.xml`);
  const found = readdirSync(path.join(root, DIR)).includes(path.basename(file));
  if (!found) throw new Error(`no connected app ${name} in ${DIR}`);
  const xml = new XMLParser({ parseTagValue: false, trimValues: true }).parse(readFileSync(file, 'utf8')) as {
    ConnectedApp?: {
      label?: string;
      oauthConfig?: { callbackUrl?: string; isSecretRequiredForRefreshToken?: string };
    };
  };
  const app = xml.ConnectedApp ?? {};
  return {
    label: app.label ?? name,
    callbackUrls: (app.oauthConfig?.callbackUrl ?? '')
      .split(/\r?\n/)
      .map((u) => u.trim())
      .filter(Boolean),
    // The platform's default for the setting is true.
    secretRequiredForRefresh: app.oauthConfig?.isSecretRequiredForRefreshToken !== 'false',
  };
}
