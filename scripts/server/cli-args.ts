/**
 * `npm start -- [flags]`:
 *   --port N           port to serve on (default: PORT, else 3000)
 *   --users N          generic demo users to seed besides the named ones (default 30)
 *   --data DIR         keep the org's data in DIR/org.json between runs (loaded at start, saved on exit)
 *   --avochato-url U   send the org's Avochato callouts to U instead of the local emulator (or AVOCHATO_BASE_URL)
 *   --api-only         skip compiling and bundling the Setup tab (OAuth, REST and actions only)
 *   --rebuild          rebuild the Setup tab bundle even if nothing changed
 *   --dev              development build of the LWC engine (more checks, slower)
 *   --session-minutes N  session timeout: access tokens and browser logins end after N minutes (default 120)
 */
export interface StartArgs {
  port: number;
  users: number;
  dataDir: string | null;
  avochatoUrl: string | null;
  apiOnly: boolean;
  rebuild: boolean;
  dev: boolean;
  sessionMinutes: number;
}

export class ArgError extends Error {}

export function parseStartArgs(argv: string[], env: NodeJS.ProcessEnv): StartArgs {
  const args: StartArgs = {
    port: env.PORT ? Number(env.PORT) : 3000,
    users: 30,
    dataDir: null,
    avochatoUrl: env.AVOCHATO_BASE_URL || null,
    apiOnly: false,
    rebuild: false,
    dev: false,
    sessionMinutes: 120,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new ArgError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const take = (): string => inline ?? value(i++, flag);
    switch (flag) {
      case '--port':
        args.port = Number(take());
        break;
      case '--users':
        args.users = Number(take());
        break;
      case '--data':
        args.dataDir = take();
        break;
      case '--avochato-url':
        args.avochatoUrl = take();
        break;
      case '--api-only':
        args.apiOnly = true;
        break;
      case '--rebuild':
        args.rebuild = true;
        break;
      case '--dev':
        args.dev = true;
        break;
      case '--session-minutes':
        args.sessionMinutes = Number(take());
        break;
      default:
        throw new ArgError(
          `unknown option ${a} (options: --port N, --users N, --data DIR, --avochato-url URL, --api-only, --rebuild, --dev, --session-minutes N)`,
        );
    }
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)
    throw new ArgError(`invalid port ${String(args.port)}`);
  if (!Number.isInteger(args.users) || args.users < 0 || args.users > 1_000_000)
    throw new ArgError(`--users must be a whole number from 0 to 1000000`);
  // Setup > Session Settings offers 15 minutes to 24 hours.
  if (!Number.isInteger(args.sessionMinutes) || args.sessionMinutes < 1 || args.sessionMinutes > 24 * 60)
    throw new ArgError('--session-minutes must be a whole number from 1 to 1440');
  if (args.avochatoUrl && !/^https?:\/\//.test(args.avochatoUrl))
    throw new ArgError(`--avochato-url must start with http:// or https://`);
  return args;
}
