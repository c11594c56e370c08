/**
 * GET /services/data/vNN.0/query?q=SOQL&columns=true: the query's column metadata, which `sf data query` asks for to
 * lay out its table (plugin-data retrieveColumns: columnMetadata[].columnName, joinColumns, aggregate). One column per
 * selected item, canonical API names from the schema; a relationship path nests its fields in joinColumns, a child
 * subquery is an aggregate column holding its own columns, an aggregate function is `expr0`, `expr1`... unless aliased.
 * The query is parsed by the local org's SOQL parser; the names are resolved against the org's schema.
 */
import { parseSoql } from '../../localorg/database/soql/parser.js';
import { fieldsInGroup } from '../../localorg/database/soql/resolve.js';
import type { Query } from '../../localorg/database/soql/ast.js';
import type { ObjectDef, SchemaApi } from '../../localorg/core/runtime.js';

interface Column {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: Column[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

const APEX_TYPES: Record<string, string> = {
  id: 'Id',
  reference: 'Id',
  boolean: 'Boolean',
  int: 'Integer',
  double: 'Double',
  currency: 'Double',
  percent: 'Double',
  date: 'Date',
  datetime: 'Datetime',
  time: 'Time',
  base64: 'Blob',
};

function column(name: string, opts: Partial<Column> = {}): Column {
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: name.endsWith('__c') || name.endsWith('__r'),
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
    ...opts,
  };
}

function fieldColumn(obj: ObjectDef | undefined, name: string): Column {
  const f = obj?.fields.get(name.toLowerCase());
  const type = f ? (APEX_TYPES[f.type] ?? 'String') : null;
  return column(f?.name ?? name, {
    apexType: type,
    booleanType: type === 'Boolean',
    numberType: type === 'Integer' || type === 'Double',
    textType: type === 'String',
  });
}

function pathColumn(schema: SchemaApi, obj: ObjectDef | undefined, path: string[], display: string): Column {
  if (path.length === 1) return { ...fieldColumn(obj, path[0]), displayName: display };
  const rel = obj
    ? [...obj.fields.values()].find((f) => f.relationshipName?.toLowerCase() === path[0].toLowerCase())
    : undefined;
  const target = rel?.referenceTo?.[0] ? schema.getObject(rel.referenceTo[0]) : undefined;
  return column(rel?.relationshipName ?? path[0], {
    displayName: display,
    foreignKeyName: rel?.name ?? null,
    joinColumns: [pathColumn(schema, target, path.slice(1), display)],
  });
}

function columns(schema: SchemaApi, q: Query): Column[] {
  const obj = schema.getObject(q.from);
  const out: Column[] = [];
  let expr = 0;
  for (const item of q.select) {
    if (item.kind === 'field') {
      let path = item.path;
      if (
        path.length > 1 &&
        (path[0].toLowerCase() === q.alias?.toLowerCase() || path[0].toLowerCase() === obj?.name.toLowerCase())
      )
        path = path.slice(1);
      out.push(pathColumn(schema, obj, path, item.path.join('.')));
    } else if (item.kind === 'agg') {
      const display = `${item.fn}(${item.path ? item.path.join('.') : ''})`;
      out.push(
        column(item.alias ?? `expr${expr++}`, {
          aggregate: true,
          displayName: display,
          apexType: item.fn === 'COUNT' || item.fn === 'COUNT_DISTINCT' ? 'Integer' : null,
        }),
      );
    } else if (item.kind === 'fields') {
      for (const f of obj ? fieldsInGroup(obj.fields.values(), item.group) : [])
        out.push(pathColumn(schema, obj, [f.name], f.name));
    } else {
      const child = obj?.childRelationships.find(
        (c) => c.relationshipName.toLowerCase() === item.query.from.toLowerCase(),
      );
      const childQuery = child ? { ...item.query, from: child.childObject } : item.query;
      out.push(
        column(child?.relationshipName ?? item.query.from, {
          aggregate: true,
          displayName: child?.relationshipName ?? item.query.from,
          joinColumns: columns(schema, childQuery),
        }),
      );
    }
  }
  return out;
}

/** The column metadata of a query (throws the parser's error for malformed SOQL). */
export function queryColumns(schema: SchemaApi, soql: string): Record<string, unknown> {
  const q = parseSoql(soql);
  const obj = schema.getObject(q.from);
  return {
    columnMetadata: q.countOnly ? [] : columns(schema, q),
    entityName: obj?.name ?? q.from,
    groupBy: !!q.groupBy,
    idSelected: q.select.some((s) => s.kind === 'field' && s.path.length === 1 && s.path[0].toLowerCase() === 'id'),
    keyPrefix: obj?.keyPrefix ?? null,
  };
}
