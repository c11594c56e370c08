/**
 * `npm run gen:lwc-types`: writes force-app/lwc-types/avochatoSetupController.d.ts from the Apex controller, then
 * checks the Jest fixtures against it. `--check` writes nothing and exits 1 when the file is stale or a fixture is
 * off (the typecheck gate runs the same check).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLwcTypes, declarationFile, readController, renderDeclarations } from './lwc-types.js';

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  if (!process.argv.includes('--check')) {
    writeFileSync(declarationFile(root), await renderDeclarations(root, readController(root)));
    console.log(`wrote ${path.relative(root, declarationFile(root))}`);
  }
  const result = await checkLwcTypes(root);
  for (const problem of result.problems) console.error(problem);
  console.log(result.summary);
  process.exit(result.ok ? 0 : 1);
}

void main();
