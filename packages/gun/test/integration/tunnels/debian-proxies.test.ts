/**
 * The tunnels against real Debian proxies (PEERS.md): squid (HTTP/1.1 CONNECT, Basic auth),
 * danted and microsocks (SOCKS5, RFC 1929), nghttpx as an HTTP/2 forward proxy (CONNECT streams,
 * RFC 9113 §8.5) with squid behind it, and a chain client → squid → danted → nginx over TLS
 * speaking h2. Missing peers fail in CI and skip loudly elsewhere (requireProxyPeer).
 */
import { SocksErrors } from '@gunhttp/socks';
import {
  getTestPki, requirePeer, requireProxyPeer, startDanted, startHttpOrigin, startMicrosocks, startNghttpxProxy, startNginx, startSquid, systemAccountExists,
} from '@gunhttp/testkit';
import type { DebianProxy, NginxPeer, TestOrigin } from '@gunhttp/testkit';
import { GunErrors, open } from '../../../src/index.js';
import type { Connection } from '../../../src/index.js';
import { text } from '../../support/helpers.js';

const ca = getTestPki().caPem;
/** The account PEERS.md and .ci/run create for danted's RFC 1929 method (system password database). */
const SOCKS_USER = { username: 'socksuser', password: 's3cret' };
/** Peers take a second or two to start; a case does a few round trips. */
const PEER_TIMEOUT_MS = 20000;

const hasSquid = requireProxyPeer('squid') && requireProxyPeer('htpasswd');
const hasDanted = requireProxyPeer('danted');
const hasMicrosocks = requireProxyPeer('microsocks');
const hasNghttpx = requireProxyPeer('nghttpx');
const hasNginx = requirePeer('nginx');
const hasSocksUser = hasDanted && requireSocksUser();

function requireSocksUser(): boolean {
  if (systemAccountExists(SOCKS_USER.username)) return true;
  if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(`system account '${SOCKS_USER.username}' is missing: required in CI (see PEERS.md)`);
  console.warn(`\n!!! SKIPPING TESTS: system account '${SOCKS_USER.username}' is missing (see PEERS.md) !!!\n`);
  return false;
}

let conn: Connection | undefined;
let origin: TestOrigin;
/** One squid without authentication, shared by the cases that need one (it takes ~2 s to start). */
let openSquid: Promise<DebianProxy> | undefined;
const closers: Array<{ close(): Promise<void> }> = [];
beforeAll(async () => {
  origin = await startHttpOrigin();
});
afterEach(async () => {
  conn?.close();
  conn = undefined;
  await Promise.all(closers.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await origin.close();
  await (await openSquid)?.close();
});

function sharedSquid(): Promise<DebianProxy> {
  openSquid ??= startSquid();
  return openSquid;
}

async function started(p: Promise<DebianProxy>): Promise<DebianProxy> {
  const peer = await p;
  closers.push(peer);
  return peer;
}

/** GET /hello through whatever the connection leads to; resolves with the body text. */
async function hello(c: Connection, reqOpts?: Parameters<Connection['get']>[2]): Promise<string> {
  const ref = c.get('/hello', {}, reqOpts);
  expect(await c.await(ref)).toMatchObject({ type: 'response', status: 200 });
  return text((await c.awaitBody(ref)).body);
}

(hasSquid ? describe : describe.skip)('squid 5 as an HTTP/1.1 CONNECT proxy (RFC 9110 §9.3.6, RFC 7617)', () => {
  it('tunnels to the origin; the origin sees the destination as host', async () => {
    const squid = await sharedSquid();
    conn = open('127.0.0.1', squid.port, { retry: 0 });
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', fin: true, status: 200 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', protocol: 'http' });
    expect(await hello(conn, { tunnel })).toBe('Hello world!');
    expect(origin.requests.at(-1)?.headers).toContainEqual(['host', `127.0.0.1:${origin.port}`]);
    expect(conn.info().intermediaries).toEqual([{ type: 'connect', host: '127.0.0.1', port: squid.port, transport: 'tcp', protocol: 'http' }]);
  }, PEER_TIMEOUT_MS);

  it('answers 407 with a Basic challenge without credentials, and 200 with them (RFC 9110 §15.5.8)', async () => {
    const squid = await started(startSquid({ auth: { username: 'alice', password: 'wonder' } }));
    conn = open('127.0.0.1', squid.port, { retry: 0 });
    const refused = conn.connect({ host: '127.0.0.1', port: origin.port });
    const answer = await conn.await(refused);
    expect(answer).toMatchObject({ type: 'response', status: 407 });
    const challenge = answer.type === 'response' ? answer.headers.find(([n]) => n === 'proxy-authenticate')?.[1] : undefined;
    expect(challenge).toMatch(/^Basic realm="gun-test"/);
    expect(conn.info().intermediaries).toEqual([]);
    conn.close();
    conn = open('127.0.0.1', squid.port, { retry: 0 });
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port, username: 'alice', password: 'wonder' });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 200 });
    expect(await hello(conn, { tunnel })).toBe('Hello world!');
  }, PEER_TIMEOUT_MS);
});

(hasDanted ? describe : describe.skip)('danted as a SOCKS5 server (RFC 1928, RFC 1929)', () => {
  it('method 00: tunnels to the origin', async () => {
    const danted = await started(startDanted());
    conn = open('127.0.0.1', danted.port, { retry: 0, protocols: [{ socks: { host: '127.0.0.1', port: origin.port } }] });
    expect(await conn.awaitUp()).toBe('socks');
    expect(await hello(conn)).toBe('Hello world!');
    expect(conn.info().intermediaries).toEqual([{ type: 'socks5', host: '127.0.0.1', port: danted.port, transport: 'tcp', protocol: 'socks' }]);
  }, PEER_TIMEOUT_MS);

  (hasSocksUser ? it : it.skip)('username/password against the system account; a wrong password is SOCKS_ERR_AUTH_FAILED', async () => {
    const danted = await started(startDanted({ auth: SOCKS_USER }));
    conn = open('127.0.0.1', danted.port, { retry: 0, protocols: [{ socks: { host: '127.0.0.1', port: origin.port, auth: [SOCKS_USER] } }] });
    expect(await hello(conn)).toBe('Hello world!');
    conn.close();
    const wrong = { username: SOCKS_USER.username, password: 'not-it' };
    conn = open('127.0.0.1', danted.port, { retry: 0, protocols: [{ socks: { host: '127.0.0.1', port: origin.port, auth: [wrong] } }] });
    const ref = conn.get('/hello');
    await expect(conn.await(ref)).rejects.toMatchObject({ code: GunErrors.DOWN });
    const down = conn.owner.peekAll().find((m) => m.type === 'down');
    expect(down).toMatchObject({ protocol: 'socks', reason: { code: SocksErrors.AUTH_FAILED } });
    expect(down?.type === 'down' && down.killedStreams).toEqual([ref]);
  }, PEER_TIMEOUT_MS);
});

(hasSquid && hasSocksUser && hasNginx ? describe : describe.skip)('chained: client → squid → danted → nginx (TLS, h2)', () => {
  let nginx: NginxPeer | undefined;
  afterEach(async () => {
    await nginx?.stop();
    nginx = undefined;
  });

  it('CONNECT to danted, SOCKS5 with username/password to nginx, TLS through both, h2 by ALPN', async () => {
    nginx = await startNginx();
    const squid = await sharedSquid();
    const danted = await started(startDanted({ auth: SOCKS_USER }));
    conn = open('127.0.0.1', squid.port, { retry: 0 });
    const socks = { host: '127.0.0.1', port: nginx.h2Port, auth: [SOCKS_USER], transport: 'tls' as const, tlsOpts: { ca }, protocols: ['http2' as const] };
    const tunnel = conn.connect({ host: '127.0.0.1', port: danted.port, protocols: [{ socks }] });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 200 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', protocol: 'socks' });
    const ref = conn.get('/hello.txt', {}, { tunnel });
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(ref)).body)).toBe('Hello world!\n');
    expect(conn.info()).toMatchObject({ originScheme: 'https', originPort: nginx.h2Port, transport: 'tls', protocol: 'http2' });
    expect(conn.info().intermediaries).toEqual([
      { type: 'connect', host: '127.0.0.1', port: squid.port, transport: 'tcp', protocol: 'http' },
      { type: 'socks5', host: '127.0.0.1', port: danted.port, transport: 'tcp', protocol: 'socks' },
    ]);
  }, PEER_TIMEOUT_MS);
});

(hasSquid && hasNghttpx ? describe : describe.skip)('chained: client → nghttpx (HTTP/2 CONNECT) → squid → origin', () => {
  it.each([['h2c', false], ['h2 over TLS', true]] as const)('%s: the CONNECT stream is relayed to squid; requests in the tunnel reach the origin while the connection serves others', async (_label, tls) => {
    const squid = await sharedSquid();
    const nghttpx = await started(startNghttpxProxy({ tls, backendPort: squid.port }));
    conn = open('127.0.0.1', nghttpx.port, { retry: 0, protocols: ['http2'], ...(tls ? { transport: 'tls' as const, tlsOpts: { ca } } : {}) });
    expect(await conn.awaitUp()).toBe('http2');
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', fin: true, status: 200 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', streamRef: tunnel, protocol: 'http' });
    const [a, b] = await Promise.all([hello(conn, { tunnel }), hello(conn, { tunnel })]);
    expect([a, b]).toEqual(['Hello world!', 'Hello world!']);
    expect(origin.requests.at(-1)?.headers).toContainEqual(['host', `127.0.0.1:${origin.port}`]);
    expect(conn.streamInfo(tunnel)?.tunnel).toEqual({ transport: 'tcp', protocol: 'http', originScheme: 'http', originHost: '127.0.0.1', originPort: origin.port });
  }, PEER_TIMEOUT_MS);

  it('squid asking for credentials: its 407 comes back as the CONNECT stream\'s response; a request naming it gets TUNNEL_ERR_NOT_A_TUNNEL', async () => {
    const squid = await started(startSquid({ auth: { username: 'alice', password: 'wonder' } }));
    const nghttpx = await started(startNghttpxProxy({ backendPort: squid.port }));
    conn = open('127.0.0.1', nghttpx.port, { retry: 0, protocols: ['http2'] });
    await conn.awaitUp();
    const refused = conn.connect({ host: '127.0.0.1', port: origin.port });
    expect(await conn.await(refused)).toMatchObject({ type: 'response', status: 407 });
    await expect(conn.await(conn.get('/hello', {}, { tunnel: refused }))).rejects.toMatchObject({ cause: { code: 'TUNNEL_ERR_NOT_A_TUNNEL' } });
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port, username: 'alice', password: 'wonder' });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 200 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', protocol: 'http' });
    expect(await hello(conn, { tunnel })).toBe('Hello world!');
  }, PEER_TIMEOUT_MS);
});

(hasMicrosocks ? describe : describe.skip)('microsocks as a SOCKS5 server (RFC 1928, RFC 1929)', () => {
  it('method 00: tunnels to the origin', async () => {
    const ms = await started(startMicrosocks());
    conn = open('127.0.0.1', ms.port, { retry: 0, protocols: [{ socks: { host: '127.0.0.1', port: origin.port } }] });
    expect(await hello(conn)).toBe('Hello world!');
    expect(conn.info().intermediaries.map((i) => [i.type, i.port])).toEqual([['socks5', ms.port]]);
  }, PEER_TIMEOUT_MS);

  it('username/password; offering only method 00 to it is SOCKS_ERR_NO_ACCEPTABLE_METHODS (RFC 1928 §3)', async () => {
    const auth = { username: 'bob', password: 'builder' };
    const ms = await started(startMicrosocks({ auth }));
    conn = open('127.0.0.1', ms.port, { retry: 0, protocols: [{ socks: { host: '127.0.0.1', port: origin.port, auth: [auth] } }] });
    expect(await hello(conn)).toBe('Hello world!');
    conn.close();
    conn = open('127.0.0.1', ms.port, { retry: 0, protocols: [{ socks: { host: '127.0.0.1', port: origin.port } }] });
    const ref = conn.get('/hello');
    await expect(conn.await(ref)).rejects.toMatchObject({ code: GunErrors.DOWN });
    expect(conn.owner.peekAll().find((m) => m.type === 'down')).toMatchObject({ reason: { code: SocksErrors.NO_ACCEPTABLE_METHODS } });
  }, PEER_TIMEOUT_MS);
});
