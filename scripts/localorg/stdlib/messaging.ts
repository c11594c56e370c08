/**
 * The inbound email classes of the Messaging namespace (Apex Reference, "InboundEmail Class", "InboundEmail.Header",
 * "InboundEmail.BinaryAttachment", "InboundEmail.TextAttachment", "InboundEnvelope Class", "InboundEmailResult
 * Class", "InboundEmailHandler Interface";
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_classes_email_inbound_inbound.htm).
 * They are plain data: a no-argument constructor, public read/write properties that start null, and nothing else.
 * A test builds them to call its handler's handleInboundEmail(email, envelope) directly; the local org has no mail
 * server, so Email Services never call a handler themselves.
 */
import type { NativeClass, Runtime } from '../core/runtime.js';
import { NativeInstance, type ApexValue } from '../core/values.js';
import { native, reqBlob, reqBool, reqList, reqStr } from './util.js';

type Kind = 'String' | 'Boolean' | 'Blob' | 'List';

const CHECK: Record<Kind, (v: ApexValue) => ApexValue> = {
  String: reqStr,
  Boolean: reqBool,
  Blob: reqBlob,
  List: reqList,
};

/** A native class of public properties (each null until set), checked against its type when set. */
function dataClass(name: string, fields: Record<string, Kind>, aliases: string[] = []): NativeClass {
  const props: NonNullable<NativeClass['props']> = {};
  const state = (s: ApexValue) => native<Record<string, ApexValue>>(s, name).state;
  for (const [field, kind] of Object.entries(fields)) {
    const key = field.toLowerCase();
    props[key] = {
      get: (_rt: Runtime, s: ApexValue) => state(s)[key] ?? null,
      set: (_rt: Runtime, s: ApexValue, v: ApexValue) => {
        state(s)[key] = v === null ? null : CHECK[kind](v);
      },
    };
  }
  return {
    name,
    aliases,
    construct: () => new NativeInstance<Record<string, ApexValue>>(name, {}),
    props,
    superTypes: ['object'],
  };
}

const HEADERS = { headers: 'List' } as const;

export const messagingClasses: NativeClass[] = [
  dataClass('Messaging.InboundEmail', {
    binaryAttachments: 'List',
    ccAddresses: 'List',
    fromAddress: 'String',
    fromName: 'String',
    ...HEADERS,
    htmlBody: 'String',
    htmlBodyIsTruncated: 'Boolean',
    inReplyTo: 'String',
    messageId: 'String',
    plainTextBody: 'String',
    plainTextBodyIsTruncated: 'Boolean',
    references: 'List',
    replyTo: 'String',
    subject: 'String',
    textAttachments: 'List',
    toAddresses: 'List',
  }),
  dataClass('Messaging.InboundEmail.Header', { name: 'String', value: 'String' }),
  dataClass('Messaging.InboundEmail.BinaryAttachment', {
    body: 'Blob',
    fileName: 'String',
    mimeTypeSubType: 'String',
    ...HEADERS,
  }),
  dataClass('Messaging.InboundEmail.TextAttachment', {
    body: 'String',
    bodyIsTruncated: 'Boolean',
    charset: 'String',
    fileName: 'String',
    mimeTypeSubType: 'String',
    ...HEADERS,
  }),
  dataClass('Messaging.InboundEnvelope', { fromAddress: 'String', toAddress: 'String' }),
  dataClass('Messaging.InboundEmailResult', { success: 'Boolean', message: 'String' }),
  { name: 'Messaging.InboundEmailHandler', isInterface: true },
];
