/**
 * TypeScript declarations of the Setup tab's Apex controller, generated from the Apex so that the DTO shapes have one
 * source: `AvochatoSetupController.cls`. The local org's parser reads the class; every inner class with
 * `@AuraEnabled` fields becomes an interface, every `@AuraEnabled` static method an `@salesforce/apex/...` module.
 *
 * Types: String and Id -> string, Boolean -> boolean, Integer/Long/Decimal/Double -> number, Date/Datetime -> string
 * (ISO text on the wire), List/Set<X> -> X[], an inner class -> its interface. Null, read from the ApexDoc:
 * - a field is non-null when it has an initialiser or its description says "Never null"; else `T | null`;
 * - a String field whose description says "One of `A`, `B` or `C`" is the union `'A' | 'B' | 'C'`;
 * - a parameter is `T | null` when its `@param` text mentions "null" or "blank".
 *
 * `npm run gen:lwc-types` writes the file; `checkLwcTypes` (the typecheck gate) fails when it is stale and checks
 * the Jest fixtures (`__tests__/data/<method><Case>.json`) against the return type of `<method>`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TypeRef } from '../localorg/core/values.js';
import type { FieldDecl, MethodDecl, TypeDecl } from '../localorg/interpreter/ast.js';
import { parseClass } from '../localorg/interpreter/parse/parse.js';
import * as prettier from 'prettier';
import { lwcDir } from './project-paths.js';

/** The controller whose declarations are generated, and where they go. */
export const CONTROLLER = 'AvochatoSetupController';
export const controllerSource = (root: string) =>
  path.join(root, 'force-app', 'main', 'setup-tab', 'classes', `${CONTROLLER}.cls`);
export const declarationFile = (root: string) =>
  path.join(root, 'force-app', 'lwc-types', `${CONTROLLER.charAt(0).toLowerCase()}${CONTROLLER.slice(1)}.d.ts`);
/** The module the DTO interfaces are declared in (types only: nothing imports it at run time). */
export const DTO_MODULE = `@salesforce/apex/${CONTROLLER}`;

/** A TypeScript type of a DTO field or parameter, as the generator and the fixture check see it. */
export type TsType =
  | { k: 'string'; values?: string[] }
  | { k: 'boolean' }
  | { k: 'number' }
  | { k: 'array'; of: TsType }
  | { k: 'dto'; name: string };

export interface DtoField {
  name: string;
  type: TsType;
  nullable: boolean;
  doc: string;
}

export interface Dto {
  name: string;
  doc: string;
  fields: DtoField[];
}

export interface ApexMethodShape {
  name: string;
  doc: string;
  params: { name: string; type: TsType; nullable: boolean }[];
  returns: TsType | null;
}

export interface ControllerShape {
  dtos: Dto[];
  methods: ApexMethodShape[];
}

const STRINGS = new Set(['string', 'id', 'date', 'datetime', 'time']);
const NUMBERS = new Set(['integer', 'long', 'decimal', 'double']);

function tsTypeOf(ref: TypeRef, dtoNames: Set<string>, where: string): TsType {
  const name = ref.name.toLowerCase().replace(/^system\./, '');
  if (STRINGS.has(name)) return { k: 'string' };
  if (NUMBERS.has(name)) return { k: 'number' };
  if (name === 'boolean') return { k: 'boolean' };
  if ((name === 'list' || name === 'set') && ref.args?.length === 1)
    return { k: 'array', of: tsTypeOf(ref.args[0], dtoNames, where) };
  const inner = ref.name.replace(new RegExp(`^${CONTROLLER}\\.`, 'i'), '');
  if (dtoNames.has(inner)) return { k: 'dto', name: inner };
  throw new Error(`${where}: no TypeScript type for the Apex type ${ref.name} (add it to scripts/build/lwc-types.ts)`);
}

/** The ApexDoc block just above a declaration (annotations in between are skipped), without `*` and tags. */
function apexDocAbove(lines: string[], declLine: number): string {
  let i = declLine - 2; // declLine is 1-based; start on the line above
  while (i >= 0 && /^\s*@\w+/.test(lines[i])) i--;
  while (i >= 0 && /^\s*@\w+/.test(lines[i + 1] ?? '') && lines[i].trim() === '') i--;
  if (i < 0 || !lines[i].trim().endsWith('*/')) return '';
  const end = i;
  while (i >= 0 && !lines[i].includes('/**')) i--;
  return lines
    .slice(i, end + 1)
    .join('\n')
    .replace(/^\s*\/\*\*/, '')
    .replace(/\*\/\s*$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, ''))
    .join('\n')
    .trim();
}

function description(doc: string): string {
  const m = /@description\s+([\s\S]*?)(?=\n@\w+|$)/.exec(doc);
  return (m ? m[1] : doc.split(/\n@\w+/)[0]).replace(/\s+/g, ' ').trim();
}

function paramDoc(doc: string, name: string): string {
  const m = new RegExp(`@param\\s+${name}\\s+([\\s\\S]*?)(?=\\n@\\w+|$)`).exec(doc);
  return m ? m[1].replace(/\s+/g, ' ').trim() : '';
}

function enumValues(text: string): string[] | undefined {
  const m = /One of ((?:`[^`]+`(?:, | or )?)+)/.exec(text);
  return m ? [...m[1].matchAll(/`([^`]+)`/g)].map((v) => v[1]) : undefined;
}

const hasAnnotation = (mods: { annotations: { name: string }[] }, name: string) =>
  mods.annotations.some((a) => a.name === name);

/** Reads the DTOs and `@AuraEnabled` methods of the controller. */
export function readController(root: string): ControllerShape {
  const file = controllerSource(root);
  const src = readFileSync(file, 'utf8');
  const lines = src.split('\n');
  const decl: TypeDecl = parseClass(file, src);
  const dtoDecls = decl.inner.filter((t) =>
    t.members.some((m) => m.k === 'field' && hasAnnotation(m.decl.mods, 'auraenabled')),
  );
  const dtoNames = new Set(dtoDecls.map((t) => t.name));
  const dtos: Dto[] = dtoDecls.map((t) => ({
    name: t.name,
    doc: description(apexDocAbove(lines, t.line)),
    fields: t.members
      .filter((m): m is { k: 'field'; decl: FieldDecl } => m.k === 'field' && hasAnnotation(m.decl.mods, 'auraenabled'))
      .map(({ decl: f }) => {
        const doc = description(apexDocAbove(lines, f.line));
        const type = tsTypeOf(f.type, dtoNames, `${t.name}.${f.name}`);
        const values = type.k === 'string' ? enumValues(doc) : undefined;
        return {
          name: f.name,
          type: values ? { k: 'string', values } : type,
          nullable: f.init === null && !/never null/i.test(doc),
          doc,
        };
      }),
  }));
  const methods: ApexMethodShape[] = decl.methods
    .filter((m: MethodDecl) => m.mods.isStatic && hasAnnotation(m.mods, 'auraenabled'))
    .map((m) => {
      const doc = apexDocAbove(lines, m.line);
      return {
        name: m.name,
        doc: description(doc),
        params: m.params.map((p) => ({
          name: p.name,
          type: tsTypeOf(p.type, dtoNames, `${m.name}(${p.name})`),
          nullable: /\b(null|blank)\b/i.test(paramDoc(doc, p.name)),
        })),
        returns: m.returnType ? tsTypeOf(m.returnType, dtoNames, `${m.name} result`) : null,
      };
    });
  return { dtos, methods };
}

function render(t: TsType): string {
  switch (t.k) {
    case 'string':
      return t.values ? t.values.map((v) => `'${v}'`).join(' | ') : 'string';
    case 'array': {
      const of = render(t.of);
      return of.includes(' ') ? `(${of})[]` : `${of}[]`;
    }
    case 'dto':
      return t.name;
    default:
      return t.k;
  }
}

const withNull = (t: string, nullable: boolean) => (nullable ? `${t} | null` : t);

/** The text of the declaration file, formatted as the repository's prettier settings say. */
export async function renderDeclarations(root: string, shape: ControllerShape): Promise<string> {
  const file = declarationFile(root);
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(declarationText(shape), { ...options, filepath: file });
}

function declarationText(shape: ControllerShape): string {
  const out: string[] = [
    '/**',
    ` * GENERATED by \`npm run gen:lwc-types\` from force-app/main/setup-tab/classes/${CONTROLLER}.cls: do not edit,`,
    ' * change the Apex and run it again (the typecheck gate fails while this file is stale). The DTOs are the',
    " * controller's `@AuraEnabled` inner classes; each method module is an `@AuraEnabled` method as the components",
    ' * import it, with the Apex parameter names. Never a secret: the Apex DTOs carry none.',
    ' */',
    '',
    `declare module '${DTO_MODULE}' {`,
  ];
  for (const dto of shape.dtos) {
    if (dto.doc) out.push(`  /** ${dto.doc} */`);
    out.push(`  export interface ${dto.name} {`);
    for (const f of dto.fields) {
      if (f.doc) out.push(`    /** ${f.doc} */`);
      out.push(`    ${f.name}${f.nullable ? '?' : ''}: ${withNull(render(f.type), f.nullable)};`);
    }
    out.push('  }');
  }
  out.push('}');
  for (const m of shape.methods) {
    const params = m.params.length
      ? `{ ${m.params.map((p) => `${p.name}: ${withNull(render(p.type), p.nullable)}`).join('; ')} }`
      : 'Record<string, never>';
    const used = new Set<string>();
    const collect = (t: TsType | null) => {
      if (!t) return;
      if (t.k === 'dto') used.add(t.name);
      if (t.k === 'array') collect(t.of);
    };
    collect(m.returns);
    m.params.forEach((p) => collect(p.type));
    out.push('');
    out.push(`declare module '@salesforce/apex/${CONTROLLER}.${m.name}' {`);
    out.push(`  import type { ApexMethod } from '@salesforce/apex';`);
    if (used.size) out.push(`  import type { ${[...used].sort().join(', ')} } from '${DTO_MODULE}';`);
    if (m.doc) out.push(`  /** ${m.doc} */`);
    out.push(`  const ${m.name}: ApexMethod<${params}, ${m.returns ? render(m.returns) : 'void'}>;`);
    out.push(`  export default ${m.name};`);
    out.push('}');
  }
  return out.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------- fixtures

/** The problems of a JSON value against a type (empty when it matches), each naming the path. */
export function checkValue(shape: ControllerShape, value: unknown, type: TsType, at: string): string[] {
  switch (type.k) {
    case 'string':
      if (typeof value !== 'string') return [`${at}: expected a string, found ${JSON.stringify(value)}`];
      if (type.values && !type.values.includes(value))
        return [`${at}: expected one of ${type.values.join(', ')}, found ${JSON.stringify(value)}`];
      return [];
    case 'boolean':
    case 'number':
      return typeof value === type.k ? [] : [`${at}: expected a ${type.k}, found ${JSON.stringify(value)}`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected an array, found ${JSON.stringify(value)}`];
      return value.flatMap((v, i) => checkValue(shape, v, type.of, `${at}[${i}]`));
    case 'dto': {
      const dto = shape.dtos.find((d) => d.name === type.name);
      if (!dto) return [`${at}: unknown DTO ${type.name}`];
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return [`${at}: expected a ${dto.name} object, found ${JSON.stringify(value)}`];
      const record = value as Record<string, unknown>;
      const problems: string[] = [];
      for (const key of Object.keys(record))
        if (!dto.fields.some((f) => f.name === key)) problems.push(`${at}.${key}: ${dto.name} has no such field`);
      for (const f of dto.fields) {
        const v = record[f.name];
        // The platform leaves null fields out of the JSON of an Apex object, so a nullable field may be absent.
        if (v === undefined || v === null) {
          if (!f.nullable) problems.push(`${at}.${f.name}: ${dto.name}.${f.name} is never null, but it is missing`);
          continue;
        }
        problems.push(...checkValue(shape, v, f.type, `${at}.${f.name}`));
      }
      return problems;
    }
  }
}

/** Every `__tests__/data/*.json` under the components, with the method whose answer it stands for. */
export function fixtures(root: string, shape: ControllerShape): { file: string; method: ApexMethodShape | null }[] {
  const out: { file: string; method: ApexMethodShape | null }[] = [];
  const dir = lwcDir(root);
  if (!existsSync(dir)) return out;
  for (const component of readdirSync(dir)) {
    const data = path.join(dir, component, '__tests__', 'data');
    if (!existsSync(data)) continue;
    for (const name of readdirSync(data)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const method =
        shape.methods.filter((m) => name.startsWith(m.name)).sort((a, b) => b.name.length - a.name.length)[0] ?? null;
      out.push({ file: path.join(data, name), method });
    }
  }
  return out;
}

export interface LwcTypesCheck {
  ok: boolean;
  summary: string;
  problems: string[];
}

/** Fails when the declaration file is not what the Apex generates, or a fixture does not match its method. */
export async function checkLwcTypes(root: string): Promise<LwcTypesCheck> {
  const shape = readController(root);
  const problems: string[] = [];
  const target = declarationFile(root);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== (await renderDeclarations(root, shape)))
    problems.push(`${path.relative(root, target)} is stale: run npm run gen:lwc-types and commit the result`);
  const found = fixtures(root, shape);
  for (const { file, method } of found) {
    const rel = path.relative(root, file);
    if (!method) {
      problems.push(
        `${rel}: the name starts with no @AuraEnabled method of ${CONTROLLER} (name it <method><Case>.json)`,
      );
      continue;
    }
    if (!method.returns) {
      problems.push(`${rel}: ${method.name} returns nothing`);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push(`${rel}: not JSON (${(e as Error).message})`);
      continue;
    }
    problems.push(...checkValue(shape, value, method.returns, `${rel} (${method.name})`));
  }
  return {
    ok: problems.length === 0,
    summary: `${CONTROLLER} declarations ${problems.some((p) => p.includes('stale')) ? 'stale' : 'current'}, ${found.length} fixtures checked`,
    problems,
  };
}
