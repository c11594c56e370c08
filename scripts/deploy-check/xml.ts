/**
 * Metadata XML read into a small element tree that keeps each element's line, so that every problem can be printed
 * as `path:line: message`. Parsing is fast-xml-parser's (ordered mode with position metadata).
 */
import { XMLParser } from 'fast-xml-parser';

export interface XmlElement {
  name: string;
  line: number;
  /** Trimmed text content (empty for elements with children only). */
  text: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

const parser = new XMLParser({
  preserveOrder: true,
  captureMetaData: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});
const META = XMLParser.getMetaDataSymbol() as unknown as string;

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function lineStarts(src: string): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function convert(nodes: OrderedNode[], starts: number[]): { elements: XmlElement[]; text: string } {
  const elements: XmlElement[] = [];
  let text = '';
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (!name) continue;
    if (name === '#text') {
      text += String(node[name]);
      continue;
    }
    if (name.startsWith('?') || name === '#comment') continue;
    const meta = (node as Record<string, unknown>)[META] as { startIndex?: number } | undefined;
    const inner = convert((node[name] as OrderedNode[]) ?? [], starts);
    elements.push({
      name,
      line: lineOf(starts, meta?.startIndex ?? 0),
      text: inner.text.trim(),
      attrs: node[':@'] ?? {},
      children: inner.elements,
    });
  }
  return { elements, text };
}

/** The root element of an XML document, or throws with the parser's message. */
export function parseXml(src: string): XmlElement {
  // CRLF is normalised by the parser with positions kept on the original text.
  const root = convert(parser.parse(src) as OrderedNode[], lineStarts(src)).elements[0];
  if (!root) throw new Error('no root element');
  return root;
}

/** Direct children named `name`. */
export function kids(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** Text of the first direct child named `name`. */
export function childText(el: XmlElement, name: string): string | undefined {
  return el.children.find((c) => c.name === name)?.text;
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
