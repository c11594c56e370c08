/**
 * Icons and styles: custom tab motifs from the documented list, and every SLDS icon a component names exists in the
 * Salesforce Lightning Design System (`@salesforce-ux/design-system`, `ui.icons.json`: every icon by category).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Context, Rule } from './context.js';

/**
 * Metadata API Developer Guide, CustomTab.motif: "The tab style for the color scheme and icon for the custom tab.
 * For example, 'Custom70: Handsaw'". The styles are the ones Setup offers ("Create Custom Object Tabs": Tab Style)
 * and Salesforce CLI's `sf schema generate tab` writes (plugin-sobject, lib/commands/schema/generate/tab.js).
 */
export const TAB_MOTIFS = [
  'Custom1: Heart',
  'Custom2: Fan',
  'Custom3: Sun',
  'Custom4: Hexagon',
  'Custom5: Leaf',
  'Custom6: Triangle',
  'Custom7: Square',
  'Custom8: Diamond',
  'Custom9: Lightning',
  'Custom10: Moon',
  'Custom11: Star',
  'Custom12: Circle',
  'Custom13: Box',
  'Custom14: Hands',
  'Custom15: People',
  'Custom16: Bank',
  'Custom17: Sack',
  'Custom18: Form',
  'Custom19: Wrench',
  'Custom20: Airplane',
  'Custom21: Computer',
  'Custom22: Telephone',
  'Custom23: Envelope',
  'Custom24: Building',
  'Custom25: Alarm clock',
  'Custom26: Flag',
  'Custom27: Laptop',
  'Custom28: Cell phone',
  'Custom29: PDA',
  'Custom30: Radar dish',
  'Custom31: Car',
  'Custom32: Factory',
  'Custom33: Desk',
  'Custom34: Insect',
  'Custom35: Microphone',
  'Custom36: Train',
  'Custom37: Bridge',
  'Custom38: Camera',
  'Custom39: Telescope',
  'Custom40: Credit card',
  'Custom41: Cash',
  'Custom42: Treasure chest',
  'Custom43: Jewel',
  'Custom44: Hammer',
  'Custom45: Ticket',
  'Custom46: Stamp',
  'Custom47: Knight',
  'Custom48: Trophy',
  'Custom49: CD/DVD',
  'Custom50: Big top',
  'Custom51: Apple',
  'Custom52: Balls',
  'Custom53: Bell',
  'Custom54: Boat',
  'Custom55: Books',
  'Custom56: Bottle',
  'Custom57: Building Block',
  'Custom58: Caduceus',
  'Custom59: Can',
  'Custom60: Umbrella',
  'Custom61: Castle',
  'Custom62: Chalkboard',
  'Custom63: Chip',
  'Custom64: Compass',
  'Custom65: Cup',
  'Custom66: Dice',
  'Custom67: Gears',
  'Custom68: Globe',
  'Custom69: Guitar',
  'Custom70: Handsaw',
  'Custom71: Headset',
  'Custom72: Helicopter',
  'Custom73: Highway Sign',
  'Custom74: Hot Air Balloon',
  'Custom75: IP Phone',
  'Custom76: Keys',
  'Custom77: Locked',
  'Custom78: Map',
  'Custom79: Measuring Tape',
  'Custom80: Motorcycle',
  'Custom81: Musical Note',
  'Custom82: Whistle',
  'Custom83: Pencil',
  'Custom84: Presenter',
  'Custom85: Real Estate Sign',
  'Custom86: Red Cross',
  'Custom87: Safe',
  'Custom88: Sailboat',
  'Custom89: Saxophone',
  'Custom90: Scales',
  'Custom91: Shield',
  'Custom92: Ship',
  'Custom93: Shopping Cart',
  'Custom94: Stethoscope',
  'Custom95: Stopwatch',
  'Custom96: Street Sign',
  'Custom97: Thermometer',
  'Custom98: Truck',
  'Custom99: TV CRT',
  'Custom100: TV Widescreen',
];

const norm = (m: string) => m.trim().replace(/\s+/g, ' ').toLowerCase();
const MOTIFS = new Map(TAB_MOTIFS.map((m) => [norm(m), m]));

const tabMotif: Rule = {
  id: 'icons/tab-motif',
  family: 'icons and styles',
  description: 'a custom tab motif is one of the documented tab styles (Custom1: Heart ... Custom100: TV Widescreen)',
  run(ctx) {
    for (const f of ctx.project.filesOf('CustomTab')) {
      const m = f.root.children.find((c) => c.name === 'motif');
      if (!m || MOTIFS.has(norm(m.text))) continue;
      const n = /^Custom(\d+):/i.exec(m.text.trim())?.[1];
      const known = n ? TAB_MOTIFS[Number(n) - 1] : undefined;
      const hint = known ? ` (Custom${n} is "${known.replace(/^Custom\d+: /, '')}")` : '';
      ctx.report(f.file, m.line, `Invalid tab style (motif) '${m.text}'${hint}`);
    }
  },
};

let icons: Set<string> | undefined;

/** `category:name` of every SLDS icon. */
export function sldsIcons(): Set<string> {
  if (!icons) {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@salesforce-ux/design-system/package.json'));
    const data = JSON.parse(readFileSync(path.join(dir, 'ui.icons.json'), 'utf8')) as {
      name: string;
      icons: { sprite: string; symbol: string }[];
    }[];
    icons = new Set(data.flatMap((c) => c.icons.map((i) => `${i.sprite}:${i.symbol}`)));
  }
  return icons;
}

function lineAt(src: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (src.charCodeAt(i) === 10) n++;
  return n;
}

const sldsIcon: Rule = {
  id: 'icons/slds-icon',
  family: 'icons and styles',
  description:
    'every SLDS icon named by Apex `iconName=\'slds:category:name\'` and LWC `icon-name="category:name"` exists',
  run(ctx: Context) {
    const known = sldsIcons();
    // Apex Developer Guide, InvocableMethod annotation: iconName "The icon to use when displaying the action in Flow
    // Builder. You can specify an SVG file that you uploaded as a static resource or a Lightning Design System
    // standard icon", written `slds:<category>:<name>`: the name must be one of the Design System's icons.
    for (const c of ctx.project.components.filter((x) => x.type.name === 'ApexClass' && x.content)) {
      const src = readFileSync(c.content!, 'utf8');
      for (const m of src.matchAll(/\biconName\s*=\s*'slds:([a-z]+):([A-Za-z0-9_]+)'/gi))
        if (!known.has(`${m[1]}:${m[2]}`))
          ctx.report(
            c.content!,
            lineAt(src, m.index),
            `iconName 'slds:${m[1]}:${m[2]}' is not a Lightning Design System icon`,
          );
    }
    // Lightning Component Reference (lightning-icon, lightning-card, lightning-button...): icon-name is
    // "category:name" of an SLDS icon (utility, standard, custom, action, doctype). Bound values ({...}) are set
    // at run time and not checked here.
    for (const c of ctx.project.components.filter((x) => x.type.name === 'LightningComponentBundle' && x.content))
      for (const file of c.walkContent().filter((p) => p.endsWith('.html') && !/[/\\]__tests__[/\\]/.test(p))) {
        const src = readFileSync(file, 'utf8');
        for (const m of src.matchAll(/\bicon-name\s*=\s*"([a-z]+):([A-Za-z0-9_]+)"/g))
          if (!known.has(`${m[1]}:${m[2]}`))
            ctx.report(file, lineAt(src, m.index), `icon-name "${m[1]}:${m[2]}" is not a Lightning Design System icon`);
      }
    // The same components in Aura markup (lightning:icon, lightning:card ...) take iconName="category:name".
    for (const c of ctx.project.components.filter((x) => x.type.name === 'AuraDefinitionBundle' && x.content))
      for (const file of c.walkContent().filter((p) => /\.(cmp|app|evt|intf)$/.test(p))) {
        const src = readFileSync(file, 'utf8');
        for (const m of src.matchAll(/<lightning:[A-Za-z]+\b[^>]*?\biconName\s*=\s*"([a-z]+):([A-Za-z0-9_]+)"/g))
          if (!known.has(`${m[1]}:${m[2]}`))
            ctx.report(file, lineAt(src, m.index), `iconName "${m[1]}:${m[2]}" is not a Lightning Design System icon`);
      }
  },
};

export const iconRules: Rule[] = [tabMotif, sldsIcon];
