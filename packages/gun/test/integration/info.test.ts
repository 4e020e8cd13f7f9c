import { CookieStore } from '@gunhttp/cookies';
import { getTestPki, startConnectProxy, startHttpOrigin, startRawEchoOrigin, startRawOrigin } from '@gunhttp/testkit';
import { Mailbox, open } from '../../src/index.js';
import type { ConnMessage, Connection, GunEventHandler } from '../../src/index.js';
import { closedPort } from './shutdown/servers.js';
import { closedAfterEach } from '../support/helpers.js';

/*
 * `info()` key by key (Gun's `gun:info/1`): owner, socket, transport, stateName, originScheme
 * (undefined for raw and socks), originHost, originPort, intermediaries, cookieStore,
 * eventHandler; sockIp/sockPort with a socket; protocol while one runs.
 */

const conns: Connection[] = [];
const started = closedAfterEach(() => {
  for (const c of conns.splice(0)) c.close();
});
function track(conn: Connection): Connection {
  conns.push(conn);
  return conn;
}

describe('info() (Gun gun:info/1)', () => {
  it('before a socket: owner, state, origin, transport, no socket, no sockIp/sockPort, no protocol', async () => {
    const owner = new Mailbox<ConnMessage>();
    const port = await closedPort();
    const conn = track(open('127.0.0.1', port, { owner, retry: 5, retryTimeout: 60000 }));
    const info = conn.info();
    expect(info).toMatchObject({
      owner, socket: undefined, transport: 'tcp', originScheme: 'http', originHost: '127.0.0.1', originPort: port,
      intermediaries: [], cookieStore: undefined, eventHandler: undefined,
    });
    expect(['domainLookup', 'connecting', 'notConnected']).toContain(info.stateName);
    expect(info).not.toHaveProperty('sockIp');
    expect(info).not.toHaveProperty('sockPort');
    expect(info).not.toHaveProperty('protocol');
  });

  it('connected over TCP: the socket, its local address as sockIp/sockPort, protocol http, state connected', async () => {
    const origin = await started(startHttpOrigin());
    const conn = track(open('127.0.0.1', origin.port, { retry: 0 }));
    await conn.awaitUp();
    const info = conn.info();
    expect(info.owner).toBe(conn.owner);
    expect(info.socket).toBeDefined();
    expect(info).toMatchObject({
      transport: 'tcp', stateName: 'connected', originScheme: 'http', originHost: '127.0.0.1', originPort: origin.port,
      protocol: 'http', sockIp: '127.0.0.1', sockPort: info.socket!.localPort, intermediaries: [],
    });
    expect(info.sockPort).toBeGreaterThan(0);
    expect(info.sockPort).not.toBe(origin.port);
  });

  it('over TLS: transport tls and originScheme https', async () => {
    const origin = await started(startHttpOrigin({ tls: true }));
    const conn = track(open('127.0.0.1', origin.port, { retry: 0, transport: 'tls', tlsOpts: { ca: getTestPki().ca.certPem } }));
    await conn.awaitUp();
    expect(conn.info()).toMatchObject({ transport: 'tls', originScheme: 'https', protocol: 'http', sockIp: '127.0.0.1' });
  });

  it('cookieStore: the store given, a store made for true, undefined without cookies', async () => {
    const port = await closedPort();
    const store = new CookieStore();
    expect(track(open('127.0.0.1', port, { cookieStore: store, retry: 0 })).info().cookieStore).toBe(store);
    expect(track(open('127.0.0.1', port, { cookieStore: true, retry: 0 })).info().cookieStore).toBeInstanceOf(CookieStore);
    expect(track(open('127.0.0.1', port, { retry: 0 })).info().cookieStore).toBeUndefined();
  });

  it('eventHandler: the handler given', async () => {
    const handler: GunEventHandler = { init: () => undefined };
    const conn = track(open('127.0.0.1', await closedPort(), { eventHandler: handler, retry: 0 }));
    expect(conn.info().eventHandler).toBe(handler);
  });

  it('owner: the mailbox made when none is given', async () => {
    const conn = track(open('127.0.0.1', await closedPort(), { retry: 0 }));
    expect(conn.info().owner).toBeInstanceOf(Mailbox);
    expect(conn.info().owner).toBe(conn.owner);
  });

  it('raw behind CONNECT: protocol raw and originScheme undefined (Gun raw_SUITE), the proxy as intermediary', async () => {
    const origin = await started(startRawEchoOrigin());
    const proxy = await started(startConnectProxy());
    const conn = track(open('127.0.0.1', proxy.port, { retry: 0 }));
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port, protocols: ['raw'] });
    await conn.await(tunnel);
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', protocol: 'raw' });
    expect(conn.info()).toMatchObject({ protocol: 'raw', originScheme: undefined, originHost: '127.0.0.1', originPort: origin.port, transport: 'tcp' });
    expect(conn.info().intermediaries).toEqual([{ type: 'connect', host: '127.0.0.1', port: proxy.port, transport: 'tcp', protocol: 'http' }]);
  });

  it('during a SOCKS handshake: protocol socks and originScheme undefined', async () => {
    const silent = await started(startRawOrigin(() => undefined));
    const conn = track(open('127.0.0.1', silent.port, { retry: 0, protocols: [{ socks: { host: '127.0.0.1', port: 9 } }] }));
    expect(await conn.awaitUp()).toBe('socks');
    expect(conn.info()).toMatchObject({ protocol: 'socks', originScheme: undefined, originHost: '127.0.0.1', originPort: silent.port, intermediaries: [] });
  });

  it('after the end: state terminated, no socket, no protocol, no sockIp', async () => {
    const origin = await started(startHttpOrigin());
    const conn = track(open('127.0.0.1', origin.port, { retry: 0 }));
    await conn.awaitUp();
    conn.shutdown();
    await conn.terminated;
    const info = conn.info();
    expect(info).toMatchObject({ stateName: 'terminated', socket: undefined });
    expect(info).not.toHaveProperty('protocol');
    expect(info).not.toHaveProperty('sockIp');
  });
});
