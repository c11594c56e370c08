/**
 * `@salesforce/apex/Class.method` and `@salesforce/apex` for the local page. Each imported method is callable
 * (imperative: a Promise of the result) and carries `adapter` for `@wire`. Calls go to the local org
 * (POST /__local/apex) as the viewing user. Errors reject with the shape components read on the platform:
 * { status, statusText, ok: false, headers, body: { message, exceptionType, isUserDefinedException, stackTrace } }.
 * Wired data is read-only (frozen), as Lightning Data Service provides it; refreshApex re-runs a wire.
 */
import { orgContext } from './org-context.js';

export interface ApexError {
  status: number;
  statusText: string;
  ok: false;
  headers: Record<string, string>;
  body: { message: string; exceptionType?: string; isUserDefinedException?: boolean; stackTrace?: string };
}

type DataCallback = (value: { data: unknown; error: unknown }) => void;

async function invoke(className: string, methodName: string, params: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch('/__local/apex', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${orgContext().accessToken}` },
      body: JSON.stringify({ className, methodName, params: params ?? {} }),
    });
  } catch (err) {
    const e: ApexError = {
      status: 0,
      statusText: 'Network Error',
      ok: false,
      headers: {},
      body: { message: `The local org did not answer (${String(err)}). Is \`npm start\` still running?` },
    };
    throw e;
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { message: text };
  }
  if (res.ok) return (json as { returnValue: unknown }).returnValue;
  const body = (json ?? {}) as ApexError['body'];
  const e: ApexError = {
    status: res.status,
    statusText: res.statusText,
    ok: false,
    headers: {},
    body: {
      message: body.message ?? res.statusText,
      exceptionType: body.exceptionType,
      isUserDefinedException: body.isUserDefinedException,
      stackTrace: body.stackTrace,
    },
  };
  throw e;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** Wired values -> the adapter that provided them, for refreshApex. */
const provided = new WeakMap<object, ApexWireAdapter>();

class ApexWireAdapter {
  private config: unknown = undefined;
  private hasConfig = false;
  private connected = false;
  private lastKey: string | null = null;
  private generation = 0;

  constructor(
    private readonly className: string,
    private readonly methodName: string,
    private readonly dataCallback: DataCallback,
  ) {}

  update(config: unknown): void {
    this.config = config;
    this.hasConfig = true;
    const key = JSON.stringify(config ?? {});
    if (this.connected && key !== this.lastKey) void this.load();
  }

  connect(): void {
    this.connected = true;
    // The first value, before the server answers, is { data: undefined, error: undefined }, as on the platform.
    this.emit({ data: undefined, error: undefined });
    if (this.hasConfig) void this.load();
  }

  disconnect(): void {
    this.connected = false;
  }

  load(): Promise<void> {
    this.lastKey = JSON.stringify(this.config ?? {});
    const gen = ++this.generation;
    return invoke(this.className, this.methodName, this.config).then(
      (data) => {
        if (gen === this.generation && this.connected) this.emit({ data: deepFreeze(data), error: undefined });
      },
      (error: unknown) => {
        if (gen === this.generation && this.connected) this.emit({ data: undefined, error });
      },
    );
  }

  private emit(value: { data: unknown; error: unknown }): void {
    provided.set(value, this);
    this.dataCallback(value);
  }
}

export type ApexMethod = ((params?: unknown) => Promise<unknown>) & {
  adapter: new (cb: DataCallback) => ApexWireAdapter;
};

export function apexMethod(className: string, methodName: string): ApexMethod {
  const method = ((params?: unknown) => invoke(className, methodName, params)) as ApexMethod;
  method.adapter = class extends ApexWireAdapter {
    constructor(cb: DataCallback) {
      super(className, methodName, cb);
    }
  };
  return method;
}

/** Re-runs the wire that provided `wiredValue`; resolves when the new value has been provided. */
export function refreshApex(wiredValue: unknown): Promise<void> {
  const adapter = wiredValue && typeof wiredValue === 'object' ? provided.get(wiredValue) : undefined;
  return adapter ? adapter.load() : Promise.resolve();
}

/** getSObjectValue(record, field): a field value by API name or by a `@salesforce/schema` reference. */
export function getSObjectValue(record: Record<string, unknown>, field: string | { fieldApiName: string }): unknown {
  const path = (typeof field === 'string' ? field : field.fieldApiName).split('.');
  let cur: unknown = record;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}
