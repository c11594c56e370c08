/**
 * The interpreter's own typed AST, converted once from the ANTLR parse tree (parse/convert-*.ts).
 * Every node keeps its source line. Nodes carry small mutable `cache` slots the evaluator fills on first
 * use (resolved names, native functions), so name resolution happens once per node.
 */
import type { TypeRef } from '../core/values.js';

export interface Annotation {
  name: string; // lower-cased, without '@'
  params: Record<string, string>; // lower-cased key -> literal text (quotes removed)
}

export interface Modifiers {
  isStatic: boolean;
  isFinal: boolean;
  isAbstract: boolean;
  isVirtual: boolean;
  isOverride: boolean;
  isTestMethod: boolean;
  access: 'private' | 'protected' | 'public' | 'global';
  sharing?: 'with' | 'without' | 'inherited';
  annotations: Annotation[];
}

// ----------------------------------------------------------------------------- expressions

export type Expr =
  | { k: 'lit'; line: number; value: unknown; litType: 'Integer' | 'Long' | 'Decimal' | 'String' | 'Boolean' | 'null' }
  | { k: 'name'; line: number; name: string; cache?: unknown }
  | { k: 'field'; line: number; target: Expr; name: string; safe: boolean; cache?: unknown }
  | { k: 'call'; line: number; target: Expr | null; name: string; args: Expr[]; safe: boolean; cache?: unknown }
  | { k: 'ctorCall'; line: number; which: 'this' | 'super'; args: Expr[] }
  | { k: 'index'; line: number; target: Expr; index: Expr }
  | {
      k: 'new';
      line: number;
      type: TypeRef;
      args: Expr[] | null;
      listInit?: Expr[];
      mapInit?: [Expr, Expr][];
      arraySize?: Expr;
      cache?: unknown;
    }
  | { k: 'cast'; line: number; type: TypeRef; expr: Expr }
  | { k: 'instanceof'; line: number; expr: Expr; type: TypeRef }
  | { k: 'unary'; line: number; op: '-' | '+' | '!' | '~'; expr: Expr }
  | { k: 'incdec'; line: number; op: '++' | '--'; prefix: boolean; target: Expr }
  | { k: 'binary'; line: number; op: string; left: Expr; right: Expr }
  | { k: 'and' | 'or' | 'coalesce'; line: number; left: Expr; right: Expr }
  | { k: 'cond'; line: number; test: Expr; then: Expr; else: Expr }
  | { k: 'assign'; line: number; op: string; target: Expr; value: Expr }
  | { k: 'this'; line: number }
  | { k: 'super'; line: number }
  | { k: 'typeLit'; line: number; type: TypeRef }
  /** Inline SOQL, or SOSL when `sosl` is set (`[FIND ...]`). */
  | { k: 'soql'; line: number; text: string; binds: Map<string, Expr>; sosl?: true }
  /** A construct the local org cannot run: loading goes on, evaluating it throws UnsupportedFeature (fail late). */
  | { k: 'unsupported'; line: number; what: string; file: string };

// ----------------------------------------------------------------------------- statements

export interface VarDecl {
  name: string;
  init: Expr | null;
  line: number;
}

export interface CatchClause {
  typeName: string;
  varName: string;
  body: Block;
  line: number;
}

export interface WhenClause {
  kind: 'else' | 'values' | 'type';
  values: Expr[]; // literals or enum names (k:'name')
  typeRef?: TypeRef;
  varName?: string;
  body: Block;
  line: number;
}

export interface Block {
  k: 'block';
  line: number;
  stmts: Stmt[];
}

export type Stmt =
  | Block
  | { k: 'local'; line: number; type: TypeRef; decls: VarDecl[] }
  | { k: 'expr'; line: number; expr: Expr }
  | { k: 'if'; line: number; test: Expr; then: Stmt; else: Stmt | null }
  | { k: 'while'; line: number; test: Expr; body: Stmt }
  | { k: 'do'; line: number; test: Expr; body: Stmt }
  | { k: 'for'; line: number; init: Stmt | Expr[] | null; test: Expr | null; update: Expr[]; body: Stmt }
  | { k: 'foreach'; line: number; type: TypeRef; name: string; iterable: Expr; body: Stmt }
  | { k: 'return'; line: number; value: Expr | null }
  | { k: 'throw'; line: number; value: Expr }
  | { k: 'break'; line: number }
  | { k: 'continue'; line: number }
  | { k: 'try'; line: number; body: Block; catches: CatchClause[]; fin: Block | null }
  | {
      k: 'dml';
      line: number;
      op: 'insert' | 'update' | 'upsert' | 'delete' | 'undelete';
      target: Expr;
      extField: string | null;
      userMode: boolean;
    }
  | { k: 'switch'; line: number; expr: Expr; whens: WhenClause[] }
  | { k: 'runAs'; line: number; args: Expr[]; body: Block }
  | { k: 'localClass'; line: number }
  | { k: 'unsupported'; line: number; what: string; file: string };

// ----------------------------------------------------------------------------- declarations

export interface Param {
  name: string;
  type: TypeRef;
}

export interface MethodDecl {
  name: string;
  mods: Modifiers;
  returnType: TypeRef | null; // null = void
  params: Param[];
  body: Block | null; // null = abstract / interface
  line: number;
  isCtor: boolean;
}

export interface FieldDecl {
  name: string;
  mods: Modifiers;
  type: TypeRef;
  init: Expr | null;
  line: number;
}

export interface PropertyDecl {
  name: string;
  mods: Modifiers;
  type: TypeRef;
  getter: { body: Block | null; access?: string } | null;
  setter: { body: Block | null; access?: string } | null;
  line: number;
}

export interface InitBlock {
  isStatic: boolean;
  body: Block;
  line: number;
}

/** A member in declaration order (initialisers run in this order). */
export type Member =
  { k: 'field'; decl: FieldDecl } | { k: 'prop'; decl: PropertyDecl } | { k: 'init'; decl: InitBlock };

export interface TypeDecl {
  kind: 'class' | 'interface' | 'enum';
  name: string;
  mods: Modifiers;
  superType: TypeRef | null;
  interfaces: TypeRef[];
  members: Member[];
  methods: MethodDecl[];
  ctors: MethodDecl[];
  inner: TypeDecl[];
  enumValues: string[];
  line: number;
  endLine: number;
}

export interface TriggerDecl {
  name: string;
  sobject: string;
  events: string[]; // 'before insert', ...
  body: Block;
  /** Methods, inner classes and fields declared at the trigger's top level are not supported. */
  line: number;
}

export interface AnonymousUnit {
  body: Block;
  /** Methods and classes declared in the block. */
  methods: MethodDecl[];
  types: TypeDecl[];
}

/** Executable lines of a source file (for coverage). */
export type LineSet = Set<number>;
