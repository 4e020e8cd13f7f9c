/**
 * What a hop's destination speaks when it names no `protocols` (Gun §2.5, §2.8: gun_http's
 * CONNECT and gun_socks default to `[http2, http]` over TLS, ALPN choosing, and `[http]` over
 * TCP), through an HTTP/2 CONNECT, an HTTP/1.1 CONNECT and a SOCKS5 hop.
 */
import { getTestPki, startConnectProxy, startH2ConnectProxy, startHttp2Origin, startHttpOrigin, startSocks5Server } from '@gunhttp/testkit';
import { open } from '../../../src/index.js';
import type { Connection, ConnectDestination, GunOptions, StreamRef } from '../../../src/index.js';
import { closedAfterEach, recordEvents, text } from '../../support/helpers.js';

const ca = getTestPki().caPem;
const HOST = '127.0.0.1';
let conn: Connection | undefined;
const started = closedAfterEach(() => {
  conn?.close();
  conn = undefined;
});

async function connected(port: number, options: GunOptions): Promise<Connection> {
  const c = open(HOST, port, { retry: 0, ...options });
  await c.awaitUp();
  return c;
}

/** A CONNECT answered 200; resolves with its ref and the protocol its tunnelUp announced. */
async function tunnelTo(c: Connection, destination: ConnectDestination): Promise<{ tunnel: StreamRef; protocol: string }> {
  const tunnel = c.connect(destination);
  expect(await c.await(tunnel)).toMatchObject({ type: 'response', fin: true, status: 200 });
  const up = await c.await(tunnel);
  if (up.type !== 'tunnelUp') throw new Error(`expected tunnelUp, got ${up.type}`);
  return { tunnel, protocol: up.protocol };
}

async function hello(c: Connection, tunnel?: StreamRef): Promise<string> {
  return text((await c.awaitBody(c.get('/hello', {}, tunnel === undefined ? undefined : { tunnel }))).body);
}

const tlsTo = (port: number): ConnectDestination => ({ host: HOST, port, transport: 'tls', tlsOpts: { ca } });

describe('a TLS destination without protocols offers h2 and http/1.1 by ALPN (Gun connect_destination, socks_opts)', () => {
  it('HTTP/2 CONNECT to an h2 origin: ALPN picks h2, tunnelUp says http2', async () => {
    const origin = await started(startHttp2Origin({ tls: true }));
    const proxy = await started(startH2ConnectProxy());
    const { handler, events } = recordEvents();
    conn = await connected(proxy.port, { protocols: ['http2'], eventHandler: handler });
    const { tunnel, protocol } = await tunnelTo(conn, tlsTo(origin.port));
    expect(protocol).toBe('http2');
    expect(await hello(conn, tunnel)).toBe('Hello world!');
    const start = events.find((e) => e.name === 'tlsHandshakeStart' && (e.event as { streamRef?: unknown }).streamRef === tunnel);
    expect(start?.event).toMatchObject({ tlsOpts: { ALPNProtocols: ['h2', 'http/1.1'] } });
  });

  it('HTTP/1.1 CONNECT to an h2 origin: the whole connection speaks http2 after the hop', async () => {
    const origin = await started(startHttp2Origin({ tls: true }));
    const proxy = await started(startConnectProxy());
    conn = await connected(proxy.port, {});
    const { tunnel, protocol } = await tunnelTo(conn, tlsTo(origin.port));
    expect(protocol).toBe('http2');
    expect(await hello(conn, tunnel)).toBe('Hello world!');
    expect(conn.info().protocol).toBe('http2');
  });

  it('SOCKS5 to an h2 origin: tunnelUp says http2', async () => {
    const origin = await started(startHttp2Origin({ tls: true }));
    const socks = await started(startSocks5Server());
    conn = await connected(socks.port, { protocols: [{ socks: { host: HOST, port: origin.port, transport: 'tls', tlsOpts: { ca } } }] });
    const up = await conn.owner.receive((m) => m.type === 'tunnelUp', { timeout: 5000 });
    expect(up).toMatchObject({ type: 'tunnelUp', protocol: 'http2' });
    expect(await hello(conn)).toBe('Hello world!');
  });

  it('an origin that selects http/1.1 by ALPN: the tunnel speaks http', async () => {
    const origin = await started(startHttpOrigin({ tls: true }));
    const proxy = await started(startH2ConnectProxy());
    conn = await connected(proxy.port, { protocols: ['http2'] });
    const { tunnel, protocol } = await tunnelTo(conn, tlsTo(origin.port));
    expect(protocol).toBe('http');
    expect(await hello(conn, tunnel)).toBe('Hello world!');
  });

  it('a TCP destination without protocols still speaks http (no ALPN to choose)', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startH2ConnectProxy());
    conn = await connected(proxy.port, { protocols: ['http2'] });
    const { tunnel, protocol } = await tunnelTo(conn, { host: HOST, port: origin.port });
    expect(protocol).toBe('http');
    expect(await hello(conn, tunnel)).toBe('Hello world!');
  });
});
