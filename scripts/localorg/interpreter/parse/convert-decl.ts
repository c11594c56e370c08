/** ANTLR declarations (classes, interfaces, enums, members, triggers, anonymous blocks) -> AST. */
import type { Annotation, AnonymousUnit, Member, MethodDecl, Modifiers, Param, TriggerDecl, TypeDecl } from '../ast.js';
import {
  Ctx,
  PNode,
  child,
  childrenNamed,
  exprKids,
  isToken,
  kids,
  lineOf,
  ruleName,
  textOf,
  convertTypeRef,
  sourceOf,
} from './tree.js';
import { convertExpr } from './convert-expr.js';
import { convertBlock, convertDeclarators, convertLocalDecl } from './convert-stmt.js';

function annotation(ctx: Ctx, a: PNode): Annotation {
  const params: Record<string, string> = {};
  const strip = (s: string) => (s.startsWith("'") && s.endsWith("'") ? s.slice(1, -1) : s);
  const pairs = child(a, 'ElementValuePairsContext');
  if (pairs) {
    for (const p of childrenNamed(pairs, 'ElementValuePairContext')) {
      params[textOf(child(p, 'IdContext')).toLowerCase()] = strip(
        sourceOf(ctx.src, child(p, 'ElementValueContext')).trim(),
      );
    }
  }
  const single = child(a, 'ElementValueContext');
  if (single) params['value'] = strip(sourceOf(ctx.src, single).trim());
  const qn = child(a, 'QualifiedNameContext');
  const name = qn
    ? textOf(qn)
    : childrenNamed(a, 'IdContext')
        .map((i: PNode) => textOf(i))
        .join('.');
  return { name: name.toLowerCase(), params };
}

export function convertModifiers(ctx: Ctx, mods: PNode[]): Modifiers {
  const m: Modifiers = {
    isStatic: false,
    isFinal: false,
    isAbstract: false,
    isVirtual: false,
    isOverride: false,
    isTestMethod: false,
    access: 'private',
    annotations: [],
  };
  for (const mod of mods) {
    const an = child(mod, 'AnnotationContext');
    if (an) {
      m.annotations.push(annotation(ctx, an));
      continue;
    }
    const toks = kids(mod).map((t: PNode) => textOf(t).toLowerCase());
    switch (toks[0]) {
      case 'static':
        m.isStatic = true;
        break;
      case 'final':
        m.isFinal = true;
        break;
      case 'abstract':
        m.isAbstract = true;
        break;
      case 'virtual':
        m.isVirtual = true;
        break;
      case 'override':
        m.isOverride = true;
        break;
      case 'testmethod':
        m.isTestMethod = true;
        break;
      case 'private':
      case 'protected':
      case 'public':
      case 'global':
        m.access = toks[0];
        break;
      case 'webservice':
        m.access = 'global';
        break;
      case 'with':
        m.sharing = 'with';
        break;
      case 'without':
        m.sharing = 'without';
        break;
      case 'inherited':
        m.sharing = 'inherited';
        break;
      default:
        break; // transient
    }
  }
  return m;
}

function params(ctx: Ctx, fp: PNode): Param[] {
  const list = child(fp, 'FormalParameterListContext');
  if (!list) return [];
  return childrenNamed(list, 'FormalParameterContext').map((p: PNode) => ({
    name: textOf(child(p, 'IdContext')),
    type: convertTypeRef(ctx, child(p, 'TypeRefContext')),
  }));
}

function method(ctx: Ctx, m: PNode, mods: Modifiers): MethodDecl {
  const tr = child(m, 'TypeRefContext');
  const body = child(m, 'BlockContext');
  return {
    name: textOf(child(m, 'IdContext')),
    mods,
    returnType: tr ? convertTypeRef(ctx, tr) : null,
    params: params(ctx, child(m, 'FormalParametersContext')),
    body: body ? convertBlock(ctx, body) : null,
    line: lineOf(m),
    isCtor: false,
  };
}

function emptyType(kind: TypeDecl['kind'], name: string, mods: Modifiers, line: number, endLine: number): TypeDecl {
  return {
    kind,
    name,
    mods,
    superType: null,
    interfaces: [],
    members: [],
    methods: [],
    ctors: [],
    inner: [],
    enumValues: [],
    line,
    endLine,
  };
}

function typeList(ctx: Ctx, n: PNode | undefined) {
  return n ? childrenNamed(n, 'TypeRefContext').map((t: PNode) => convertTypeRef(ctx, t)) : [];
}

function member(ctx: Ctx, t: TypeDecl, md: PNode, mods: Modifiers): void {
  const d = kids(md)[0];
  switch (ruleName(d)) {
    case 'MethodDeclarationContext':
      t.methods.push(method(ctx, d, mods));
      return;
    case 'ConstructorDeclarationContext':
      t.ctors.push({
        name: t.name,
        mods,
        returnType: null,
        params: params(ctx, child(d, 'FormalParametersContext')),
        body: convertBlock(ctx, child(d, 'BlockContext')),
        line: lineOf(d),
        isCtor: true,
      });
      return;
    case 'FieldDeclarationContext': {
      const type = convertTypeRef(ctx, child(d, 'TypeRefContext'));
      for (const v of convertDeclarators(ctx, child(d, 'VariableDeclaratorsContext'))) {
        t.members.push({ k: 'field', decl: { name: v.name, mods, type, init: v.init, line: v.line } });
      }
      return;
    }
    case 'PropertyDeclarationContext': {
      const prop: Member = {
        k: 'prop',
        decl: {
          name: textOf(child(d, 'IdContext')),
          mods,
          type: convertTypeRef(ctx, child(d, 'TypeRefContext')),
          getter: null,
          setter: null,
          line: lineOf(d),
        },
      };
      for (const pb of childrenNamed(d, 'PropertyBlockContext')) {
        const g = child(pb, 'GetterContext');
        const s = child(pb, 'SetterContext');
        const acc = convertModifiers(ctx, childrenNamed(pb, 'ModifierContext')).access;
        const blk = child(g ?? s, 'BlockContext');
        const part = { body: blk ? convertBlock(ctx, blk) : null, access: acc };
        if (g) prop.decl.getter = part;
        else prop.decl.setter = part;
      }
      t.members.push(prop);
      return;
    }
    case 'ClassDeclarationContext':
    case 'InterfaceDeclarationContext':
    case 'EnumDeclarationContext':
      t.inner.push(convertTypeDecl(ctx, d, mods));
      return;
    default:
      ctx.unsupported(`member ${ruleName(d)}`, d);
  }
}

export function convertTypeDecl(ctx: Ctx, d: PNode, mods: Modifiers): TypeDecl {
  const name = textOf(child(d, 'IdContext'));
  const line = lineOf(d);
  const endLine = d.stop?.line ?? line;
  switch (ruleName(d)) {
    case 'EnumDeclarationContext': {
      const t = emptyType('enum', name, mods, line, endLine);
      const ec = child(d, 'EnumConstantsContext');
      t.enumValues = ec ? childrenNamed(ec, 'IdContext').map((i: PNode) => textOf(i)) : [];
      return t;
    }
    case 'InterfaceDeclarationContext': {
      const t = emptyType('interface', name, mods, line, endLine);
      t.interfaces = typeList(ctx, child(d, 'TypeListContext'));
      for (const m of childrenNamed(child(d, 'InterfaceBodyContext'), 'InterfaceMethodDeclarationContext')) {
        t.methods.push(method(ctx, m, convertModifiers(ctx, childrenNamed(m, 'ModifierContext'))));
      }
      return t;
    }
    default: {
      const t = emptyType('class', name, mods, line, endLine);
      const sup = child(d, 'TypeRefContext');
      t.superType = sup ? convertTypeRef(ctx, sup) : null;
      t.interfaces = typeList(ctx, child(d, 'TypeListContext'));
      for (const cbd of childrenNamed(child(d, 'ClassBodyContext'), 'ClassBodyDeclarationContext')) {
        const blk = child(cbd, 'BlockContext');
        if (blk) {
          const isStatic = kids(cbd).some((k: PNode) => isToken(k) && textOf(k).toLowerCase() === 'static');
          t.members.push({ k: 'init', decl: { isStatic, body: convertBlock(ctx, blk), line: lineOf(cbd) } });
          continue;
        }
        const md = child(cbd, 'MemberDeclarationContext');
        if (md) member(ctx, t, md, convertModifiers(ctx, childrenNamed(cbd, 'ModifierContext')));
      }
      return t;
    }
  }
}

export function convertCompilationUnit(ctx: Ctx, cu: PNode): TypeDecl {
  const td = child(cu, 'TypeDeclarationContext');
  const decl = kids(td).find((k: PNode) => !isToken(k) && ruleName(k) !== 'ModifierContext');
  return convertTypeDecl(ctx, decl, convertModifiers(ctx, childrenNamed(td, 'ModifierContext')));
}

/**
 * Members of trigger and anonymous blocks: statements, local variables (parsed as field declarations),
 * and, in anonymous blocks, methods and classes.
 */
function blockMembers(
  ctx: Ctx,
  block: PNode,
  memberRule: string,
  declRule: string,
  unit: AnonymousUnit | null,
): TriggerDecl['body'] {
  const stmts: TriggerDecl['body']['stmts'] = [];
  for (const m of childrenNamed(block, memberRule)) {
    const st = child(m, 'StatementContext');
    if (st) {
      // imported lazily to keep the statement converter independent of this file
      stmts.push(convertStmtLazy(ctx, st));
      continue;
    }
    const md = child(m, declRule);
    const mods = convertModifiers(ctx, childrenNamed(m, 'ModifierContext'));
    const inner = kids(md)[0];
    switch (ruleName(inner)) {
      case 'FieldDeclarationContext':
        stmts.push(convertLocalDecl(ctx, inner));
        break;
      case 'MethodDeclarationContext':
        if (!unit) ctx.unsupported('methods declared in a trigger', inner);
        unit.methods.push(method(ctx, inner, { ...mods, isStatic: true }));
        break;
      case 'ClassDeclarationContext':
      case 'InterfaceDeclarationContext':
      case 'EnumDeclarationContext':
        if (!unit) ctx.unsupported('types declared in a trigger', inner);
        unit.types.push(convertTypeDecl(ctx, inner, mods));
        break;
      default:
        ctx.unsupported(`declaration ${ruleName(inner)}`, inner);
    }
  }
  return { k: 'block', line: lineOf(block), stmts };
}

import { convertStmt as convertStmtLazy } from './convert-stmt.js';

export function convertTriggerUnit(ctx: Ctx, tu: PNode): TriggerDecl {
  const ids = childrenNamed(tu, 'IdContext');
  const events = childrenNamed(tu, 'TriggerCaseContext').map((c: PNode) =>
    kids(c)
      .map((k: PNode) => textOf(k).toLowerCase())
      .join(' '),
  );
  const tb = child(tu, 'TriggerBlockContext');
  return {
    name: textOf(ids[0]),
    sobject: textOf(ids[1]),
    events,
    body: blockMembers(ctx, tb, 'TriggerBlockMemberContext', 'TriggerMemberDeclarationContext', null),
    line: lineOf(tu),
  };
}

export function convertAnonymousUnit(ctx: Ctx, au: PNode): AnonymousUnit {
  const unit: AnonymousUnit = { body: { k: 'block', line: 1, stmts: [] }, methods: [], types: [] };
  const ab = child(au, 'AnonymousBlockContext');
  if (ab) unit.body = blockMembers(ctx, ab, 'AnonymousBlockMemberContext', 'AnonymousMemberDeclarationContext', unit);
  return unit;
}

export { exprKids, convertExpr };
