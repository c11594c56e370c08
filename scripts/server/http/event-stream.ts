/**
 * Server-Sent Events for the page's lightning/empApi: one stream per subscription, filtered by channel.
 * `publish` is fed by the org's platform events when the org reports them.
 */
import type * as http from 'node:http';

export class EventStream {
  private readonly clients = new Set<{ res: http.ServerResponse; channel: string }>();
  private replayId = 0;

  open(req: http.IncomingMessage, res: http.ServerResponse, channel: string): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': subscribed\n\n');
    const client = { res, channel };
    this.clients.add(client);
    req.on('close', () => this.clients.delete(client));
  }

  /** channel: '/event/Name__e'; payload: the event's fields. */
  publish(channel: string, payload: Record<string, unknown>): void {
    const message = { channel, data: { event: { replayId: ++this.replayId }, payload } };
    for (const c of this.clients) if (c.channel === channel) c.res.write(`data: ${JSON.stringify(message)}\n\n`);
  }

  closeAll(): void {
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}
