import { getTestPki, startConnectProxy, startHttp2Origin, startHttpOrigin, startRawEchoOrigin, startSocks5Server } from '@gunhttp/testkit';
import { GunErrors, open } from '../../../src/index.js';
import type { Connection } from '../../../src/index.js';
import { closedAfterEach, recordEvents, text } from '../../support/helpers.js';

const ca = getTestPki().caPem;
let conn: Connection | undefined;
const started = closedAfterEach(() => {
  conn?.close();
  conn = undefined;
});

describe('CONNECT over HTTP/1.1, connection-wide (Gun §5.12; RFC 9110 §9.3.6)', () => {
  it('http proxy → http origin: response fin, tunnelUp, then requests reach the origin with its host', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startConnectProxy());
    const { handler, names } = recordEvents();
    conn = open('127.0.0.1', proxy.port, { retry: 0, eventHandler: handler });
    expect(await conn.awaitUp()).toBe('http');
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', fin: true, status: 200 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', protocol: 'http' });
    const ref = conn.get('/hello', {}, { tunnel });
    expect(ref.parent).toBe(tunnel);
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    const res = await conn.awaitBody(ref);
    expect(text(res.body)).toBe('Hello world!');
    expect(proxy.records.map((r) => r.target)).toEqual([`127.0.0.1:${origin.port}`]);
    expect(origin.requests[0]?.headers).toContainEqual(['host', `127.0.0.1:${origin.port}`]);
    expect(names.filter((n) => n === 'originChanged' || n === 'protocolChanged')).toEqual(['originChanged', 'protocolChanged']);
    const info = conn.info();
    expect(info).toMatchObject({ originScheme: 'http', originHost: '127.0.0.1', originPort: origin.port, transport: 'tcp', protocol: 'http' });
    expect(info.intermediaries).toEqual([{ type: 'connect', host: '127.0.0.1', port: proxy.port, transport: 'tcp', protocol: 'http' }]);
  });

  it('https proxy → https origin speaking h2: TLS over TLS, ALPN inside the tunnel (Gun §5.14)', async () => {
    const origin = await started(startHttp2Origin({ tls: true }));
    const proxy = await started(startConnectProxy({ tls: true }));
    conn = open('127.0.0.1', proxy.port, { retry: 0, transport: 'tls', tlsOpts: { ca }, protocols: ['http'] });
    await conn.awaitUp();
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port, transport: 'tls', protocols: ['http2'], tlsOpts: { ca } });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 200 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', protocol: 'http2' });
    const res = await conn.awaitBody(conn.get('/hello', {}, { tunnel }));
    expect(text(res.body)).toBe('Hello world!');
    expect(conn.info()).toMatchObject({ originScheme: 'https', transport: 'tls', protocol: 'http2' });
    expect(conn.info().intermediaries).toEqual([{ type: 'connect', host: '127.0.0.1', port: proxy.port, transport: 'tls', protocol: 'http' }]);
  });

  it('two CONNECT hops: http proxy → https proxy → http origin', async () => {
    const origin = await started(startHttpOrigin());
    const first = await started(startConnectProxy());
    const second = await started(startConnectProxy({ tls: true }));
    conn = open('127.0.0.1', first.port, { retry: 0 });
    await conn.awaitUp();
    const t1 = conn.connect({ host: '127.0.0.1', port: second.port, transport: 'tls', tlsOpts: { ca } });
    expect(await conn.await(t1)).toMatchObject({ type: 'response', status: 200 });
    expect(await conn.await(t1)).toMatchObject({ type: 'tunnelUp', protocol: 'http' });
    const t2 = conn.connect({ host: '127.0.0.1', port: origin.port }, {}, { tunnel: t1 });
    expect(await conn.await(t2)).toMatchObject({ type: 'response', status: 200 });
    expect(await conn.await(t2)).toMatchObject({ type: 'tunnelUp', protocol: 'http' });
    const res = await conn.awaitBody(conn.get('/hello', {}, { tunnel: t2 }));
    expect(text(res.body)).toBe('Hello world!');
    expect(first.records[0]?.target).toBe(`127.0.0.1:${second.port}`);
    expect(second.records[0]?.target).toBe(`127.0.0.1:${origin.port}`);
    expect(conn.info().intermediaries.map((i) => [i.port, i.transport])).toEqual([[first.port, 'tcp'], [second.port, 'tls']]);
  });

  it('requests made before the answer are held and sent through the tunnel (Gun postpones them)', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startConnectProxy({ delayMs: 30 }));
    conn = open('127.0.0.1', proxy.port, { retry: 0 });
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port, transport: 'tcp' });
    const ref = conn.get('/hello', {}, { tunnel });
    expect(text((await conn.awaitBody(ref)).body)).toBe('Hello world!');
    expect(origin.requests).toHaveLength(1);
  });

  it('raw behind CONNECT: bytes both ways on the CONNECT ref (Gun §5.16)', async () => {
    const origin = await started(startRawEchoOrigin());
    const proxy = await started(startConnectProxy());
    conn = open('127.0.0.1', proxy.port, { retry: 0 });
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port, protocols: ['raw'] });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 200 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', protocol: 'raw' });
    conn.data(tunnel, false, 'ping?');
    expect(await conn.await(tunnel)).toMatchObject({ type: 'data', fin: false });
    expect(origin.received().toString()).toBe('ping?');
    expect(conn.info().protocol).toBe('raw');
  });

  it('a 407 is a plain response; the connection still speaks to the proxy', async () => {
    const proxy = await started(startConnectProxy({ auth: { username: 'u', password: 'p' } }));
    conn = open('127.0.0.1', proxy.port, { retry: 0 });
    const tunnel = conn.connect({ host: '127.0.0.1', port: 9 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 407 });
    expect(conn.info().intermediaries).toEqual([]);
    expect(conn.info().originPort).toBe(proxy.port);
  });

  it('username and password become proxy-authorization: Basic (RFC 7617 §2)', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startConnectProxy({ auth: { username: 'alice', password: 'sésame' } }));
    conn = open('127.0.0.1', proxy.port, { retry: 0 });
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port, username: 'alice', password: 'sésame' });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 200 });
    expect(proxy.records[0]?.credentials).toEqual({ username: 'alice', password: 'sésame' });
  });

  it('a TLS failure inside the tunnel brings the connection down with the handshake error, killing held streams', async () => {
    const origin = await started(startHttpOrigin({ tls: true }));
    const proxy = await started(startConnectProxy());
    conn = open('127.0.0.1', proxy.port, { retry: 0 });
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port, transport: 'tls' });
    const ref = conn.get('/hello', {}, { tunnel });
    await expect(conn.await(ref)).rejects.toMatchObject({ code: GunErrors.DOWN });
    const down = conn.owner.peekAll().find((m) => m.type === 'down');
    expect(down).toMatchObject({ reason: { code: GunErrors.TLS_HANDSHAKE } });
    expect(down?.type === 'down' && down.killedStreams).toEqual([ref]);
  });

  it('rejects a bad destination with GUN_ERR_INVALID_OPTION', async () => {
    const proxy = await started(startConnectProxy());
    conn = open('127.0.0.1', proxy.port, { retry: 0 });
    expect(() => conn!.connect({ host: '', port: 80 })).toThrow(expect.objectContaining({ code: GunErrors.INVALID_OPTION }));
    expect(() => conn!.connect({ host: 'a', port: 0 })).toThrow(expect.objectContaining({ code: GunErrors.INVALID_OPTION }));
    expect(() => conn!.connect({ host: 'a', port: 1, protocols: ['gopher' as never] })).toThrow(expect.objectContaining({ code: GunErrors.INVALID_OPTION }));
  });
});

describe('SOCKS5 as a protocol (Gun §5.13; RFC 1928, RFC 1929)', () => {
  it('up socks, then tunnelUp with no ref, then plain requests reach the origin', async () => {
    const origin = await started(startHttpOrigin());
    const socks = await started(startSocks5Server());
    conn = open('127.0.0.1', socks.port, { retry: 0, protocols: [{ socks: { host: '127.0.0.1', port: origin.port } }] });
    expect(await conn.awaitUp()).toBe('socks');
    const ref = conn.get('/hello');
    expect(text((await conn.awaitBody(ref)).body)).toBe('Hello world!');
    expect(conn.owner.peekAll()).toContainEqual(expect.objectContaining({ type: 'tunnelUp', streamRef: undefined, protocol: 'http' }));
    expect(conn.info().intermediaries).toEqual([{ type: 'socks5', host: '127.0.0.1', port: socks.port, transport: 'tcp', protocol: 'socks' }]);
    expect(socks.records[0]?.socks?.addressType).toBe('ipv4');
  });

  it('secure SOCKS with username/password → https origin: TLS over TLS', async () => {
    const origin = await started(startHttpOrigin({ tls: true }));
    const socks = await started(startSocks5Server({ tls: true, auth: { username: 'u', password: 'p' } }));
    const socksOpts = { host: '127.0.0.1', port: origin.port, auth: [{ username: 'u', password: 'p' }], transport: 'tls' as const, tlsOpts: { ca } };
    conn = open('127.0.0.1', socks.port, { retry: 0, transport: 'tls', tlsOpts: { ca }, protocols: [{ socks: socksOpts }] });
    expect(await conn.awaitUp()).toBe('socks');
    const res = await conn.awaitBody(conn.get('/hello'));
    expect(text(res.body)).toBe('Hello world!');
    expect(conn.info()).toMatchObject({ originScheme: 'https', originPort: origin.port });
  });

  it('http proxy → SOCKS5 → origin: a CONNECT whose destination speaks socks', async () => {
    const origin = await started(startHttpOrigin());
    const socks = await started(startSocks5Server());
    const proxy = await started(startConnectProxy());
    conn = open('127.0.0.1', proxy.port, { retry: 0 });
    const tunnel = conn.connect({ host: '127.0.0.1', port: socks.port, protocols: [{ socks: { host: '127.0.0.1', port: origin.port } }] });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 200 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', protocol: 'socks' });
    const res = await conn.awaitBody(conn.get('/hello', {}, { tunnel }));
    expect(text(res.body)).toBe('Hello world!');
    // The SOCKS hop runs in the CONNECT's tunnel: its tunnelUp carries the CONNECT's ref (Gun's gun_socks stream_ref).
    expect(conn.owner.peekAll()).toContainEqual(expect.objectContaining({ type: 'tunnelUp', streamRef: tunnel, protocol: 'http' }));
    expect(conn.info().intermediaries.map((i) => i.type)).toEqual(['connect', 'socks5']);
  });

  it('a SOCKS refusal (REP 05) brings the connection down with a named error', async () => {
    const socks = await started(startSocks5Server({ replyCode: 5 }));
    conn = open('127.0.0.1', socks.port, { retry: 0, protocols: [{ socks: { host: '127.0.0.1', port: 9 } }] });
    await conn.awaitUp();
    const ref = conn.get('/');
    await expect(conn.await(ref)).rejects.toMatchObject({ code: GunErrors.DOWN });
    const down = conn.owner.peekAll().find((m) => m.type === 'down');
    expect(down).toMatchObject({ protocol: 'socks', reason: { socksReply: 5 } });
    expect(down?.type === 'down' && down.killedStreams).toEqual([ref]);
  });
});
