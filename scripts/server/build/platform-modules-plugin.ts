/**
 * esbuild plugin: the platform modules a Lightning page provides and lightning-base-components does not
 * (TOOLCHAIN.md), resolved to the local page's implementations under scripts/server/web (TypeScript, which esbuild
 * compiles itself):
 *   @salesforce/apex, @salesforce/apex/Class.method, @salesforce/customPermission/Name, @salesforce/user/Id,
 *   @salesforce/user/isGuest, @salesforce/schema/Object[.Field], @salesforce/label/c.Name,
 *   lightning/platformShowToastEvent, lightning/navigation, lightning/empApi.
 * It is listed before the LWC plugin (lwc-esbuild-plugin.ts), so these win over lightning-base-components' own
 * (e.g. its lightning/navigation re-exports 'force/navigation', which exists only inside Salesforce).
 */
import * as path from 'node:path';
import type { Plugin } from 'esbuild';

const NAMESPACE = 'local-platform';

export interface PlatformModulesOptions {
  /** Folder with the page's TypeScript modules (scripts/server/web). */
  webDir: string;
  /** Custom labels: name -> value. */
  labels: Map<string, string>;
}

const FILE_MODULES: Record<string, string> = {
  'lightning/platformShowToastEvent': 'platform-show-toast-event.ts',
  'lightning/navigation': 'navigation.ts',
  'lightning/empApi': 'emp-api.ts',
};

const VIRTUAL =
  /^(@salesforce\/apex(\/.*)?|@salesforce\/customPermission\/.*|@salesforce\/user\/.*|@salesforce\/schema\/.*|@salesforce\/label\/c\..*)$/;

/** The JavaScript of a virtual platform module (throws with the reason for one the local org cannot provide). */
export function platformModuleSource(source: string, opts: PlatformModulesOptions): string {
  const web = (file: string): string => JSON.stringify(path.join(opts.webDir, file));
  if (source === '@salesforce/apex') return `export { refreshApex, getSObjectValue } from ${web('apex-client.ts')};`;
  if (source.startsWith('@salesforce/apex/')) {
    const parts = source.slice('@salesforce/apex/'.length).split('.');
    if (parts.length < 2) throw new Error(`Bad Apex import "${source}": expected @salesforce/apex/Class.method`);
    const methodName = parts.pop()!;
    const className = parts.pop()!; // a namespace prefix, if any, is dropped: the local org has none
    return `import { apexMethod } from ${web('apex-client.ts')};\nexport default apexMethod(${JSON.stringify(className)}, ${JSON.stringify(methodName)});`;
  }
  if (source.startsWith('@salesforce/customPermission/')) {
    const name = source.slice('@salesforce/customPermission/'.length);
    return `import { hasCustomPermission } from ${web('org-context.ts')};\nexport default hasCustomPermission(${JSON.stringify(name)});`;
  }
  if (source === '@salesforce/user/Id')
    return `import { orgContext } from ${web('org-context.ts')};\nexport default orgContext().userId;`;
  if (source === '@salesforce/user/isGuest') return 'export default false;';
  if (source.startsWith('@salesforce/user/'))
    throw new Error(`"${source}" is not provided by the local org (only @salesforce/user/Id and isGuest)`);
  if (source.startsWith('@salesforce/schema/')) {
    const [objectApiName, ...field] = source.slice('@salesforce/schema/'.length).split('.');
    const value = field.length ? { objectApiName, fieldApiName: field.join('.') } : { objectApiName };
    return `export default ${JSON.stringify(value)};`;
  }
  if (source.startsWith('@salesforce/label/c.')) {
    const name = source.slice('@salesforce/label/c.'.length);
    const value = opts.labels.get(name);
    if (value === undefined) throw new Error(`Custom label "${name}" is not defined in force-app (CustomLabels)`);
    return `export default ${JSON.stringify(value)};`;
  }
  throw new Error(`"${source}" is not a platform module of the local org`);
}

export function platformModules(opts: PlatformModulesOptions): Plugin {
  return {
    name: 'local-platform-modules',
    setup(build) {
      build.onResolve({ filter: /^(lightning|@salesforce)\// }, (args) => {
        if (FILE_MODULES[args.path]) return { path: path.join(opts.webDir, FILE_MODULES[args.path]) };
        if (VIRTUAL.test(args.path)) return { path: args.path, namespace: NAMESPACE };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        try {
          return { contents: platformModuleSource(args.path, opts), loader: 'js', resolveDir: opts.webDir };
        } catch (err) {
          return { errors: [{ text: (err as Error).message }] };
        }
      });
    },
  };
}
