import type * as net from 'node:net';
import { StreamRef, latin1Decode } from '@gunhttp/core';
import { SocksErrors } from '@gunhttp/socks';
import { startHttpOrigin } from '@gunhttp/testkit';
import type { TestOrigin } from '@gunhttp/testkit';
import { SocksLayer } from '../../src/index.js';
import type { RequestCommand, SocksDestination } from '../../src/index.js';
import { startSocksServer } from './proxies.js';
import type { TestProxy } from './proxies.js';
import { SocketDriver, connectSocket } from './stack-driver.js';
import { TunnelClient } from './tunnel-client.js';

/*
 * SOCKS5 as the connection's first protocol (RFC 1928, RFC 1929; Gun §5.13) against a node:net
 * SOCKS5 server on 127.0.0.1, then HTTP/1.1 to the testkit origin.
 */

const ME = 'me';
let origin: TestOrigin;
let open: TestProxy;
let withUsers: TestProxy;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  [origin, open, withUsers] = await Promise.all([startHttpOrigin(), startSocksServer(), startSocksServer({ users: { user: 'secret' } })]);
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([origin.close(), open.close(), withUsers.close()]);
});

async function socksTo(server: TestProxy, destination: SocksDestination): Promise<{ d: SocketDriver; client: TunnelClient }> {
  const layer = new SocksLayer({ destination, conn: 'c', replyTo: ME });
  const client = new TunnelClient(layer);
  const d = new SocketDriver(await connectSocket(server.port, sockets), client);
  d.apply(layer.start());
  return { d, client };
}

function get(path: string): RequestCommand {
  return { type: 'request', streamRef: new StreamRef(), replyTo: ME, method: 'GET', path, headers: [], body: new Uint8Array(0), function: 'request' };
}

async function body(d: SocketDriver, ref: StreamRef): Promise<string> {
  await d.next(ref, (m) => m.type === 'data' && m.fin);
  return d.of(ref).flatMap((m) => (m.type === 'data' ? [latin1Decode(m.data)] : [])).join('');
}

describe('SOCKS5 through a node:net server', () => {
  it('no authentication: the request made during the handshake is held and answered by the origin', async () => {
    const { d, client } = await socksTo(open, { host: '127.0.0.1', port: origin.port });
    const req = get('/hello');
    d.command(req);
    expect(await body(d, req.streamRef)).toBe('Hello world!');
    expect(client.hops).toEqual([expect.objectContaining({ via: 'socks5', streamRef: undefined, replyTo: ME })]);
    expect(open.seen.at(-1)).toMatchObject({ target: `SOCKS 127.0.0.1:${origin.port}`, method: 0 });
    expect(origin.requests.at(-1)?.headers).toContainEqual(['host', `127.0.0.1:${origin.port}`]);
  });

  it('username/password (RFC 1929) when the server asks for it', async () => {
    const auth: SocksDestination['auth'] = ['none', { username: 'user', password: 'secret' }];
    const { d } = await socksTo(withUsers, { host: '127.0.0.1', port: origin.port, auth });
    const req = get('/hello');
    d.command(req);
    expect(await body(d, req.streamRef)).toBe('Hello world!');
    expect(withUsers.seen.at(-1)).toMatchObject({ method: 2, headers: { user: 'user' } });
  });

  it('a refused CONNECT closes with the named reply error, and down kills the held request', async () => {
    const { d, client } = await socksTo(open, { host: 'refuse.example', port: 80 });
    const req = get('/hello');
    d.command(req);
    await d.until(() => d.directives.length > 0);
    expect(d.directives).toEqual([{ type: 'close', reason: expect.objectContaining({ code: SocksErrors.NOT_ALLOWED, socksReply: 2 }) }]);
    expect(client.hops).toEqual([]);
    expect(d.deliveries).toEqual([]);
  });

  it('wrong credentials close with SOCKS_ERR_AUTH_FAILED', async () => {
    const { d } = await socksTo(withUsers, { host: '127.0.0.1', port: origin.port, auth: [{ username: 'user', password: 'nope' }] });
    await d.until(() => d.directives.length > 0);
    expect(d.directives).toEqual([{ type: 'close', reason: expect.objectContaining({ code: SocksErrors.AUTH_FAILED }) }]);
  });
});
