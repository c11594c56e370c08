/** A throwaway SFDX project for node tests: sfdx-project.json plus the given classes (their meta.xml added). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const META =
  '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>\n';

/** Writes the project into a new temporary folder and returns the folder; `classes` maps class names to source. */
export function tempProject(prefix: string, classes: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const project = { packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' };
  fs.writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify(project));
  const folder = path.join(dir, 'force-app', 'main', 'default', 'classes');
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, src] of Object.entries(classes)) {
    fs.writeFileSync(path.join(folder, `${name}.cls`), src);
    fs.writeFileSync(path.join(folder, `${name}.cls-meta.xml`), META);
  }
  return dir;
}
