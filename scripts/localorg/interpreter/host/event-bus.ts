/**
 * Platform events: EventBus.publish puts events on the bus of the transaction; delivering them runs the after insert
 * triggers of each event object and the publish callbacks' onSuccess; failing them (Test.getEventBus().fail()) runs
 * onFailure and drops them.
 *
 * Rules (Platform Events Developer Guide,
 * https://developer.salesforce.com/docs/atlas.en-us.platform_events.meta/platform_events/platform_events_test_deliver.htm
 * and platform_events_publish_callback_test.htm; Apex Reference, "EventBus Class"):
 * - publish validates each event like an insert (required fields, field formats) and returns a Database.SaveResult
 *   per event; an invalid event is not published and no trigger receives it.
 * - Events with publishBehavior PublishAfterCommit are published when the transaction commits and dropped when it
 *   rolls back; PublishImmediately events are published even when it fails.
 * - In a test, "EventBus.publish() enqueues the publish operation"; Test.stopTest() and Test.getEventBus().deliver()
 *   deliver the events (triggers run, onSuccess is called); Test.getEventBus().fail() makes them fail (onFailure is
 *   called, no trigger receives them).
 * - A subscriber trigger runs in a transaction of its own; an event delivered to it carries EventUuid, ReplayId,
 *   CreatedDate and CreatedById. The callbacks get the EventUuid of their events (getEventUuids()).
 * What the local org simplifies: a trigger's events are delivered in one batch per publish group (the platform
 * batches up to 2,000), the trigger runs as the publishing user (the platform: Automated Process), and events
 * published after a savepoint that is rolled back to are still published.
 */
import { randomUUID } from 'node:crypto';
import {
  ApexDatetime,
  ApexInstance,
  ApexList,
  NativeInstance,
  SObjectValue,
  T,
  type ApexValue,
} from '../../core/values.js';
import type { DmlError, DmlRowResult } from '../../core/runtime.js';
import type { LocalObjectDef } from '../../metadata/types.js';
import { checkFormat, isBlank } from '../../database/dml/coerce.js';
import { dmlError } from '../../database/dml/dml-errors.js';
import { cloneSObject } from '../../stdlib/index.js';
import type { TxRuntime } from './tx-runtime.js';
import type { PhaseRunner } from './async-run.js';

export interface PublishedEvent {
  event: SObjectValue;
  def: LocalObjectDef;
  callback: ApexValue;
}

let replay = 0;

function validate(def: LocalObjectDef, ev: SObjectValue): DmlError[] {
  const missing: string[] = [];
  for (const f of def.fields.values()) {
    if (f.systemManaged) continue;
    const v = ev.getRaw(f.name) ?? null;
    if (f.required && f.type !== 'boolean' && isBlank(v)) missing.push(f.name);
    const e = checkFormat(f, v);
    if (e) return [e];
  }
  return missing.length
    ? [dmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)]
    : [];
}

/** EventBus.publish: a SaveResult per event; the valid ones (copies, with EventUuid etc.) go on `rt.events`. */
export function publishEvents(rt: TxRuntime, events: SObjectValue[], callback: ApexValue): DmlRowResult[] {
  return events.map((input) => {
    const def = rt.schema.getObject(input.sobjectType) as LocalObjectDef | undefined;
    if (!def || def.kind !== 'platformEvent')
      return {
        id: null,
        success: false,
        errors: [dmlError('INVALID_TYPE', `${input.sobjectType} is not a platform event`)],
      };
    const errors = validate(def, input);
    if (errors.length) return { id: null, success: false, errors };
    const event = cloneSObject(input, false, false);
    if (isBlank(event.getRaw('EventUuid') ?? null)) event.setRaw('EventUuid', randomUUID());
    event.setRaw('ReplayId', String(++replay));
    event.setRaw('CreatedDate', new ApexDatetime(rt.now()));
    event.setRaw('CreatedById', rt.user.id);
    rt.events.push({ event, def, callback });
    return { id: rt.newId(def.keyPrefix), success: true, errors: [] };
  });
}

function uuidsOf(events: PublishedEvent[]): ApexList {
  return new ApexList(
    T.String,
    events.map((e) => e.event.getRaw('EventUuid') ?? null),
  );
}

/** The events of each publish callback, in publish order. */
function byCallback(events: PublishedEvent[]): Map<ApexInstance, PublishedEvent[]> {
  const out = new Map<ApexInstance, PublishedEvent[]>();
  for (const e of events) {
    if (!(e.callback instanceof ApexInstance)) continue;
    const list = out.get(e.callback) ?? [];
    list.push(e);
    out.set(e.callback, list);
  }
  return out;
}

/** Delivers events: each object's after insert triggers (one transaction per object), then the onSuccess callbacks. */
export function deliverEvents(events: PublishedEvent[], phase: PhaseRunner): void {
  const byObject = new Map<string, PublishedEvent[]>();
  for (const e of events) byObject.set(e.def.name, [...(byObject.get(e.def.name) ?? []), e]);
  for (const [sobjectType, list] of byObject)
    phase((interp) => {
      interp.runTriggers({ sobjectType, event: 'after insert', newList: list.map((e) => e.event), oldList: null });
      return null;
    });
  for (const [cb, list] of byCallback(events))
    if (cb.cls.isA('eventbus.eventpublishsuccesscallback'))
      phase((interp) =>
        interp.callMethod(cb, 'onSuccess', [new NativeInstance('EventBus.SuccessResult', { uuids: uuidsOf(list) })]),
      );
}

/** Test.getEventBus().fail(): the onFailure callbacks; the events are dropped. */
export function failEvents(events: PublishedEvent[], phase: PhaseRunner): void {
  for (const [cb, list] of byCallback(events))
    if (cb.cls.isA('eventbus.eventpublishfailurecallback'))
      phase((interp) =>
        interp.callMethod(cb, 'onFailure', [new NativeInstance('EventBus.FailureResult', { uuids: uuidsOf(list) })]),
      );
}
