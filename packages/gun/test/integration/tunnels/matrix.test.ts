/**
 * Gun's tunnel_SUITE (inventory §6.16): proxy1 × proxy2 ∈ {http, https, h2c, h2, socks5,
 * socks5tls} × origin ∈ {http, https, h2c, h2, raw, rawtls} (216 cases), plus a sample of
 * three-hop chains. Servers start once for the file; each case opens its own connection.
 */
import { startConnectProxy, startH2ConnectProxy, startHttp2Origin, startHttpOrigin, startRawEchoOrigin, startSocks5Server } from '@gunhttp/testkit';
import type { Http2Origin, RawOrigin, TestOrigin, TestProxy } from '@gunhttp/testkit';
import type { Connection } from '../../../src/index.js';
import { text } from '../../support/helpers.js';
import { ORIGIN_KINDS, PROXY_KINDS, expectedIntermediaries, expectedOrigin, expectedPath, openChain, readRaw, targetAfter } from './chain.js';
import type { OriginKind, OriginNode, ProxyKind, ProxyNode } from './chain.js';

/** Three sets of proxies, so each hop of a chain is a distinct server with its own records. */
const SETS = 3;
let proxySets: Array<Record<ProxyKind, TestProxy>> = [];
let origins: { http: TestOrigin; https: TestOrigin; h2c: Http2Origin; h2: Http2Origin; raw: RawOrigin; rawtls: RawOrigin } | undefined;
let conn: Connection | undefined;

function startProxy(kind: ProxyKind): Promise<TestProxy> {
  switch (kind) {
    case 'http':
      return startConnectProxy();
    case 'https':
      return startConnectProxy({ tls: true });
    case 'h2c':
      return startH2ConnectProxy();
    case 'h2':
      return startH2ConnectProxy({ tls: true });
    case 'socks5':
      return startSocks5Server();
    case 'socks5tls':
      return startSocks5Server({ tls: true });
  }
}

async function startSet(): Promise<Record<ProxyKind, TestProxy>> {
  const [http, https, h2c, h2, socks5, socks5tls] = await Promise.all(PROXY_KINDS.map(startProxy));
  return { http: http!, https: https!, h2c: h2c!, h2: h2!, socks5: socks5!, socks5tls: socks5tls! };
}

beforeAll(async () => {
  proxySets = await Promise.all(Array.from({ length: SETS }, startSet));
  const [http, https, h2c, h2, raw, rawtls] = await Promise.all([
    startHttpOrigin(),
    startHttpOrigin({ tls: true }),
    startHttp2Origin(),
    startHttp2Origin({ tls: true }),
    startRawEchoOrigin(),
    startRawEchoOrigin({ tls: true }),
  ]);
  origins = { http, https, h2c, h2, raw, rawtls };
});

afterEach(() => {
  conn?.close();
  conn = undefined;
});

afterAll(async () => {
  const all: Array<{ close(): Promise<void> }> = [...proxySets.flatMap((s) => Object.values(s)), ...Object.values(origins ?? {})];
  await Promise.all(all.map((s) => s.close()));
});

/** The host the origin saw last (HTTP/1.1 `host`, HTTP/2 `:authority`). */
function lastHost(kind: OriginKind): string | undefined {
  const o = origins!;
  if (kind === 'http' || kind === 'https') return o[kind].requests.at(-1)?.headers.find(([n]) => n === 'host')?.[1];
  if (kind === 'h2c' || kind === 'h2') return o[kind].requests.at(-1)?.headers.find(([n]) => n === ':authority')?.[1];
  return undefined;
}

/**
 * Opens the chain, checks every proxy was asked for the next hop (once), exchanges with the
 * origin (GET /hello, or an echo for raw) and checks `info()`.
 */
async function runChain(kinds: readonly ProxyKind[], originKind: OriginKind): Promise<void> {
  const proxies: ProxyNode[] = kinds.map((kind, i) => ({ kind, server: proxySets[i]![kind] }));
  const origin: OriginNode = { kind: originKind, port: origins![originKind].port };
  const before = proxies.map((p) => p.server.records.length);
  const chain = await openChain(proxies, origin);
  conn = chain.conn;
  proxies.forEach((p, i) => {
    expect(p.server.records.slice(before[i])).toEqual([expect.objectContaining({ target: targetAfter(proxies, origin, i) })]);
  });
  if (originKind === 'raw' || originKind === 'rawtls') {
    const payload = `echo ${kinds.join('>')}>${originKind} ${Math.random().toString(36).slice(2)}`;
    conn.data(chain.rawRef!, false, payload);
    expect(await readRaw(conn, chain.rawRef!, payload.length)).toBe(payload);
    expect(origins![originKind].received().toString('latin1')).toContain(payload);
  } else {
    const ref = conn.get('/hello', {}, chain.tunnel === undefined ? undefined : { tunnel: chain.tunnel });
    expect(conn.streamInfo(ref)?.intermediaries).toEqual(expectedPath(proxies));
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(ref)).body)).toBe('Hello world!');
    expect(lastHost(originKind)).toBe(`127.0.0.1:${origin.port}`);
  }
  const info = conn.info();
  expect(info).toMatchObject(expectedOrigin(origin, proxies));
  expect(info.intermediaries).toEqual(expectedIntermediaries(proxies));
}

const arrow = ' → ';
const CASES = PROXY_KINDS.flatMap((p2) => ORIGIN_KINDS.map((o) => [p2, o] as const));

describe.each(PROXY_KINDS)('tunnel matrix, proxy1 %s (Gun tunnel_SUITE; RFC 9110 §9.3.6, RFC 1928)', (p1) => {
  it.each(CASES)(`${p1}${arrow}%s${arrow}%s origin`, async (p2, origin) => {
    await runChain([p1, p2], origin);
  });
});

describe('three-hop chains (Gun tunnel_SUITE extended; each hop recorded, intermediaries in order)', () => {
  const chains: ReadonlyArray<readonly [ProxyKind, ProxyKind, ProxyKind, OriginKind]> = [
    ['https', 'socks5', 'http', 'h2'],
    ['socks5tls', 'https', 'socks5', 'https'],
    ['http', 'http', 'socks5tls', 'rawtls'],
    ['socks5', 'socks5tls', 'https', 'h2c'],
    ['https', 'https', 'https', 'raw'],
    ['h2', 'h2c', 'h2', 'https'],
    ['socks5', 'h2', 'http', 'h2'],
    ['h2c', 'socks5tls', 'h2c', 'rawtls'],
  ];
  it.each(chains)(`%s${arrow}%s${arrow}%s${arrow}%s origin`, async (a, b, c, origin) => {
    await runChain([a, b, c], origin);
  });
});
