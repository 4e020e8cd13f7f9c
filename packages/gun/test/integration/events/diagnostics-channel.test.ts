/**
 * Every event given to the event handler is also published on `node:diagnostics_channel` as
 * `gunhttp:<event>`, with the same fields plus `conn`, in the same order (DESIGN §3).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { GUN_EVENT_NAMES } from '@gunhttp/core';
import type { GunEventName } from '@gunhttp/core';
import { getTestPki, startHttp2Origin } from '@gunhttp/testkit';
import type { Http2Origin } from '@gunhttp/testkit';
import type { Connection } from '../../../src/index.js';
import { startWsOrigin } from '../../support/ws-origin.js';
import type { WsOrigin } from '../../support/ws-origin.js';
import { closeAll, connectRecorded, openRecorded } from './support.js';

interface Published {
  readonly name: GunEventName;
  readonly message: { readonly conn?: unknown };
}

/** Subscribes to all 28 `gunhttp:*` channels; `stop()` unsubscribes. */
function listen(): { published: Published[]; stop(): void } {
  const published: Published[] = [];
  const listeners = GUN_EVENT_NAMES.map((name) => {
    const fn = (message: unknown): void => void published.push({ name, message: message as Published['message'] });
    subscribe(`gunhttp:${name}`, fn);
    return [name, fn] as const;
  });
  return { published, stop: () => listeners.forEach(([name, fn]) => unsubscribe(`gunhttp:${name}`, fn)) };
}

let wsOrigin: WsOrigin;
let h2Origin: Http2Origin;
let channels: ReturnType<typeof listen>;
beforeAll(async () => {
  wsOrigin = await startWsOrigin({ tls: true });
  h2Origin = await startHttp2Origin();
});
afterAll(async () => {
  await wsOrigin.close();
  await h2Origin.close();
});
beforeEach(() => {
  channels = listen();
});
afterEach(() => {
  channels.stop();
  closeAll();
});

const fromConn = (conn: Connection): Published[] => channels.published.filter((p) => p.message.conn === conn);

it('publishes the connection, TLS, request, response, Websocket, disconnect and terminate events with conn, as the handler gets them', async () => {
  const { conn, rec } = openRecorded('localhost', wsOrigin.port, { transport: 'tls', tlsOpts: { ca: getTestPki().caPem }, protocols: ['http'] });
  const get = conn.get('/');
  await conn.await(get);
  await conn.awaitBody(get);
  const ws = conn.wsUpgrade('/ws');
  await conn.await(ws);
  conn.wsSend(ws, { type: 'text', data: 'close-me' });
  // The server closes the Websocket (4000), the socket closes, and with retry 0 the connection ends.
  await conn.terminated;
  expect(rec.all('wsRecvFrameEnd').at(-1)).toMatchObject({ streamRef: ws, closeCode: 4000 });
  const published = fromConn(conn);
  expect(published.map((p) => p.name)).toEqual(rec.names);
  published.forEach((p, i) => expect(p.message).toEqual({ conn, ...(rec.events[i]?.event as object) }));
  const seen = new Set(published.map((p) => p.name));
  for (const name of ['init', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd', 'tlsHandshakeStart', 'tlsHandshakeEnd',
    'requestStart', 'requestHeaders', 'requestEnd', 'responseStart', 'responseInform', 'responseHeaders', 'responseEnd', 'wsUpgrade',
    'wsRecvFrameStart', 'wsRecvFrameHeader', 'wsRecvFrameEnd', 'wsSendFrameStart', 'wsSendFrameEnd', 'protocolChanged', 'disconnect', 'terminate'] as const) {
    expect(seen).toContain(name);
  }
});

it('publishes the HTTP/2 push, inform, trailers and cancel events with conn, as the handler gets them', async () => {
  const { conn, rec } = await connectRecorded(h2Origin.port, { protocols: ['http2'] });
  for (const path of ['/push', '/inform', '/trailers']) {
    const ref = conn.get(path);
    await rec.waitFor('responseEnd', (e) => e.streamRef === ref);
  }
  conn.cancel(conn.get('/delay?ms=1000'));
  const reset = conn.get('/reset');
  await rec.waitFor('cancel', (e) => e.streamRef === reset);
  const published = fromConn(conn);
  expect(published.map((p) => p.name)).toEqual(rec.names);
  published.forEach((p, i) => expect(p.message).toEqual({ conn, ...(rec.events[i]?.event as object) }));
  const seen = new Set(published.map((p) => p.name));
  for (const name of ['pushPromiseStart', 'pushPromiseEnd', 'responseInform', 'responseTrailers', 'cancel'] as const) expect(seen).toContain(name);
  expect(published.filter((p) => p.name === 'cancel').map((p) => p.message)).toEqual([
    expect.objectContaining({ endpoint: 'local', reason: 'cancel' }),
    expect.objectContaining({ endpoint: 'remote', reason: 'REFUSED_STREAM' }),
  ]);
});

it('publishes the stream events without any event handler (a subscriber is enough)', async () => {
  const { open } = await import('../../../src/index.js');
  const conn = open('127.0.0.1', h2Origin.port, { retry: 0, protocols: ['http2'] });
  try {
    const ref = conn.get('/hello');
    await conn.await(ref);
    await conn.awaitBody(ref);
    const names = fromConn(conn).map((p) => p.name);
    expect(names).toEqual(['init', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd',
      'requestStart', 'requestHeaders', 'requestEnd', 'responseStart', 'responseHeaders', 'responseEnd']);
    expect(fromConn(conn).find((p) => p.name === 'responseHeaders')?.message).toMatchObject({ conn, streamRef: ref, status: 200 });
  } finally {
    conn.close();
  }
});
