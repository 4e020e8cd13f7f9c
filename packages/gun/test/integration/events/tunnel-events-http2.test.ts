/**
 * Gun's event_SUITE *_connect cases of group http2: the proxy speaks HTTP/2 and each CONNECT is
 * one stream that becomes a tunnel (Gun §5.12, RFC 9113 §8.5). Unlike the connection-wide
 * HTTP/1.1 CONNECT (tunnel-events.test.ts), originChanged and protocolChanged name the CONNECT
 * stream, and the streams inside carry refs nested in it (§5.15).
 */
import type { StreamRef } from '@gunhttp/core';
import { getTestPki, startH2ConnectProxy, startHttp2Origin, startHttpOrigin } from '@gunhttp/testkit';
import type { Http2Origin, TestOrigin, TestProxy } from '@gunhttp/testkit';
import type { ConnectDestination, Connection, GunOptions } from '../../../src/index.js';
import type { EventRecorder } from './event-recorder.js';
import { REQUEST, RESPONSE, closeAll, drained, tunnelThrough, tunnelled as tunnelTo } from './support.js';

const ca = getTestPki().caPem;
const HOST = '127.0.0.1';

let origin: TestOrigin;
let tlsOrigin: TestOrigin;
let h2Origin: Http2Origin;
let h2TlsOrigin: Http2Origin;
let proxy: TestProxy;
let proxy2: TestProxy;
let tlsProxy: TestProxy;
beforeAll(async () => {
  [origin, tlsOrigin, h2Origin, h2TlsOrigin, proxy, proxy2, tlsProxy] = await Promise.all([
    startHttpOrigin(), startHttpOrigin({ tls: true }), startHttp2Origin(), startHttp2Origin({ tls: true }),
    startH2ConnectProxy(), startH2ConnectProxy(), startH2ConnectProxy({ tls: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([origin, tlsOrigin, h2Origin, h2TlsOrigin, proxy, proxy2, tlsProxy].map((s) => s.close()));
});
afterEach(closeAll);

/** HTTP/2 to the proxy: h2c by prior knowledge, or h2 over TLS with the test PKI's CA. */
const h2c: GunOptions = { protocols: ['http2'] };
const h2: GunOptions = { protocols: ['http2'], transport: 'tls', tlsOpts: { ca } };

/** A tunnel to `destination` through the proxy at `proxyPort` (the first proxy by default). */
const tunnelled = (destination: ConnectDestination, options: GunOptions = h2c, proxyPort = proxy.port): ReturnType<typeof tunnelTo> => tunnelTo(proxyPort, destination, options);

describe('originChanged and protocolChanged through an HTTP/2 CONNECT proxy (Gun event_SUITE, group http2)', () => {
  it('originChanged gives type connect, scheme http, the CONNECT destination and the CONNECT stream ref (Gun origin_changed_connect)', async () => {
    const { conn, rec, tunnel } = await tunnelled({ host: HOST, port: origin.port });
    expect(rec.all('originChanged')).toEqual([{ type: 'connect', originScheme: 'http', originHost: HOST, originPort: origin.port, streamRef: tunnel }]);
    // After the CONNECT's response events, right before the tunnel's protocol starts.
    expect(rec.indexOf('responseHeaders', tunnel)).toBeLessThan(rec.indexOf('originChanged', tunnel));
    expect(rec.namesFor(tunnel).slice(-2)).toEqual(['originChanged', 'protocolChanged']);
    // The connection itself still leads to the proxy (a stream-wide tunnel).
    expect(conn.info()).toMatchObject({ originPort: proxy.port, protocol: 'http2' });
  });

  it('originChanged is reported with its own stream ref for each hop of a CONNECT inside a CONNECT (Gun origin_changed_connect_connect)', async () => {
    const { conn, rec, tunnel } = await tunnelled({ host: HOST, port: proxy2.port, protocols: ['http2'] });
    const inner = await tunnelThrough(conn, { host: HOST, port: origin.port }, tunnel);
    expect(inner.parent).toBe(tunnel);
    expect(rec.all('originChanged')).toEqual([
      { type: 'connect', originScheme: 'http', originHost: HOST, originPort: proxy2.port, streamRef: tunnel },
      { type: 'connect', originScheme: 'http', originHost: HOST, originPort: origin.port, streamRef: inner },
    ]);
    expect(rec.all('protocolChanged')).toEqual([{ protocol: 'http2', streamRef: tunnel }, { protocol: 'http', streamRef: inner }]);
  });

  it.each([
    ['http', () => origin.port],
    ['http2', () => h2Origin.port],
  ] as const)('protocolChanged gives the CONNECT stream ref and protocol %s after a CONNECT 2xx, h2c proxy to TCP origin (Gun protocol_changed_connect)', async (protocol, port) => {
    const { rec, tunnel } = await tunnelled({ host: HOST, port: port(), protocols: [protocol] });
    expect(rec.all('protocolChanged')).toEqual([{ protocol, streamRef: tunnel }]);
  });

  it.each([
    ['http', () => tlsOrigin.port],
    ['http2', () => h2TlsOrigin.port],
  ] as const)('protocolChanged gives the CONNECT stream ref and protocol %s after a CONNECT 2xx, h2 proxy to TLS origin (Gun protocol_changed_tls_connect)', async (protocol, port) => {
    const { conn, rec, tunnel } = await tunnelled({ host: HOST, port: port(), transport: 'tls', tlsOpts: { ca }, protocols: [protocol] }, h2, tlsProxy.port);
    expect(rec.all('protocolChanged')).toEqual([{ protocol, streamRef: tunnel }]);
    // The TLS handshake through the stream comes between the origin change and the new protocol.
    expect(rec.names.slice(-4)).toEqual(['originChanged', 'tlsHandshakeStart', 'tlsHandshakeEnd', 'protocolChanged']);
    expect(rec.all('tlsHandshakeEnd').at(-1)).toMatchObject({ streamRef: tunnel, replyTo: conn.owner, protocol });
  });
});

describe.each([
  ['http', () => origin.port],
  ['http2', () => h2Origin.port],
] as const)('stream events inside an HTTP/2 CONNECT stream to a %s origin carry the full nested refs (Gun event_SUITE *_connect, group http2)', (protocol, port) => {
  let conn: Connection;
  let rec: EventRecorder;
  let tunnel: StreamRef;
  const authority = (): string => `${HOST}:${port()}`;
  beforeEach(async () => {
    ({ conn, rec, tunnel } = await tunnelled({ host: HOST, port: port(), protocols: [protocol] }));
  });

  it('the CONNECT itself: requestStart function connect, method CONNECT, the destination authority and no path; response events without a body (Gun request_start_connect, response_*_connect)', () => {
    const start = rec.first('requestStart');
    expect(start).toMatchObject({ streamRef: tunnel, replyTo: conn.owner, function: 'connect', method: 'CONNECT', authority: authority() });
    expect(start).not.toHaveProperty('path');
    // Gun sends no regular header with an HTTP/2 CONNECT: only that `headers` is a list.
    expect(Array.isArray(start.headers)).toBe(true);
    expect(rec.first('requestHeaders')).toEqual(start);
    // Gun's gun_http2: request_end right after request_headers (connect1), response_end right
    // after the 2xx's response_headers, before origin_changed (headers_frame_connect).
    expect(rec.namesFor(tunnel)).toEqual([...REQUEST, ...RESPONSE, 'originChanged', 'protocolChanged']);
    expect(rec.first('responseHeaders')).toMatchObject({ streamRef: tunnel, replyTo: conn.owner, status: 200 });
  });

  it('a GET inside the tunnel: every event names its nested ref, the origin authority and path (Gun request_*_connect, response_start_connect, response_headers_connect, response_end_connect)', async () => {
    rec.clear();
    const ref = conn.get('/hello', {}, { tunnel });
    expect(ref.parent).toBe(tunnel);
    await drained(conn, ref);
    expect(rec.names).toEqual([...REQUEST, ...RESPONSE]);
    expect(rec.namesFor(ref)).toEqual([...REQUEST, ...RESPONSE]);
    expect(rec.first('requestStart')).toMatchObject({ streamRef: ref, replyTo: conn.owner, function: 'request', method: 'GET', authority: authority(), path: '/hello' });
    expect(rec.first('responseHeaders')).toMatchObject({ streamRef: ref, replyTo: conn.owner, status: 200 });
    for (const name of ['requestEnd', 'responseStart', 'responseEnd'] as const) expect(rec.first(name)).toEqual({ streamRef: ref, replyTo: conn.owner });
  });

  it('a PUT whose body follows inside the tunnel: function headers, requestEnd only with the fin data (Gun do_request_end_headers_connect)', async () => {
    rec.clear();
    const ref = conn.put('/echo', [['content-type', 'text/plain']], { tunnel });
    expect(rec.first('requestStart')).toMatchObject({ streamRef: ref, function: 'headers', method: 'PUT', authority: authority(), path: '/echo' });
    conn.data(ref, false, 'Hello ');
    expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders']);
    conn.data(ref, true, 'world!');
    expect(rec.namesFor(ref)).toEqual([...REQUEST]);
    expect(rec.first('requestEnd')).toEqual({ streamRef: ref, replyTo: conn.owner });
    await drained(conn, ref);
  });

  it('cancel inside the tunnel gives the nested ref, endpoint local and reason cancel (Gun cancel_connect)', () => {
    rec.clear();
    const ref = conn.post('/delay?ms=200', [], { tunnel });
    conn.cancel(ref);
    expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders', 'cancel']);
    expect(rec.first('cancel')).toEqual({ streamRef: ref, replyTo: conn.owner, endpoint: 'local', reason: 'cancel' });
    // The CONNECT stream is not cancelled with it.
    expect(conn.streamInfo(tunnel)).toMatchObject({ state: 'running' });
  });

  if (protocol === 'http2') {
    it('a server RST_STREAM inside the tunnel: cancel with the nested ref, endpoint remote and the code (Gun cancel_remote_connect)', async () => {
      rec.clear();
      const ref = conn.post('/reset', [], { tunnel });
      expect(await rec.waitFor('cancel')).toEqual({ streamRef: ref, replyTo: conn.owner, endpoint: 'remote', reason: 'REFUSED_STREAM' });
      expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders', 'cancel']);
      expect(rec.indexOf('cancel', tunnel)).toBe(-1);
    });
  }
});
