/**
 * Where the package's sources sit. `force-app/main` is grouped by feature (credentials, messages, flow-actions,
 * rest, setup-tab, common; see the README's "Project layout"); the tools that need one folder ask here.
 */
import path from 'node:path';

/** The Lightning Web Components of the Setup tab (and their `tsconfig.json`). */
export function lwcDir(root: string): string {
  return path.join(root, 'force-app', 'main', 'setup-tab', 'lwc');
}

/** Custom labels (`CustomLabels` metadata), shared by every feature. */
export function labelsDir(root: string): string {
  return path.join(root, 'force-app', 'main', 'common', 'labels');
}
