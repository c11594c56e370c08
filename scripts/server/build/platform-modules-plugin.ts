/**
 * Rollup plugin: the platform modules a Lightning page provides and lightning-base-components does not
 * (TOOLCHAIN.md), resolved to the local page's implementations under scripts/server/web (transpiled to `webDir`):
 *   @salesforce/apex, @salesforce/apex/Class.method, @salesforce/customPermission/Name, @salesforce/user/Id,
 *   @salesforce/user/isGuest, @salesforce/schema/Object[.Field], @salesforce/label/c.Name,
 *   lightning/platformShowToastEvent, lightning/navigation, lightning/empApi.
 * It runs before the LWC plugin, so these win over lightning-base-components' own (e.g. its lightning/navigation
 * re-exports 'force/navigation', which exists only inside Salesforce).
 */
import * as path from 'node:path';
import type { Plugin } from 'rollup';

const VIRTUAL = '\0local-platform:';

export interface PlatformModulesOptions {
  /** Folder with the transpiled web/*.js. */
  webDir: string;
  /** Custom labels: name -> value. */
  labels: Map<string, string>;
}

const FILE_MODULES: Record<string, string> = {
  'lightning/platformShowToastEvent': 'platform-show-toast-event.js',
  'lightning/navigation': 'navigation.js',
  'lightning/empApi': 'emp-api.js',
};

export function platformModules(opts: PlatformModulesOptions): Plugin {
  const web = (file: string): string => JSON.stringify(path.join(opts.webDir, file));
  return {
    name: 'local-platform-modules',
    resolveId(source) {
      if (FILE_MODULES[source]) return path.join(opts.webDir, FILE_MODULES[source]);
      if (
        source === '@salesforce/apex' ||
        source.startsWith('@salesforce/apex/') ||
        source.startsWith('@salesforce/customPermission/') ||
        source.startsWith('@salesforce/user/') ||
        source.startsWith('@salesforce/schema/') ||
        source.startsWith('@salesforce/label/c.')
      ) {
        return VIRTUAL + source;
      }
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const source = id.slice(VIRTUAL.length);
      if (source === '@salesforce/apex')
        return `export { refreshApex, getSObjectValue } from ${web('apex-client.js')};`;
      if (source.startsWith('@salesforce/apex/')) {
        const parts = source.slice('@salesforce/apex/'.length).split('.');
        if (parts.length < 2) this.error(`Bad Apex import "${source}": expected @salesforce/apex/Class.method`);
        const methodName = parts.pop()!;
        const className = parts.pop()!; // a namespace prefix, if any, is dropped: the local org has none
        return `import { apexMethod } from ${web('apex-client.js')};\nexport default apexMethod(${JSON.stringify(className)}, ${JSON.stringify(methodName)});`;
      }
      if (source.startsWith('@salesforce/customPermission/')) {
        const name = source.slice('@salesforce/customPermission/'.length);
        return `import { hasCustomPermission } from ${web('org-context.js')};\nexport default hasCustomPermission(${JSON.stringify(name)});`;
      }
      if (source === '@salesforce/user/Id')
        return `import { orgContext } from ${web('org-context.js')};\nexport default orgContext().userId;`;
      if (source === '@salesforce/user/isGuest') return 'export default false;';
      if (source.startsWith('@salesforce/user/'))
        this.error(`"${source}" is not provided by the local org (only @salesforce/user/Id and isGuest)`);
      if (source.startsWith('@salesforce/schema/')) {
        const [objectApiName, ...field] = source.slice('@salesforce/schema/'.length).split('.');
        const value = field.length ? { objectApiName, fieldApiName: field.join('.') } : { objectApiName };
        return `export default ${JSON.stringify(value)};`;
      }
      if (source.startsWith('@salesforce/label/c.')) {
        const name = source.slice('@salesforce/label/c.'.length);
        const value = opts.labels.get(name);
        if (value === undefined) this.error(`Custom label "${name}" is not defined in force-app (CustomLabels)`);
        return `export default ${JSON.stringify(value)};`;
      }
      return null;
    },
  };
}
