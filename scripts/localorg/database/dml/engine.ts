/**
 * DML in platform order (Apex Developer Guide, "Triggers and Order of Execution"): for records from Apex the
 * foreign keys are validated first, then before triggers run, then system validation (required fields, field
 * formats and lengths, unique values), then the record is saved, then after triggers run.
 * allOrNone=true: the first failing row rolls the whole statement back (including what triggers did) and throws
 * System.DmlException. allOrNone=false ("Bulk DML Exception Handling"): failed rows are set aside, everything is
 * rolled back and the rest retried, up to three attempts, triggers running again each time; limits are reset to the
 * state before the first attempt; if the third attempt still has failures the remaining rows fail with
 * "Too many batch retries in the presence of Apex triggers and partial failures".
 * Changes made by before triggers are saved; the caller's records get only the new Id (insert), not trigger changes.
 */
import {
  ApexThrow,
  AssertError,
  exceptionState,
  LimitError,
  PlatformError,
  platformError,
  UnsupportedFeature,
} from '../../core/errors.js';
import type { DmlError, DmlOp, DmlRowResult, RunningUser, TriggerContext } from '../../core/runtime.js';
import { ApexDate, ApexDatetime, ApexId, ApexList, SObjectValue, type ApexValue } from '../../core/values.js';
import type { LocalFieldDef, LocalObjectDef } from '../../metadata/types.js';
import type { Row, Table } from '../store.js';
import { indexKey } from '../value-utils.js';
import { todayIn } from '../soql/date-literals.js';
import { checkFormat, coerceField, isBlank } from './coerce.js';
import { dmlError, dmlException, type FailedRow } from './dml-errors.js';
import { contentInsert, hasContentEffects } from './content.js';
import { fillGroupPermissionSet } from '../permission-rows.js';
import type { LocalDatabase } from '../database.js';

interface Work {
  index: number; // position in the caller's list
  input: SObjectValue;
  id: string | null;
  old: Row | undefined;
  values: Map<string, ApexValue>;
  errors: DmlError[];
  created?: boolean;
}

/** Consecutive records of one object in the caller's list, saved together. */
interface Chunk {
  def: LocalObjectDef;
  start: number; // position of the first record in the caller's list
  recs: SObjectValue[];
}

const TRIGGER_DEPTH_MAX = 16;

/** A field the record may not set: read-only for every user, or not editable for the running one (user mode). */
function notWritable(field: string): DmlError {
  return dmlError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    [field],
  );
}
/** Records handed to triggers as Trigger.new / Trigger.old. */
const TRIGGER_RECORDS = new WeakSet<SObjectValue>();

export class DmlEngine {
  depth = 0;
  constructor(private readonly db: LocalDatabase) {}

  run(
    op: DmlOp,
    records: SObjectValue[],
    opts: { allOrNone: boolean; userMode: boolean; externalIdField?: string; api?: boolean },
  ): DmlRowResult[] {
    const limits = this.db.currentLimits();
    if (!this.countStatement(op, records)) return [];
    const chunks = this.chunksOf(op, records);
    if (opts.userMode && !opts.api) for (const ch of chunks) this.checkObjectAccess(op, ch.def);
    const results: DmlRowResult[] = new Array(records.length);
    const statement = { mark: this.db.store.mark(), limitState: limits.save ? limits.save() : undefined };
    for (const ch of chunks) {
      this.checkAllowed(op, ch.def);
      const mixed = this.db.mixedDmlError(ch.def, op, ch.recs);
      if (mixed)
        this.failChunk(op, ch, () => dmlError('MIXED_DML_OPERATION', mixed), opts.allOrNone, statement.mark, results);
      else this.saveChunk(op, ch, opts, statement, results);
    }
    if (results.some((r) => r.success)) this.db.markUncommitted();
    return results;
  }

  /**
   * User mode (`insert as user`, Database.insert(rows, AccessLevel.USER_MODE)): without the object permission the
   * operation needs, the statement throws System.SecurityException "Access to entity 'Account' denied" before any row
   * is saved (trailheadapps/apex-recipes AccountServiceLayer_Tests asserts this message on the platform; Apex Developer
   * Guide, "Set an Access Mode for Database Operations": user mode enforces the running user's object permissions).
   * Field-level errors stay per-row DmlExceptions (getDmlFieldNames). API calls (opts.api) keep per-row
   * INSUFFICIENT_ACCESS_OR_READONLY results, as the REST API answers them.
   */
  private checkObjectAccess(op: DmlOp, def: LocalObjectDef): void {
    if (op !== 'insert' && op !== 'update' && op !== 'delete') return;
    const access = this.db.accessFor(this.db.currentUser().id.value);
    const ok =
      op === 'insert'
        ? access.canCreate(def.name)
        : op === 'update'
          ? access.canEdit(def.name)
          : access.canDelete(def.name);
    if (!ok) throw platformError('System.SecurityException', `Access to entity '${def.name}' denied`);
  }

  /**
   * Counts the statement against the governor limits and checks the list: no null element, none of the running
   * trigger's own records, no Id twice (update, delete, undelete). False for an empty list, which still counts as a
   * statement (Limits.getDmlStatements increases) but does nothing.
   */
  private countStatement(op: DmlOp, records: SObjectValue[]): boolean {
    const limits = this.db.currentLimits();
    limits.consume('dmlStatements');
    if (!records.length) return false;
    limits.consume('dmlRows', records.length);
    this.db.stats.dmlStatements++;
    this.db.stats.dmlRows += records.length;
    for (const r of records)
      if (r === null || r === undefined)
        throw platformError('System.NullPointerException', 'Attempt to de-reference a null object');
    // "DML statement cannot operate on trigger.new or trigger.old" (SObjectException): the trigger's own records.
    for (const r of records) {
      if (TRIGGER_RECORDS.has(r))
        throw platformError('System.SObjectException', 'DML statement cannot operate on trigger.new or trigger.old');
    }
    if (op === 'update' || op === 'delete' || op === 'undelete') this.checkDuplicateIds(records);
    return true;
  }

  /** Chunks of consecutive records of the same type (a List<SObject> may mix types; at most 10 chunks). */
  private chunksOf(op: DmlOp, records: SObjectValue[]): Chunk[] {
    const chunks: Chunk[] = [];
    records.forEach((r, i) => {
      const def = this.objectOf(r, op);
      const last = chunks[chunks.length - 1];
      if (last && last.def === def) last.recs.push(r);
      else chunks.push({ def, start: i, recs: [r] });
    });
    if (chunks.length > 10)
      throw platformError(
        'System.TypeException',
        'Cannot have more than 10 chunks in a single operation. Please rearrange the data to reduce chunking.',
      );
    return chunks;
  }

  /** Every row of a chunk fails with the same error: the statement throws (allOrNone) or each row reports it. */
  private failChunk(
    op: DmlOp,
    ch: Chunk,
    error: () => DmlError,
    allOrNone: boolean,
    statementMark: ReturnType<LocalDatabase['store']['mark']>,
    results: DmlRowResult[],
  ): void {
    const failedRows: FailedRow[] = ch.recs.map((r, k) => ({
      index: ch.start + k,
      id: r.id?.value ?? null,
      error: error(),
      errors: [error()],
    }));
    if (allOrNone) {
      this.db.store.undoTo(statementMark);
      throw dmlException(op, failedRows);
    }
    for (const f of failedRows)
      results[f.index] = {
        id: null,
        success: false,
        errors: f.errors,
        ...(op === 'upsert' ? { created: false } : {}),
      };
  }

  /**
   * Saves a chunk. allOrNone: the first failing row undoes the whole statement and throws. Otherwise the failed rows
   * are set aside and the rest is saved again from scratch (triggers run again, limits as before the first
   * attempt), at most three attempts ("Bulk DML Exception Handling").
   */
  private saveChunk(
    op: DmlOp,
    ch: Chunk,
    opts: { allOrNone: boolean; userMode: boolean; externalIdField?: string },
    statement: { mark: ReturnType<LocalDatabase['store']['mark']>; limitState: Record<string, number> | undefined },
    results: DmlRowResult[],
  ): void {
    const limits = this.db.currentLimits();
    let remaining: Work[] = ch.recs.map((input, k) =>
      this.newWork(ch.start + k, input, op, ch.def, opts.externalIdField),
    );
    const failed = new Map<number, DmlError[]>();
    let attempt = 0;
    for (;;) {
      attempt++;
      const attemptMark = this.db.store.mark();
      remaining.forEach((w) => (w.errors = []));
      this.process(op, ch.def, remaining, opts);
      const bad = remaining.filter((w) => w.errors.length);
      if (!bad.length) break;
      if (opts.allOrNone) {
        this.db.store.undoTo(statement.mark);
        // Rows being inserted carry no Id in the error ("First exception on row 0; ..."): the insert rolled back.
        const rows: FailedRow[] = bad.map((w) => ({
          index: w.index,
          id: op === 'insert' || w.created ? null : w.id,
          error: w.errors[0],
          errors: w.errors,
        }));
        throw dmlException(op, rows);
      }
      this.db.store.undoTo(attemptMark);
      if (statement.limitState && limits.load) limits.load(statement.limitState);
      for (const w of bad) failed.set(w.index, w.errors);
      remaining = remaining.filter((w) => !w.errors.length);
      if (attempt >= 3) {
        for (const w of remaining)
          failed.set(w.index, [
            dmlError(
              'UNKNOWN_EXCEPTION',
              'Too many batch retries in the presence of Apex triggers and partial failures',
            ),
          ]);
        remaining = [];
        break;
      }
      if (!remaining.length) break;
    }
    this.reportChunk(op, ch, remaining, failed, results);
  }

  /** The results of a saved chunk; inserted records get their new Id (nothing else a trigger changed). */
  private reportChunk(
    op: DmlOp,
    ch: Chunk,
    saved: Work[],
    failed: Map<number, DmlError[]>,
    results: DmlRowResult[],
  ): void {
    for (const w of saved) {
      results[w.index] = {
        id: w.id ? new ApexId(w.id) : null,
        success: true,
        errors: [],
        ...(op === 'upsert' ? { created: !!w.created } : {}),
      };
      if ((op === 'insert' || (op === 'upsert' && w.created)) && w.id) w.input.setRaw('Id', new ApexId(w.id));
    }
    for (const [index, errs] of failed) {
      const w = ch.recs[index - ch.start];
      results[index] = {
        id: op === 'insert' ? null : (w.id ?? null),
        success: false,
        errors: errs,
        ...(op === 'upsert' ? { created: false } : {}),
      };
    }
  }

  private checkDuplicateIds(records: SObjectValue[]): void {
    const seen = new Set<string>();
    for (const r of records) {
      const id = r.id?.value;
      if (!id) continue;
      if (seen.has(id)) throw platformError('System.ListException', `Duplicate id in list: ${id}`);
      seen.add(id);
    }
  }

  private objectOf(r: SObjectValue, op: DmlOp): LocalObjectDef {
    let def = this.db.schema.getObject(r.sobjectType);
    if ((!def || r.sobjectType.toLowerCase() === 'sobject') && r.id)
      def = this.db.schema.objectForKeyPrefix(r.id.keyPrefix);
    if (!def)
      throw platformError('System.TypeException', `DML operation ${op.toUpperCase()} not allowed on ${r.sobjectType}`);
    return def;
  }

  private checkAllowed(op: DmlOp, def: LocalObjectDef): void {
    // Source: "System.TypeException: DML operation INSERT not allowed on X__mdt" (custom metadata), and the same shape for
    // setup objects the platform does not let Apex change (Organization, Profile, AsyncApexJob, ApexClass, ...).
    if (def.kind === 'platformEvent')
      throw new UnsupportedFeature(`DML on platform event ${def.name} (use EventBus.publish)`);
    const allowed = op === 'upsert' ? def.dmlAllowed.insert && def.dmlAllowed.update : def.dmlAllowed[op];
    if (!allowed)
      throw platformError('System.TypeException', `DML operation ${op.toUpperCase()} not allowed on ${def.name}`);
  }

  private newWork(index: number, input: SObjectValue, op: DmlOp, def: LocalObjectDef, extField?: string): Work {
    const w: Work = { index, input, id: input.id?.value ?? null, old: undefined, values: new Map(), errors: [] };
    void op;
    void def;
    void extField;
    return w;
  }

  // -------------------------------------------------------------------------------------------
  // One attempt
  // -------------------------------------------------------------------------------------------

  private process(
    op: DmlOp,
    def: LocalObjectDef,
    rows: Work[],
    opts: { allOrNone: boolean; userMode: boolean; externalIdField?: string },
  ): void {
    if (op === 'upsert') return this.upsert(def, rows, opts);
    if (op === 'insert') return this.saveRows(def, rows, 'insert', opts);
    if (op === 'update') return this.saveRows(def, rows, 'update', opts);
    if (op === 'delete') return this.deleteRows(def, rows, opts);
    return this.undeleteRows(def, rows, opts);
  }

  private upsert(
    def: LocalObjectDef,
    rows: Work[],
    opts: { allOrNone: boolean; userMode: boolean; externalIdField?: string },
  ): void {
    const table = this.db.store.table(def);
    let ext: LocalFieldDef | undefined;
    if (opts.externalIdField && opts.externalIdField.toLowerCase() !== 'id') {
      ext = def.fields.get(opts.externalIdField.toLowerCase());
      if (!ext || !(ext.externalId || ext.unique || ext.name === 'Id')) {
        throw platformError(
          'System.SObjectException',
          `Invalid field for upsert, must be an External Id custom or standard indexed field: ${opts.externalIdField}`,
        );
      }
    }
    const inserts: Work[] = [];
    const updates: Work[] = [];
    const seenKeys = new Map<string, number>();
    for (const w of rows) {
      if (!ext) {
        if (w.input.id) {
          w.id = w.input.id.value;
          updates.push(w);
        } else {
          w.id = null;
          inserts.push(w);
        }
        continue;
      }
      const v = w.input.getRaw(ext.name);
      if (isBlank(v ?? null)) {
        if (w.input.id) {
          w.id = w.input.id.value;
          updates.push(w);
          continue;
        }
        w.errors.push(dmlError('MISSING_ARGUMENT', `${ext.name} not specified`, []));
        continue;
      }
      const key = indexKey(v ?? null, !!ext.caseSensitive);
      if (seenKeys.has(key)) {
        w.errors.push(dmlError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(v)}`, [ext.name]));
        continue;
      }
      seenKeys.set(key, w.index);
      const matches = [...(table.index(ext.name).get(indexKey(v ?? null)) ?? [])]
        .map((id) => table.rows.get(id)!)
        .filter((r) => !r.deleted && (!ext!.caseSensitive || r.values.get(ext!.name.toLowerCase()) === v));
      if (matches.length > 1) {
        w.errors.push(
          dmlError(
            'DUPLICATE_EXTERNAL_ID',
            `${ext.label}: more than one record found for external id field: ${matches.map((m) => m.id).join(', ')}`,
            [ext.name],
          ),
        );
        continue;
      }
      if (matches.length === 1) {
        w.id = matches[0].id;
        updates.push(w);
      } else {
        w.id = null;
        inserts.push(w);
      }
    }
    if (inserts.length) {
      this.saveRows(def, inserts, 'insert', opts);
      for (const w of inserts) w.created = true;
    }
    if (updates.length) this.saveRows(def, updates, 'update', opts);
  }

  /** Insert or update of rows of one object. */
  private saveRows(
    def: LocalObjectDef,
    all: Work[],
    mode: 'insert' | 'update',
    opts: { allOrNone: boolean; userMode: boolean },
  ): void {
    const db = this.db;
    const user = db.currentUser();
    const access = opts.userMode || db.sharingEnforced() ? db.accessFor(user.id.value) : null;
    const table = db.store.table(def);
    const now = db.now();
    const rows = all.filter((w) => !w.errors.length);

    // 0. User mode: object permission first (CRUD), then field-level security while merging.
    if (opts.userMode && access && !(mode === 'insert' ? access.canCreate(def.name) : access.canEdit(def.name))) {
      for (const w of rows)
        w.errors.push(
          dmlError('INSUFFICIENT_ACCESS_OR_READONLY', `insufficient access rights on entity: ${def.name}`, []),
        );
      return;
    }
    // 1. Load, merge and coerce.
    for (const w of rows) {
      if (mode === 'insert') {
        if (w.input.id && w.created === undefined) {
          w.errors.push(dmlError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']));
          continue;
        }
        w.id = null;
        w.values = new Map();
      } else {
        if (!w.id) {
          w.errors.push(dmlError('MISSING_ARGUMENT', 'Id not specified in an update call', []));
          continue;
        }
        const old = table.rows.get(w.id);
        if (!old || w.id.slice(0, 3) !== def.keyPrefix) {
          w.errors.push(dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []));
          continue;
        }
        if (old.deleted) {
          w.errors.push(dmlError('ENTITY_IS_DELETED', 'entity is deleted', []));
          continue;
        }
        w.old = old;
        w.values = new Map(old.values);
        if (access && !this.canEditRecord(def, old, user, access, opts.userMode)) {
          w.errors.push(dmlError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []));
          continue;
        }
      }
      this.mergeInput(def, w, mode, opts.userMode ? access : null);
    }
    if (mode === 'insert') for (const w of rows) if (!w.errors.length) this.applyDefaults(def, w, user, now);
    // 2. Foreign keys (before triggers, for records from Apex).
    for (const w of rows) if (!w.errors.length) this.checkReferences(def, w);
    if (this.stop(all, opts)) return;

    // 3. Before triggers.
    let live = rows.filter((w) => !w.errors.length);
    this.fireSaveTriggers(def, live, mode, 'before', (w, rec) => {
      if (!w.errors.length) this.readBack(def, w, rec);
    });
    if (this.stop(all, opts)) return;

    // 4. System validation.
    live = rows.filter((w) => !w.errors.length);
    for (const w of live) this.checkReferences(def, w);
    for (const w of live) if (!w.errors.length) this.validate(def, w);
    this.checkUnique(
      def,
      table,
      live.filter((w) => !w.errors.length),
    );
    if (this.stop(all, opts)) return;

    // 5. Save (with what the platform creates itself for Files records: content.ts).
    live = rows.filter((w) => !w.errors.length);
    const content = mode === 'insert' && hasContentEffects(def);
    for (const w of live) {
      if (mode === 'insert') {
        w.id = db.newId(def.keyPrefix).value;
        w.values.set('id', new ApexId(w.id));
        if (content) contentInsert(db, def, w.id, w.values);
        this.applyAutoNumbers(def, w, now);
      }
      this.applyAudit(def, w, mode, user, now);
      this.applyComputed(def, w);
      db.store.put(table, { id: w.id!, values: w.values, deleted: false, seq: w.old?.seq ?? ++db.store.seq });
    }

    // 6. After triggers.
    this.fireSaveTriggers(def, live, mode, 'after');
  }

  /**
   * The before or after insert/update triggers of the rows being saved: each row gets the trigger's failure (if
   * one escaped) and the errors added to its record; `each` then sees the row and its trigger record.
   */
  private fireSaveTriggers(
    def: LocalObjectDef,
    live: Work[],
    mode: 'insert' | 'update',
    timing: 'before' | 'after',
    each?: (w: Work, rec: SObjectValue) => void,
  ): void {
    if (!live.length) return;
    const newList = live.map((w) => this.triggerRecord(def, w.id, w.values));
    const oldList = mode === 'update' ? live.map((w) => this.triggerRecord(def, w.id, w.old!.values)) : null;
    const failure = this.fire({ sobjectType: def.name, event: `${timing} ${mode}`, newList, oldList });
    live.forEach((w, i) => {
      const rec = newList[i];
      if (failure) w.errors.push(failure);
      this.collectErrors(w, rec);
      each?.(w, rec);
    });
  }

  /** allOrNone: stop processing at the first phase with an error (the caller rolls back and throws). */
  private stop(all: Work[], opts: { allOrNone: boolean }): boolean {
    return opts.allOrNone && all.some((w) => w.errors.length);
  }

  private mergeInput(
    def: LocalObjectDef,
    w: Work,
    mode: 'insert' | 'update',
    access: import('../access.js').UserAccess | null,
  ): void {
    for (const { name, value } of w.input.fields.values()) {
      const key = name.toLowerCase();
      if (key === 'id') continue;
      const f = def.fields.get(key);
      if (!f) {
        // Relationship values (User__r = someUser) and child lists ride along on queried records: ignored,
        // except a parent reference without an Id: a foreign key by external Id (foreignKeyByExternalId).
        if (value instanceof SObjectValue) {
          const rel = [...def.fields.values()].find((x) => x.relationshipName?.toLowerCase() === key);
          if (rel && !value.id) {
            const r = this.foreignKeyByExternalId(def, rel, w, value);
            if ('error' in r) w.errors.push(r.error);
            else w.values.set(rel.name.toLowerCase(), r.id);
          }
          continue;
        }
        if (value instanceof ApexList || value === null) continue;
        throw platformError('System.SObjectException', `Invalid field ${name} for ${def.name}`);
      }
      if (f.systemManaged || f.calculated || f.type === 'autonumber' || f.computed) continue; // read-only fields from queries are ignored
      const c = coerceField(f, value);
      if (!c.ok) {
        w.errors.push(c.error);
        continue;
      }
      const before = w.values.get(key) ?? null;
      const changed = indexKey(before, true) !== indexKey(c.value, true);
      const readOnly =
        (mode === 'insert' && f.createable === false) || (mode === 'update' && f.updateable === false && changed);
      if (readOnly && mode === 'insert' && c.value === null) continue;
      if (readOnly || (access && (mode === 'insert' || changed) && !access.fieldEditable(def.name, f.name))) {
        w.errors.push(notWritable(f.name));
        continue;
      }
      w.values.set(key, c.value);
    }
  }

  /**
   * A lookup set through a parent reference that has only an external Id field (`contact.Account = new
   * Account(Ext__c = 'x')`): the parent with that value, which may have been inserted earlier in the same statement.
   * Apex Developer Guide, "Relating Records by Using an External ID" and "Creating Parent and Child Records in a Single
   * Statement Using Foreign Keys" (the reference "has only the external ID field defined and no other fields set"; the
   * parent must precede the child in the list). Errors as the platform words them: INVALID_FIELD "Foreign key
   * external ID: v not found for field F in entity O", "More than 1 field provided in an external foreign key
   * reference in entity: O", "Cannot specify both an external ID reference R and a salesforce id, F".
   */
  private foreignKeyByExternalId(
    def: LocalObjectDef,
    rel: LocalFieldDef,
    w: Work,
    ref: SObjectValue,
  ): { id: ApexId } | { error: DmlError } {
    const pdef = this.db.schema.getObject(ref.sobjectType);
    if (!pdef || !(rel.referenceTo ?? []).some((t) => t.toLowerCase() === pdef.name.toLowerCase()))
      throw new UnsupportedFeature(`DML foreign key ${def.name}.${rel.relationshipName} set to a ${ref.sobjectType}`);
    if (w.input.has(rel.name))
      return {
        error: dmlError(
          'INVALID_FIELD',
          `Cannot specify both an external ID reference ${rel.relationshipName} and a salesforce id, ${rel.name}`,
          [],
        ),
      };
    const set = [...ref.fields.values()];
    if (set.length > 1)
      return {
        error: dmlError(
          'INVALID_FIELD',
          `More than 1 field provided in an external foreign key reference in entity: ${pdef.name}`,
          [],
        ),
      };
    const f = set.length ? pdef.fields.get(set[0].name.toLowerCase()) : undefined;
    if (!f || !f.externalId)
      throw new UnsupportedFeature(
        `DML foreign key ${def.name}.${rel.relationshipName} by ${set[0]?.name ?? 'no field'} (not an External Id field)`,
      );
    const v = set[0].value;
    const table = this.db.store.table(pdef);
    const matches = [...(table.index(f.name).get(indexKey(v)) ?? [])]
      .map((id) => table.rows.get(id)!)
      .filter((r) => !r.deleted && (!f.caseSensitive || r.values.get(f.name.toLowerCase()) === v));
    if (matches.length > 1)
      throw new UnsupportedFeature(`DML foreign key by external Id matching ${matches.length} ${pdef.name} records`);
    if (!matches.length)
      return {
        error: dmlError(
          'INVALID_FIELD',
          `Foreign key external ID: ${String(v)} not found for field ${f.name} in entity ${pdef.name}`,
          [],
        ),
      };
    return { id: new ApexId(matches[0].id) };
  }

  private applyDefaults(def: LocalObjectDef, w: Work, user: RunningUser, now: number): void {
    for (const f of def.fields.values()) {
      const key = f.name.toLowerCase();
      if (w.input.has(f.name) && !(f.type === 'boolean' && w.values.get(key) === undefined)) continue;
      if (f.defaultFormula) {
        if (f.defaultFormula === 'TODAY()') w.values.set(key, todayIn(now, user.timeZoneSidKey));
        else if (f.defaultFormula === 'NOW()') w.values.set(key, new ApexDatetime(now));
        else throw new UnsupportedFeature(`default value formula '${f.defaultFormula}' on ${def.name}.${f.name}`);
      } else if (f.defaultValue !== undefined && !w.values.has(key)) {
        const c = coerceField(f, f.defaultValue);
        if (c.ok) w.values.set(key, c.value);
      }
    }
    if (def.hasOwner && isBlank(w.values.get('ownerid'))) w.values.set('ownerid', user.id);
    if (
      def.kind === 'customSetting' &&
      def.customSettingType === 'Hierarchy' &&
      isBlank(w.values.get('setupownerid'))
    ) {
      w.values.set('setupownerid', new ApexId(this.db.orgId()));
    }
    if (def.name === 'PermissionSetAssignment') fillGroupPermissionSet(this.db, w.values);
    if (def.name === 'User' && isBlank(w.values.get('communitynickname'))) {
      const base = String(w.values.get('alias') ?? w.values.get('lastname') ?? 'user');
      w.values.set('communitynickname', `${base}${this.db.nextNickname()}`.slice(0, 40));
    }
  }

  private checkReferences(def: LocalObjectDef, w: Work): void {
    for (const f of def.fields.values()) {
      if (f.type !== 'reference' || f.systemManaged) continue;
      const v = w.values.get(f.name.toLowerCase());
      if (!(v instanceof ApexId)) continue;
      const targets = (f.referenceTo ?? [])
        .map((n) => this.db.schema.getObject(n))
        .filter((x): x is LocalObjectDef => !!x);
      const target =
        targets.find((t) => t.keyPrefix === v.keyPrefix) ??
        (f.anyRecord ? this.db.schema.objectForKeyPrefix(v.keyPrefix) : undefined);
      if (!target) {
        w.errors.push(
          dmlError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${v.value}`, [f.name]),
        );
        continue;
      }
      const row = this.db.store.get(target, v.value);
      if (!row) w.errors.push(dmlError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, []));
      else if (row.deleted) w.errors.push(dmlError('ENTITY_IS_DELETED', 'entity is deleted', []));
    }
  }

  private validate(def: LocalObjectDef, w: Work): void {
    const missing: string[] = [];
    for (const f of def.fields.values()) {
      const key = f.name.toLowerCase();
      const v = w.values.get(key) ?? null;
      if (f.required && f.type !== 'boolean' && !f.systemManaged && f.type !== 'autonumber' && isBlank(v))
        missing.push(f.name);
      const e = checkFormat(f, v);
      if (e) {
        w.errors.push(e);
        return;
      }
    }
    // "Required fields are missing: [LastName]" with the fields listed.
    if (missing.length)
      w.errors.push(
        dmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing),
      );
  }

  private checkUnique(def: LocalObjectDef, table: Table, rows: Work[]): void {
    for (const f of def.fields.values()) {
      if (!f.unique && !f.externalId) continue;
      if (!f.unique) continue; // an External Id alone is indexed, not unique
      const key = f.name.toLowerCase();
      const idx = table.index(key);
      const inBatch = new Map<string, Work>();
      for (const w of rows) {
        if (w.errors.length) continue;
        const v = w.values.get(key) ?? null;
        if (v === null) continue;
        const k = indexKey(v, !!f.caseSensitive);
        const clash = [...(idx.get(indexKey(v)) ?? [])]
          .map((id) => table.rows.get(id)!)
          .find((r) => !r.deleted && r.id !== w.id && indexKey(r.values.get(key) ?? null, !!f.caseSensitive) === k);
        if (clash) {
          w.errors.push(this.duplicateError(def, f, clash.id));
          continue;
        }
        const other = inBatch.get(k);
        if (other) {
          w.errors.push(this.duplicateError(def, f, null));
          continue;
        }
        inBatch.set(k, w);
      }
    }
    for (const u of def.uniqueTogether ?? []) {
      const keys = new Set<string>();
      for (const r of table.rows.values())
        if (!r.deleted) keys.add(u.fields.map((f) => indexKey(r.values.get(f.toLowerCase()) ?? null)).join('|'));
      for (const w of rows) {
        if (w.errors.length) continue;
        const k = u.fields.map((f) => indexKey(w.values.get(f.toLowerCase()) ?? null)).join('|');
        if (keys.has(k)) w.errors.push(dmlError(u.statusCode, u.message, []));
        keys.add(k);
      }
    }
  }

  private duplicateError(def: LocalObjectDef, f: LocalFieldDef, id: string | null): DmlError {
    if (def.name === 'User' && f.name === 'Username') {
      return dmlError(
        'DUPLICATE_USERNAME',
        "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ",
        ['Username'],
      );
    }
    return dmlError(
      'DUPLICATE_VALUE',
      `duplicate value found: ${f.name} duplicates value on record with id: ${id ?? '<unknown>'}`,
      [],
    );
  }

  private applyAutoNumbers(def: LocalObjectDef, w: Work, now: number): void {
    for (const f of def.fields.values()) {
      if (f.type !== 'autonumber') continue;
      const n = this.db.nextAutoNumber(def.name, f.name);
      const d = new Date(now);
      const fmt = f.autoNumberFormat ?? '{0}';
      const v = fmt
        .replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'))
        .replace(/\{YYYY\}/g, String(d.getUTCFullYear()))
        .replace(/\{YY\}/g, String(d.getUTCFullYear()).slice(2))
        .replace(/\{MM\}/g, String(d.getUTCMonth() + 1).padStart(2, '0'))
        .replace(/\{DD\}/g, String(d.getUTCDate()).padStart(2, '0'));
      w.values.set(f.name.toLowerCase(), v);
    }
  }

  private applyAudit(def: LocalObjectDef, w: Work, mode: 'insert' | 'update', user: RunningUser, now: number): void {
    const ts = new ApexDatetime(now);
    const set = (k: string, v: ApexValue) => {
      if (def.fields.has(k)) w.values.set(k, v);
    };
    if (mode === 'insert') {
      set('createddate', this.db.createdDateOverride ?? ts);
      set('createdbyid', user.id);
      set('isdeleted', false);
    }
    set('lastmodifieddate', ts);
    set('lastmodifiedbyid', user.id);
    set('systemmodstamp', ts);
  }

  /** Platform-computed fields: Name of User, Contact and Lead (FirstName + ' ' + LastName); hierarchy setting Name. */
  private applyComputed(def: LocalObjectDef, w: Work): void {
    const name = def.fields.get('name');
    if (name?.computed) {
      const first = w.values.get('firstname');
      const last = w.values.get('lastname');
      w.values.set('name', [first, last].filter((x) => typeof x === 'string' && x !== '').join(' ') || null);
    }
  }

  /** A full record for Trigger.new/old: every field of the object present (null when unset). */
  private triggerRecord(def: LocalObjectDef, id: string | null, values: ReadonlyMap<string, ApexValue>): SObjectValue {
    const rec = new SObjectValue(def.name);
    for (const f of def.fields.values()) {
      const k = f.name.toLowerCase();
      rec.setRaw(f.name, k === 'id' ? (id ? new ApexId(id) : null) : (values.get(k) ?? null));
    }
    return rec;
  }

  private readBack(def: LocalObjectDef, w: Work, rec: SObjectValue): void {
    for (const { name, value } of rec.fields.values()) {
      const f = def.fields.get(name.toLowerCase());
      if (!f || f.systemManaged || f.calculated || f.type === 'autonumber' || f.computed || f.name === 'Id') continue;
      const c = coerceField(f, value);
      if (!c.ok) w.errors.push(c.error);
      else w.values.set(f.name.toLowerCase(), c.value);
    }
  }

  private collectErrors(w: Work, rec: SObjectValue): void {
    for (const e of rec.errors)
      w.errors.push(dmlError('FIELD_CUSTOM_VALIDATION_EXCEPTION', e.message, e.field ? [e.field] : []));
    rec.errors = [];
  }

  /**
   * Runs the triggers of one event. Trigger.old (always) and Trigger.new (after triggers) are read-only.
   * An exception a trigger does not catch fails every record of the invocation with CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY,
   * "<Trigger>: execution of AfterInsert\n\ncaused by: System.FinalException: Record is read-only\n\n<stack>"
   * (the platform's shape). Limit and assertion errors and unsupported features are not caught.
   * Returns that error, or null.
   */
  private fire(ctx: TriggerContext): DmlError | null {
    const hook = this.db.hooks.runTriggers;
    if (!hook) return null;
    const after = ctx.event.startsWith('after');
    for (const r of ctx.oldList ?? []) TRIGGER_RECORDS.add(r);
    for (const r of ctx.newList ?? []) TRIGGER_RECORDS.add(r);
    for (const r of ctx.oldList ?? []) r.readOnly = true;
    if (after) for (const r of ctx.newList ?? []) r.readOnly = true;
    if (this.depth >= TRIGGER_DEPTH_MAX) throw platformError('System.DmlException', `maximum trigger depth exceeded`);
    this.depth++;
    try {
      hook(ctx);
      return null;
    } catch (e) {
      if (
        e instanceof LimitError ||
        e instanceof AssertError ||
        !(e instanceof PlatformError || e instanceof ApexThrow)
      )
        throw e;
      return triggerFailure(ctx, e);
    } finally {
      this.depth--;
    }
  }

  private canEditRecord(
    def: LocalObjectDef,
    row: Row,
    user: RunningUser,
    access: import('../access.js').UserAccess,
    userMode: boolean,
  ): boolean {
    if (access.isAdmin || access.modifyAll(def.name)) return true;
    if (userMode && !access.canEdit(def.name) && !access.canDelete(def.name)) return false;
    return this.db.recordEditable(def, row, user.id.value, access);
  }

  // -------------------------------------------------------------------------------------------
  // Delete and undelete
  // -------------------------------------------------------------------------------------------

  private deleteRows(def: LocalObjectDef, all: Work[], opts: { allOrNone: boolean; userMode: boolean }): void {
    const db = this.db;
    const table = db.store.table(def);
    const user = db.currentUser();
    const access = opts.userMode || db.sharingEnforced() ? db.accessFor(user.id.value) : null;
    const rows = all.filter((w) => !w.errors.length);
    for (const w of rows) {
      if (!w.id) {
        w.errors.push(dmlError('MISSING_ARGUMENT', 'Id not specified in a delete call', []));
        continue;
      }
      const old = table.rows.get(w.id);
      if (!old) w.errors.push(dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []));
      else if (old.deleted) w.errors.push(dmlError('ENTITY_IS_DELETED', 'entity is deleted', []));
      else if (opts.userMode && access && !access.canDelete(def.name))
        w.errors.push(
          dmlError('INSUFFICIENT_ACCESS_OR_READONLY', `insufficient access rights on entity: ${def.name}`, []),
        );
      else if (access && !this.canEditRecord(def, old, user, access, opts.userMode))
        w.errors.push(dmlError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []));
      else w.old = old;
    }
    if (this.stop(all, opts)) return;
    let live = rows.filter((w) => !w.errors.length);
    if (live.length) {
      const oldList = live.map((w) => this.triggerRecord(def, w.id, w.old!.values));
      const failure = this.fire({ sobjectType: def.name, event: 'before delete', newList: null, oldList });
      live.forEach((w, i) => {
        if (failure) w.errors.push(failure);
        this.collectErrors(w, oldList[i]);
      });
    }
    if (this.stop(all, opts)) return;
    live = rows.filter((w) => !w.errors.length);
    for (const w of live) this.checkRestrict(def, w);
    if (this.stop(all, opts)) return;
    live = rows.filter((w) => !w.errors.length);
    for (const w of live) db.deleteRow(def, w.id!, null);
    if (live.length) {
      const oldList = live.map((w) => this.triggerRecord(def, w.id, w.old!.values));
      const failure = this.fire({ sobjectType: def.name, event: 'after delete', newList: null, oldList });
      live.forEach((w, i) => {
        if (failure) w.errors.push(failure);
        this.collectErrors(w, oldList[i]);
      });
    }
  }

  private checkRestrict(def: LocalObjectDef, w: Work): void {
    for (const rel of def.childRelationships) {
      // Only children that have ever held rows can restrict the delete.
      const t = this.db.store.tableIfExists(rel.childObject);
      const child = t?.def;
      const f = child?.fields.get(rel.field.toLowerCase());
      if (!t || !child || !f || f.deleteConstraint !== 'Restrict') continue;
      const ids = t.index(f.name).get(indexKey(new ApexId(w.id!)));
      const live = [...(ids ?? [])].filter((id) => !t.rows.get(id)!.deleted);
      if (live.length) {
        w.errors.push(
          dmlError(
            'DELETE_FAILED',
            `Your attempt to delete ${String(w.old!.values.get('name') ?? w.id)} could not be completed because it is associated with the following ${child.labelPlural ?? child.label}.: ${live
              .map((id) => String(t.rows.get(id)!.values.get('name') ?? id))
              .join(', ')}`,
            [],
          ),
        );
      }
    }
  }

  private undeleteRows(def: LocalObjectDef, all: Work[], opts: { allOrNone: boolean; userMode: boolean }): void {
    const db = this.db;
    const table = db.store.table(def);
    const rows = all.filter((w) => !w.errors.length);
    for (const w of rows) {
      const old = w.id ? table.rows.get(w.id) : undefined;
      if (!w.id) w.errors.push(dmlError('MISSING_ARGUMENT', 'Id not specified in an undelete call', []));
      else if (!old) w.errors.push(dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []));
      else if (!old.deleted) w.errors.push(dmlError('UNDELETE_FAILED', 'Entity is not in the recycle bin', []));
      else w.old = old;
    }
    const live = rows.filter((w) => !w.errors.length);
    this.checkUnique(
      def,
      table,
      live.map((w) => ({ ...w, values: new Map(w.old!.values) })),
    );
    if (this.stop(all, opts)) return;
    const ok = live.filter((w) => !w.errors.length);
    for (const w of ok) db.undeleteRow(def, w.id!);
    if (ok.length) {
      const newList = ok.map((w) => this.triggerRecord(def, w.id, table.rows.get(w.id!)!.values));
      const failure = this.fire({ sobjectType: def.name, event: 'after undelete', newList, oldList: null });
      ok.forEach((w, i) => {
        if (failure) w.errors.push(failure);
        this.collectErrors(w, newList[i]);
      });
    }
  }
}

export { ApexDate };

/** The DmlError of an exception a trigger did not catch. */
function triggerFailure(ctx: TriggerContext, e: PlatformError | ApexThrow): DmlError {
  let typeName: string;
  let message: string;
  let stack = '';
  if (e instanceof PlatformError) {
    typeName = e.typeName;
    message = e.message;
    stack = (e.extra?.stackTrace as string | undefined) ?? '';
  } else {
    const inst = e.exception as { cls?: { name: string } } | null;
    typeName = inst?.cls?.name ?? 'Exception';
    const st = inst && typeof inst === 'object' ? exceptionState(inst) : undefined;
    message = st?.message ?? e.message;
    stack = st?.stackTrace ?? '';
  }
  const trig = /Trigger\.(\w+)/.exec(stack)?.[1] ?? (e as { triggerName?: string }).triggerName ?? ctx.sobjectType;
  const event = ctx.event.replace(/(^|\s)(\w)/g, (_m, _s: string, c: string) => c.toUpperCase());
  const firstFrame = stack.split('\n').find((l) => l.startsWith('Trigger.')) ?? '';
  const text = `${trig}: execution of ${event}\n\ncaused by: ${typeName}: ${message}${firstFrame ? `\n\n${firstFrame}` : ''}`;
  return dmlError('CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY', text, []);
}
