/**
 * Gun's event_SUITE Websocket cases (ws_upgrade, ws_upgrade_all_events, ws_recv_frame_*,
 * ws_send_frame_*, ws_protocol_changed) over HTTP/1.1 (a `ws` server on node:http) and over
 * HTTP/2 (RFC 8441 extended CONNECT on node:http2, with our codec as the server), directly and
 * inside a CONNECT tunnel of an HTTP/1.1 or an HTTP/2 proxy (ws_*_connect).
 */
import type { StreamRef } from '@gunhttp/core';
import { startConnectProxy, startH2ConnectProxy } from '@gunhttp/testkit';
import type { TestProxy } from '@gunhttp/testkit';
import type { Connection } from '../../../src/index.js';
import { startH2WsOrigin } from '../../support/h2-ws-origin.js';
import { startWsOrigin } from '../../support/ws-origin.js';
import type { EventRecorder } from './event-recorder.js';
import { PROTOCOLS, authorityOf, closeAll, connectRecorded } from './support.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe.each(PROTOCOLS)('Websocket events over %s (Gun event_SUITE ws_*)', (protocol) => {
  let origin: { port: number; close(): Promise<void> };
  let conn: Connection;
  let rec: EventRecorder;
  beforeAll(async () => {
    origin = protocol === 'http' ? await startWsOrigin() : await startH2WsOrigin(false, { enableConnectProtocol: true });
  });
  afterAll(() => origin.close());
  beforeEach(async () => {
    ({ conn, rec } = await connectRecorded(origin.port, { protocols: [protocol] }));
    rec.clear();
  });
  afterEach(closeAll);

  async function upgraded(): Promise<StreamRef> {
    const ref = conn.wsUpgrade('/ws');
    expect(await conn.await(ref)).toMatchObject({ type: 'upgrade', protocols: ['websocket'] });
    return ref;
  }

  it('wsUpgrade gives the stream, replyTo and the Websocket options (Gun ws_upgrade)', async () => {
    const ref = await upgraded();
    expect(rec.first('wsUpgrade')).toEqual({ streamRef: ref, replyTo: conn.owner, opts: {} });
    expect(rec.names[0]).toBe('wsUpgrade');
  });

  it('an upgrade reports every event in Gun order, ending with protocolChanged ws (Gun ws_upgrade_all_events)', async () => {
    const ref = await upgraded();
    const method = protocol === 'http' ? 'GET' : 'CONNECT';
    const start = rec.first('requestStart');
    expect(start).toMatchObject({ streamRef: ref, replyTo: conn.owner, function: 'wsUpgrade', method, authority: authorityOf(origin.port), path: '/ws' });
    expect(start.headers.length).toBeGreaterThan(0);
    expect(rec.first('requestHeaders')).toEqual(start);
    expect(rec.first('responseStart')).toEqual({ streamRef: ref, replyTo: conn.owner });
    if (protocol === 'http') {
      expect(rec.first('requestEnd')).toEqual({ streamRef: ref, replyTo: conn.owner });
      expect(rec.names).toEqual(['wsUpgrade', 'requestStart', 'requestHeaders', 'requestEnd', 'responseStart', 'responseInform', 'protocolChanged']);
      const inform = rec.first('responseInform');
      expect(inform).toMatchObject({ streamRef: ref, replyTo: conn.owner, status: 101 });
      expect(inform.headers).toContainEqual(['upgrade', 'websocket']);
    } else {
      // The extended CONNECT has no body: requestEnd right after requestHeaders (Gun).
      expect(rec.first('requestEnd')).toEqual({ streamRef: ref, replyTo: conn.owner });
      expect(rec.names).toEqual(['wsUpgrade', 'requestStart', 'requestHeaders', 'requestEnd', 'responseStart', 'responseHeaders', 'responseEnd', 'protocolChanged']);
      expect(rec.first('responseHeaders')).toMatchObject({ streamRef: ref, replyTo: conn.owner, status: 200 });
      expect(rec.first('responseEnd')).toEqual({ streamRef: ref, replyTo: conn.owner });
    }
  });

  it('protocolChanged gives protocol ws and the upgraded stream (Gun ws_protocol_changed)', async () => {
    const ref = await upgraded();
    expect(rec.all('protocolChanged')).toEqual([{ protocol: 'ws', streamRef: ref }]);
  });

  it('wsSendFrameStart and wsSendFrameEnd give the frame sent, in that order (Gun ws_send_frame_start, ws_send_frame_end)', async () => {
    const ref = await upgraded();
    rec.clear();
    conn.wsSend(ref, { type: 'text', data: 'Hello!' });
    const expected = { streamRef: ref, replyTo: conn.owner, extensions: {}, frame: { type: 'text', data: 'Hello!' } };
    expect(rec.events.slice(0, 2)).toEqual([{ name: 'wsSendFrameStart', event: expected }, { name: 'wsSendFrameEnd', event: expected }]);
    await conn.await(ref);
  });

  it('wsRecvFrameStart, wsRecvFrameHeader and wsRecvFrameEnd describe the echoed frame, in order (Gun ws_recv_frame_*)', async () => {
    const ref = await upgraded();
    rec.clear();
    conn.wsSend(ref, { type: 'text', data: 'Hello!' });
    expect(await conn.await(ref)).toMatchObject({ type: 'ws', frame: { type: 'text', data: 'Hello!' } });
    expect(rec.names).toEqual(['wsSendFrameStart', 'wsSendFrameEnd', 'wsRecvFrameStart', 'wsRecvFrameHeader', 'wsRecvFrameEnd']);
    const base = { streamRef: ref, replyTo: conn.owner, extensions: {} };
    expect(rec.first('wsRecvFrameStart')).toEqual({ ...base, fragState: undefined });
    expect(rec.first('wsRecvFrameHeader')).toEqual({ ...base, fragState: undefined, type: 'text', rsv: 0, len: 6, maskKey: undefined });
    expect(rec.first('wsRecvFrameEnd')).toEqual({ ...base, closeCode: undefined, payload: utf8('Hello!') });
  });

  it('a replyTo given in wsOpts is the replyTo of the Websocket events (Gun reply_to)', async () => {
    const seen: unknown[] = [];
    const replyTo = (m: unknown): void => void seen.push(m);
    const ref = conn.wsUpgrade('/ws', [], { replyTo });
    await rec.waitFor('protocolChanged');
    conn.wsSend(ref, { type: 'text', data: 'Hello!' });
    await rec.waitFor('wsRecvFrameEnd');
    for (const name of ['wsUpgrade', 'requestStart', 'responseStart', 'wsSendFrameStart', 'wsRecvFrameStart', 'wsRecvFrameEnd'] as const) {
      expect(rec.first(name)).toMatchObject({ streamRef: ref, replyTo });
    }
  });
});

/** Gun's ws_*_connect cases run each origin protocol through an HTTP/1.1 and an HTTP/2 proxy. */
const PROXIED = PROTOCOLS.flatMap((proxyProtocol) => PROTOCOLS.map((protocol) => [protocol, proxyProtocol] as const));

describe.each(PROXIED)('Websocket events to a %s origin inside a CONNECT tunnel of a %s proxy (Gun event_SUITE ws_*_connect)', (protocol, proxyProtocol) => {
  let origin: { port: number; close(): Promise<void> };
  let proxy: TestProxy;
  let conn: Connection;
  let rec: EventRecorder;
  let tunnel: StreamRef;
  beforeAll(async () => {
    origin = protocol === 'http' ? await startWsOrigin() : await startH2WsOrigin(false, { enableConnectProtocol: true });
    proxy = proxyProtocol === 'http' ? await startConnectProxy() : await startH2ConnectProxy();
  });
  afterAll(async () => {
    await origin.close();
    await proxy.close();
  });
  beforeEach(async () => {
    ({ conn, rec } = await connectRecorded(proxy.port, { protocols: [proxyProtocol] }));
    tunnel = conn.connect({ host: '127.0.0.1', port: origin.port, protocols: [protocol] });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 200 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', streamRef: tunnel, protocol });
  });
  afterEach(closeAll);

  it('protocolChanged gives the CONNECT ref and the origin protocol, then ws with the nested Websocket ref (Gun ws_protocol_changed_connect)', async () => {
    const ref = conn.wsUpgrade('/ws', [], { tunnel });
    expect(ref.parent).toBe(tunnel);
    expect(await conn.await(ref)).toMatchObject({ type: 'upgrade', streamRef: ref });
    expect(rec.all('protocolChanged')).toEqual([{ protocol, streamRef: tunnel }, { protocol: 'ws', streamRef: ref }]);
  });

  it('an upgrade inside the tunnel reports every event in Gun order with the nested ref and the origin authority (Gun ws_upgrade_connect, ws_upgrade_all_events_connect)', async () => {
    rec.clear();
    const ref = conn.wsUpgrade('/ws', [], { tunnel });
    await conn.await(ref);
    expect(rec.first('wsUpgrade')).toEqual({ streamRef: ref, replyTo: conn.owner, opts: {} });
    const method = protocol === 'http' ? 'GET' : 'CONNECT';
    expect(rec.first('requestStart')).toMatchObject({ streamRef: ref, replyTo: conn.owner, function: 'wsUpgrade', method, authority: authorityOf(origin.port), path: '/ws' });
    const head = protocol === 'http' ? ['responseInform'] : ['responseHeaders', 'responseEnd'];
    expect(rec.names).toEqual(['wsUpgrade', 'requestStart', 'requestHeaders', 'requestEnd', 'responseStart', ...head, 'protocolChanged']);
    expect(rec.namesFor(ref)).toEqual(rec.names);
  });

  it('frames sent and received inside the tunnel name the nested ref (Gun ws_send_frame_*_connect, ws_recv_frame_*_connect)', async () => {
    const ref = conn.wsUpgrade('/ws', [], { tunnel });
    await conn.await(ref);
    rec.clear();
    conn.wsSend(ref, { type: 'text', data: 'Hello!' });
    expect(await conn.await(ref)).toMatchObject({ type: 'ws', frame: { type: 'text', data: 'Hello!' } });
    expect(rec.names).toEqual(['wsSendFrameStart', 'wsSendFrameEnd', 'wsRecvFrameStart', 'wsRecvFrameHeader', 'wsRecvFrameEnd']);
    const base = { streamRef: ref, replyTo: conn.owner, extensions: {} };
    expect(rec.first('wsSendFrameStart')).toEqual({ ...base, frame: { type: 'text', data: 'Hello!' } });
    expect(rec.first('wsRecvFrameStart')).toEqual({ ...base, fragState: undefined });
    expect(rec.first('wsRecvFrameHeader')).toEqual({ ...base, fragState: undefined, type: 'text', rsv: 0, len: 6, maskKey: undefined });
    expect(rec.first('wsRecvFrameEnd')).toEqual({ ...base, closeCode: undefined, payload: utf8('Hello!') });
  });
});

describe('Websocket events for frames the client sends by itself (Gun §1.5: auto pong and close)', () => {
  let origin: Awaited<ReturnType<typeof startWsOrigin>>;
  beforeAll(async () => {
    origin = await startWsOrigin();
  });
  afterAll(() => origin.close());
  afterEach(closeAll);

  it('a server ping is reported received, then the automatic pong is reported sent', async () => {
    const { conn, rec } = await connectRecorded(origin.port, { protocols: ['http'] });
    const ref = conn.wsUpgrade('/ws');
    await conn.await(ref);
    rec.clear();
    origin.latestSocket().ping(Buffer.from('p1'));
    await rec.waitFor('wsSendFrameEnd');
    expect(rec.names).toEqual(['wsRecvFrameStart', 'wsRecvFrameHeader', 'wsRecvFrameEnd', 'wsSendFrameStart', 'wsSendFrameEnd']);
    expect(rec.first('wsRecvFrameHeader')).toMatchObject({ type: 'ping', len: 2 });
    expect(rec.first('wsSendFrameStart')).toEqual({ streamRef: ref, replyTo: conn.owner, extensions: {}, frame: { type: 'pong', data: utf8('p1') } });
  });

  it('a server close is reported received with its code, then the close reply is reported sent', async () => {
    const { conn, rec } = await connectRecorded(origin.port, { protocols: ['http'] });
    const ref = conn.wsUpgrade('/ws');
    await conn.await(ref);
    rec.clear();
    conn.wsSend(ref, { type: 'text', data: 'close-me' });
    await rec.waitFor('wsSendFrameEnd', (e) => e.frame.type === 'close');
    expect(rec.all('wsRecvFrameEnd').at(-1)).toMatchObject({ streamRef: ref, closeCode: 4000 });
    expect(rec.all('wsSendFrameStart').at(-1)).toEqual({ streamRef: ref, replyTo: conn.owner, extensions: {}, frame: { type: 'close', code: 4000 } });
  });
});
