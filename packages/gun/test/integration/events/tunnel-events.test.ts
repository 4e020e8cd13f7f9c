/**
 * Gun's event_SUITE *_connect cases through an HTTP/1.1 CONNECT proxy (a connection-wide tunnel,
 * Gun §5.12) and the events of a SOCKS5 hop (§5.13): originChanged, protocolChanged, and the
 * stream events of requests inside a tunnel with their full nested refs (§5.15). The same cases
 * through an HTTP/2 proxy (a stream-wide tunnel) are in tunnel-events-http2.test.ts.
 */
import type { StreamRef } from '@gunhttp/core';
import { getTestPki, startConnectProxy, startHttp2Origin, startHttpOrigin, startSocks5Server } from '@gunhttp/testkit';
import type { Http2Origin, TestOrigin, TestProxy } from '@gunhttp/testkit';
import type { ConnectDestination, Connection, GunOptions } from '../../../src/index.js';
import type { EventRecorder } from './event-recorder.js';
import { REQUEST, RESPONSE, closeAll, connectRecorded, drained, tunnelThrough, tunnelled as tunnelTo } from './support.js';

const ca = getTestPki().caPem;
const HOST = '127.0.0.1';

let origin: TestOrigin;
let tlsOrigin: TestOrigin;
let h2Origin: Http2Origin;
let h2TlsOrigin: Http2Origin;
let proxy: TestProxy;
let tlsProxy: TestProxy;
let socks: TestProxy;
beforeAll(async () => {
  [origin, tlsOrigin, h2Origin, h2TlsOrigin, proxy, tlsProxy, socks] = await Promise.all([
    startHttpOrigin(), startHttpOrigin({ tls: true }), startHttp2Origin(), startHttp2Origin({ tls: true }),
    startConnectProxy(), startConnectProxy({ tls: true }), startSocks5Server(),
  ]);
});
afterAll(async () => {
  await Promise.all([origin, tlsOrigin, h2Origin, h2TlsOrigin, proxy, tlsProxy, socks].map((s) => s.close()));
});
afterEach(closeAll);

/** The options to reach a proxy over TLS (the test PKI's CA). */
const overTls: GunOptions = { transport: 'tls', tlsOpts: { ca } };

/** A tunnel to `destination` through the proxy at `proxyPort` (the first proxy by default). */
const tunnelled = (destination: ConnectDestination, options: GunOptions = {}, proxyPort = proxy.port): ReturnType<typeof tunnelTo> => tunnelTo(proxyPort, destination, options);

describe('originChanged and protocolChanged through an HTTP/1.1 CONNECT proxy (Gun event_SUITE, group http)', () => {
  it('originChanged gives type connect, scheme http and the destination, with no stream ref over HTTP/1.1 (Gun origin_changed_connect)', async () => {
    const { rec, tunnel } = await tunnelled({ host: HOST, port: origin.port });
    expect(rec.all('originChanged')).toEqual([{ type: 'connect', originScheme: 'http', originHost: HOST, originPort: origin.port }]);
    // After the CONNECT's response events, before the new protocol (Gun's origin then switch_protocol).
    expect(rec.indexOf('responseEnd', tunnel)).toBeLessThan(rec.names.indexOf('originChanged'));
    expect(rec.names.slice(-2)).toEqual(['originChanged', 'protocolChanged']);
  });

  it('originChanged is reported for each hop of a CONNECT inside a CONNECT, scheme https for a TLS destination (Gun origin_changed_connect_connect)', async () => {
    const { conn, rec, tunnel } = await tunnelled({ host: HOST, port: tlsProxy.port, transport: 'tls', tlsOpts: { ca } });
    await tunnelThrough(conn, { host: HOST, port: origin.port }, tunnel);
    expect(rec.all('originChanged')).toEqual([
      { type: 'connect', originScheme: 'https', originHost: HOST, originPort: tlsProxy.port },
      { type: 'connect', originScheme: 'http', originHost: HOST, originPort: origin.port },
    ]);
  });

  it.each([
    ['http', () => origin.port],
    ['http2', () => h2Origin.port],
  ] as const)('protocolChanged gives the CONNECT stream ref and protocol %s after a CONNECT 2xx over TCP (Gun protocol_changed_connect)', async (protocol, port) => {
    const { rec, tunnel } = await tunnelled({ host: HOST, port: port(), protocols: [protocol] });
    expect(rec.all('protocolChanged')).toEqual([{ protocol, streamRef: tunnel }]);
  });

  it.each([
    ['http', () => tlsOrigin.port],
    ['http2', () => h2TlsOrigin.port],
  ] as const)('protocolChanged gives the CONNECT stream ref and protocol %s after a CONNECT 2xx, TLS proxy to TLS origin (Gun protocol_changed_tls_connect)', async (protocol, port) => {
    const { rec, tunnel } = await tunnelled({ host: HOST, port: port(), transport: 'tls', tlsOpts: { ca }, protocols: [protocol] }, overTls, tlsProxy.port);
    expect(rec.all('protocolChanged')).toEqual([{ protocol, streamRef: tunnel }]);
    // The TLS handshake to the origin comes between the origin change and the new protocol.
    expect(rec.names.slice(-4)).toEqual(['originChanged', 'tlsHandshakeStart', 'tlsHandshakeEnd', 'protocolChanged']);
  });
});

describe('originChanged and protocolChanged of a SOCKS5 hop (Gun §1.5, gun_socks)', () => {
  it('originChanged gives type socks5 and the SOCKS destination; protocolChanged the protocol after it, with no stream ref at connection level', async () => {
    const { conn, rec } = await connectRecorded(socks.port, { protocols: [{ socks: { host: HOST, port: origin.port } }] });
    await drained(conn, conn.get('/hello'));
    expect(rec.all('originChanged')).toEqual([{ type: 'socks5', originScheme: 'http', originHost: HOST, originPort: origin.port }]);
    expect(rec.all('protocolChanged')).toEqual([{ protocol: 'http' }]);
    expect(rec.names.indexOf('originChanged')).toBeLessThan(rec.names.indexOf('protocolChanged'));
  });

  it('a TLS destination behind SOCKS: originChanged scheme https, then the handshake events with the replyTo and no stream ref', async () => {
    const dest = { host: HOST, port: h2TlsOrigin.port, transport: 'tls' as const, tlsOpts: { ca }, protocols: ['http2' as const] };
    const { conn, rec } = await connectRecorded(socks.port, { protocols: [{ socks: dest }] });
    await drained(conn, conn.get('/hello'));
    expect(rec.first('originChanged')).toEqual({ type: 'socks5', originScheme: 'https', originHost: HOST, originPort: h2TlsOrigin.port });
    expect(rec.first('tlsHandshakeStart')).toMatchObject({ replyTo: conn.owner, tlsOpts: { ALPNProtocols: ['h2'], ca } });
    expect(rec.first('tlsHandshakeStart')).not.toHaveProperty('streamRef');
    expect(rec.first('tlsHandshakeEnd')).toMatchObject({ replyTo: conn.owner, protocol: 'http2' });
    expect(rec.all('protocolChanged')).toEqual([{ protocol: 'http2' }]);
  });

  it('a CONNECT whose destination speaks socks: protocolChanged socks with the CONNECT ref, then the protocol behind the SOCKS hop', async () => {
    const { conn, rec, tunnel } = await tunnelled({ host: HOST, port: socks.port, protocols: [{ socks: { host: HOST, port: origin.port } }] });
    await drained(conn, conn.get('/hello', {}, { tunnel }));
    expect(rec.all('originChanged').map((e) => [e.type, e.originPort])).toEqual([['connect', socks.port], ['socks5', origin.port]]);
    // Gun's gun_socks keeps the CONNECT's stream ref it was started with and gives it to the next
    // protocol: protocol_changed #{stream_ref, protocol => http}, gun_tunnel_up with that ref.
    expect(rec.all('protocolChanged')).toEqual([{ protocol: 'socks', streamRef: tunnel }, { protocol: 'http', streamRef: tunnel }]);
    expect(conn.owner.peekAll()).toContainEqual(expect.objectContaining({ type: 'tunnelUp', streamRef: tunnel, protocol: 'http' }));
  });

  it('a CONNECT to a SOCKS server with a TLS destination: the handshake events and protocolChanged carry the CONNECT ref (Gun gun_socks stream_ref)', async () => {
    const dest = { host: HOST, port: h2TlsOrigin.port, transport: 'tls' as const, tlsOpts: { ca }, protocols: ['http2' as const] };
    const { conn, rec, tunnel } = await tunnelled({ host: HOST, port: socks.port, protocols: [{ socks: dest }] });
    await drained(conn, conn.get('/hello', {}, { tunnel }));
    expect(rec.first('tlsHandshakeStart')).toMatchObject({ streamRef: tunnel, replyTo: conn.owner });
    expect(rec.first('tlsHandshakeEnd')).toMatchObject({ streamRef: tunnel, protocol: 'http2' });
    expect(rec.all('protocolChanged')).toEqual([{ protocol: 'socks', streamRef: tunnel }, { protocol: 'http2', streamRef: tunnel }]);
  });

  it('a SOCKS hop at the top runs in no CONNECT: its protocolChanged and tunnelUp carry no ref', async () => {
    const { conn, rec } = await connectRecorded(socks.port, { protocols: [{ socks: { host: HOST, port: origin.port } }] });
    await drained(conn, conn.get('/hello'));
    expect(rec.all('protocolChanged')).toEqual([{ protocol: 'http' }]);
    expect(conn.owner.peekAll()).toContainEqual(expect.objectContaining({ type: 'tunnelUp', streamRef: undefined, protocol: 'http' }));
  });
});

describe('stream events inside an HTTP/1.1 CONNECT tunnel carry the full nested refs (Gun event_SUITE *_connect, group http)', () => {
  let conn: Connection;
  let rec: EventRecorder;
  let tunnel: StreamRef;
  const authority = (): string => `${HOST}:${origin.port}`;
  beforeEach(async () => {
    ({ conn, rec, tunnel } = await tunnelled({ host: HOST, port: origin.port }));
  });

  it('the CONNECT itself: requestStart function connect, method CONNECT, the destination authority and no path; then its response events (Gun request_start_connect, response_*_connect)', () => {
    const start = rec.first('requestStart');
    expect(start).toMatchObject({ streamRef: tunnel, replyTo: conn.owner, function: 'connect', method: 'CONNECT', authority: authority() });
    expect(start).not.toHaveProperty('path');
    expect(Array.isArray(start.headers)).toBe(true);
    expect(rec.first('requestHeaders')).toEqual(start);
    expect(rec.namesFor(tunnel)).toEqual([...REQUEST, ...RESPONSE, 'protocolChanged']);
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
    expect(rec.first('requestStart').headers).toContainEqual(['host', authority()]);
    expect(rec.first('responseHeaders')).toMatchObject({ streamRef: ref, status: 200 });
    for (const name of ['requestEnd', 'responseStart', 'responseEnd'] as const) expect(rec.first(name)).toEqual({ streamRef: ref, replyTo: conn.owner });
  });

  it.each([
    ['chunked', [] as Array<[string, string]>, ['Hello ', 'world!']],
    ['content-length 0', [['content-length', '0']] as Array<[string, string]>, ['']],
  ])('a PUT whose body follows inside the tunnel (%s): function headers, requestEnd only with the fin data (Gun do_request_end_headers*_connect)', async (_name, extra, parts) => {
    rec.clear();
    const ref = conn.put('/echo', [['content-type', 'text/plain'], ...extra], { tunnel });
    expect(rec.first('requestStart')).toMatchObject({ streamRef: ref, function: 'headers', method: 'PUT', authority: authority(), path: '/echo' });
    parts.forEach((part, i) => {
      expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders']);
      conn.data(ref, i === parts.length - 1, part);
    });
    expect(rec.namesFor(ref)).toEqual([...REQUEST]);
    expect(rec.first('requestEnd')).toEqual({ streamRef: ref, replyTo: conn.owner });
    await drained(conn, ref);
  });

  it('responseInform inside the tunnel, with a responseStart before each head (Gun response_inform_connect)', async () => {
    rec.clear();
    const ref = conn.get('/inform', {}, { tunnel });
    await drained(conn, ref);
    expect(rec.all('responseInform')).toEqual([{ streamRef: ref, replyTo: conn.owner, status: 103, headers: [['link', '</style.css>; rel=preload']] }]);
    expect(rec.namesFor(ref).slice(3)).toEqual(['responseStart', 'responseInform', 'responseStart', 'responseHeaders', 'responseEnd']);
  });

  it('responseTrailers inside the tunnel (Gun response_trailers, through CONNECT)', async () => {
    rec.clear();
    const ref = conn.get('/trailers', [['te', 'trailers']], { tunnel });
    await drained(conn, ref);
    expect(rec.first('responseTrailers')).toEqual({ streamRef: ref, replyTo: conn.owner, headers: [['expires', 'Sun, 10 Dec 2017 19:44:38 GMT']] });
  });

  it('cancel inside the tunnel gives the nested ref, endpoint local and reason cancel (Gun cancel_connect)', () => {
    rec.clear();
    const ref = conn.post('/delay?ms=200', [], { tunnel });
    conn.cancel(ref);
    expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders', 'cancel']);
    expect(rec.first('cancel')).toEqual({ streamRef: ref, replyTo: conn.owner, endpoint: 'local', reason: 'cancel' });
  });
});

describe('HTTP/2 stream events inside an HTTP/1.1 CONNECT tunnel (Gun event_SUITE *_connect with an h2 origin)', () => {
  let conn: Connection;
  let rec: EventRecorder;
  let tunnel: StreamRef;
  beforeEach(async () => {
    ({ conn, rec, tunnel } = await tunnelled({ host: HOST, port: h2Origin.port, protocols: ['http2'] }));
    rec.clear();
  });

  it('a server RST_STREAM inside the tunnel: cancel with the nested ref, endpoint remote and the code (Gun cancel_remote_connect)', async () => {
    const ref = conn.post('/reset', [], { tunnel });
    expect(await rec.waitFor('cancel')).toEqual({ streamRef: ref, replyTo: conn.owner, endpoint: 'remote', reason: 'REFUSED_STREAM' });
    expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders', 'cancel']);
  });

  it('pushPromiseStart/End name the nested ref; the promised ref is nested in the tunnel too (Gun push_promise_*_connect, HTTP/1.1 proxy)', async () => {
    const ref = conn.get('/push', [], { tunnel });
    const end = await rec.waitFor('pushPromiseEnd');
    expect(rec.first('pushPromiseStart')).toEqual({ streamRef: ref, replyTo: conn.owner });
    expect(end).toMatchObject({ streamRef: ref, replyTo: conn.owner, method: 'GET', uri: `http://${HOST}:${h2Origin.port}/pushed.txt` });
    expect(end.promisedStreamRef?.parent).toBe(tunnel);
    await drained(conn, ref);
  });
});
