/** The `Trigger` context variables while a trigger body runs (Trigger.new, Trigger.oldMap, Trigger.isBefore, ...). */
import { ApexList, ApexMap, NativeInstance, T, type ApexValue } from '../../core/values.js';
import { UnsupportedFeature } from '../../core/errors.js';
import type { TriggerContext } from '../../core/runtime.js';
import { findNativeClass } from '../../stdlib/registry.js';
import { keyOf } from '../../core/ops.js';
import type { Interpreter } from './interpreter.js';

export interface TriggerState {
  ctx: TriggerContext;
  newList: ApexList | null;
  oldList: ApexList | null;
  newMap: ApexMap | null;
  oldMap: ApexMap | null;
}

const OPS = [
  'BEFORE_INSERT',
  'BEFORE_UPDATE',
  'BEFORE_DELETE',
  'AFTER_INSERT',
  'AFTER_UPDATE',
  'AFTER_DELETE',
  'AFTER_UNDELETE',
];

export function makeTriggerState(ip: Interpreter, ctx: TriggerContext): TriggerState {
  const type = { name: ctx.sobjectType };
  const list = (recs: typeof ctx.newList) => (recs ? new ApexList(type, recs) : null);
  const map = (recs: typeof ctx.newList) => {
    if (!recs) return null;
    const m = new ApexMap(T.Id, type);
    for (const r of recs) if (r.id) m.entries.set(keyOf(ip.rt, r.id), [r.id, r]);
    return m;
  };
  // Trigger.newMap exists in before update, after insert, after update, after undelete (not before insert).
  const hasNewMap = ctx.event !== 'before insert';
  return {
    ctx,
    newList: list(ctx.newList),
    oldList: list(ctx.oldList),
    newMap: hasNewMap ? map(ctx.newList) : null,
    oldMap: map(ctx.oldList),
  };
}

function operationType(event: string): ApexValue {
  const name = event.toUpperCase().replace(' ', '_');
  return new NativeInstance('System.TriggerOperation', {
    valueKey: name,
    display: name,
    enumValue: name,
    ordinal: OPS.indexOf(name),
  });
}

export function triggerProp(ip: Interpreter, l: string, line: number): ApexValue {
  const t = ip.trigger;
  if (l === 'isexecuting') return t !== null;
  if (!t) {
    if (['new', 'old', 'newmap', 'oldmap', 'operationtype', 'size'].includes(l)) return null;
    if (l.startsWith('is')) return false;
    throw new UnsupportedFeature(`Trigger.${l}`, ip.file(), line);
  }
  const ev = t.ctx.event;
  switch (l) {
    case 'new':
      return t.newList;
    case 'old':
      return t.oldList;
    case 'newmap':
      return t.newMap;
    case 'oldmap':
      return t.oldMap;
    case 'isbefore':
      return ev.startsWith('before');
    case 'isafter':
      return ev.startsWith('after');
    case 'isinsert':
      return ev.endsWith('insert');
    case 'isupdate':
      return ev.endsWith('update');
    case 'isdelete':
      return ev.endsWith(' delete');
    case 'isundelete':
      return ev.endsWith('undelete');
    case 'size':
      return (t.ctx.newList ?? t.ctx.oldList ?? []).length;
    case 'operationtype': {
      const nc = findNativeClass('System.TriggerOperation');
      const g = nc?.staticProps?.[ev.replace(' ', '_')];
      return g ? g(ip.rt) : operationType(ev);
    }
  }
  throw new UnsupportedFeature(`Trigger.${l}`, ip.file(), line);
}
