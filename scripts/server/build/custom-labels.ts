/**
 * Reads the project's custom labels (force-app/.../labels/*.labels-meta.xml) for `@salesforce/label/c.Name`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { labelsDir } from '../../build/project-paths.js';

export function readCustomLabels(root: string): Map<string, string> {
  const dir = labelsDir(root);
  const labels = new Map<string, string>();
  if (!existsSync(dir)) return labels;
  const parser = new XMLParser({ isArray: (name) => name === 'labels' });
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.labels-meta.xml'))) {
    const xml = parser.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      CustomLabels?: { labels?: { fullName: string; value: unknown }[] };
    };
    for (const l of xml.CustomLabels?.labels ?? []) labels.set(String(l.fullName), String(l.value ?? ''));
  }
  return labels;
}
