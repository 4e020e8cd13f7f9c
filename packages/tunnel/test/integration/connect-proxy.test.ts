import type * as net from 'node:net';
import { StreamRef, latin1Decode } from '@gunhttp/core';
import type { GunMessage } from '@gunhttp/core';
import { startHttpOrigin } from '@gunhttp/testkit';
import type { TestOrigin } from '@gunhttp/testkit';
import { Http1Layer } from '../../src/index.js';
import type { ConnectCommand, Destination, RequestCommand } from '../../src/index.js';
import { startConnectProxy, startSocksServer } from './proxies.js';
import type { TestProxy } from './proxies.js';
import { SocketDriver, connectSocket } from './stack-driver.js';
import { TunnelClient } from './tunnel-client.js';

/*
 * CONNECT over HTTP/1.1 (RFC 9110 §9.3.6; Gun §5.12) through a node:http `connect` proxy on
 * 127.0.0.1: the Http1Layer's `tunnel` directive, played by a small client, leads the connection
 * to the testkit origin (or to a SOCKS5 server, then the origin).
 */

const ME = 'me';
let origin: TestOrigin;
let proxy: TestProxy;
let authProxy: TestProxy;
let socks: TestProxy;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  [origin, proxy, authProxy, socks] = await Promise.all([
    startHttpOrigin(), startConnectProxy(), startConnectProxy({ auth: 'Basic dXNlcjpwYXNz' }), startSocksServer(),
  ]);
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([origin.close(), proxy.close(), authProxy.close(), socks.close()]);
});

async function through(p: TestProxy): Promise<{ d: SocketDriver; client: TunnelClient }> {
  const client = new TunnelClient(new Http1Layer({ authority: `127.0.0.1:${p.port}`, conn: 'c' }));
  return { d: new SocketDriver(await connectSocket(p.port, sockets), client), client };
}

function connect(destination: Destination): ConnectCommand {
  return { type: 'connect', streamRef: new StreamRef(), replyTo: ME, destination, headers: [] };
}

function get(path: string, tunnel?: StreamRef): RequestCommand {
  return { type: 'request', streamRef: new StreamRef(tunnel), replyTo: ME, method: 'GET', path, headers: [], body: new Uint8Array(0), function: 'request' };
}

async function body(d: SocketDriver, ref: StreamRef): Promise<string> {
  await d.next(ref, (m) => m.type === 'data' && m.fin);
  return d.of(ref).flatMap((m) => (m.type === 'data' ? [latin1Decode(m.data)] : [])).join('');
}

const isResponse = (m: GunMessage): boolean => m.type === 'response';

describe('CONNECT through a node:http proxy', () => {
  it('a 200 tunnels the connection: a GET then reaches the origin with the destination as host', async () => {
    const { d, client } = await through(proxy);
    const tunnel = connect({ host: '127.0.0.1', port: origin.port });
    d.command(tunnel);
    expect(await d.next(tunnel.streamRef, isResponse)).toMatchObject({ status: 200, fin: true });
    expect(client.hops).toEqual([expect.objectContaining({ via: 'connect', streamRef: tunnel.streamRef })]);
    const req = get('/hello', tunnel.streamRef);
    d.command(req);
    expect(await body(d, req.streamRef)).toBe('Hello world!');
    expect(proxy.seen.at(-1)).toMatchObject({ target: `CONNECT 127.0.0.1:${origin.port}`, headers: { host: `127.0.0.1:${origin.port}` } });
    expect(origin.requests.at(-1)?.headers).toContainEqual(['host', `127.0.0.1:${origin.port}`]);
  });

  it('a GET made before the 200 is held and goes to the origin, not the proxy (Gun queues it)', async () => {
    const { d } = await through(proxy);
    const tunnel = connect({ host: '127.0.0.1', port: origin.port });
    const req = get('/hello', tunnel.streamRef);
    d.command(tunnel);
    d.command(req);
    expect(await body(d, req.streamRef)).toBe('Hello world!');
  });

  it('username and password reach the proxy as proxy-authorization Basic', async () => {
    const { d } = await through(authProxy);
    const tunnel = connect({ host: '127.0.0.1', port: origin.port, username: 'user', password: 'pass' });
    d.command(tunnel);
    expect(await d.next(tunnel.streamRef, isResponse)).toMatchObject({ status: 200 });
    expect(authProxy.seen.at(-1)?.headers['proxy-authorization']).toBe('Basic dXNlcjpwYXNz');
  });

  it('a 407 is a plain response and the proxy closes: no tunnel, down is normal', async () => {
    const { d, client } = await through(authProxy);
    const tunnel = connect({ host: '127.0.0.1', port: origin.port, username: 'user', password: 'wrong' });
    d.command(tunnel);
    expect(await d.next(tunnel.streamRef, isResponse)).toMatchObject({ status: 407, fin: true });
    await d.until(() => d.directives.some((x) => x.type === 'close'));
    expect(client.hops).toEqual([]);
    expect(d.directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('a 403 is a plain response; the connection stays HTTP to the proxy and runs the held request there', async () => {
    const { d, client } = await through(proxy);
    const tunnel = connect({ host: 'deny.example', port: 80 });
    const req = get('/after');
    d.command(tunnel);
    d.command(req);
    expect(await body(d, tunnel.streamRef)).toBe('denied');
    expect(await body(d, req.streamRef)).toBe('proxy');
    expect(client.hops).toEqual([]);
    expect(client.protocol).toBe('http');
  });

  it('CONNECT to a SOCKS5 server, then SOCKS to the origin: the GET goes through both hops', async () => {
    const { d, client } = await through(proxy);
    const tunnel = connect({ host: '127.0.0.1', port: socks.port, protocols: [{ socks: { host: '127.0.0.1', port: origin.port } }] });
    const req = get('/hello', tunnel.streamRef);
    d.command(tunnel);
    d.command(req);
    expect(await body(d, req.streamRef)).toBe('Hello world!');
    expect(client.hops.map((h) => h.via)).toEqual(['connect', 'socks5']);
    expect(proxy.seen.at(-1)?.target).toBe(`CONNECT 127.0.0.1:${socks.port}`);
    expect(socks.seen.at(-1)?.target).toBe(`SOCKS 127.0.0.1:${origin.port}`);
  });
});
