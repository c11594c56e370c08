/**
 * lightning/empApi for the local page: subscribe/unsubscribe over the server's event stream
 * (GET /__local/events, Server-Sent Events). The server forwards what the local org publishes, when the org
 * reports published platform events; otherwise subscriptions stay silent (no events), never fake ones.
 */
export interface Subscription {
  id: string;
  channel: string;
  replayId: number;
}

type Listener = (message: { channel: string; data: { event: { replayId: number }; payload: unknown } }) => void;

const sources = new Map<string, EventSource>();
let errorListener: ((error: unknown) => void) | null = null;
let counter = 0;

export function isEmpEnabled(): Promise<boolean> {
  return Promise.resolve(typeof EventSource !== 'undefined');
}

export function setDebugFlag(): Promise<void> {
  return Promise.resolve();
}

export function onError(callback: (error: unknown) => void): void {
  errorListener = callback;
}

export function subscribe(channel: string, replayId: number, onMessage: Listener): Promise<Subscription> {
  const id = `sub-${++counter}`;
  // The stream is authorised by the browser's cookie (same origin): no token ever rides in the URL.
  const url = `/__local/events?channel=${encodeURIComponent(channel)}`;
  const source = new EventSource(url);
  source.onmessage = (e: MessageEvent<string>) => {
    try {
      onMessage(JSON.parse(e.data) as Parameters<Listener>[0]);
    } catch (err) {
      errorListener?.(err);
    }
  };
  source.onerror = (e) => errorListener?.(e);
  sources.set(id, source);
  return Promise.resolve({ id, channel, replayId });
}

export function unsubscribe(
  subscription: Subscription,
  callback?: (response: { successful: boolean }) => void,
): Promise<boolean> {
  const source = sources.get(subscription.id);
  source?.close();
  sources.delete(subscription.id);
  callback?.({ successful: !!source });
  return Promise.resolve(!!source);
}
