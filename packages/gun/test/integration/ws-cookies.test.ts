import { CookieStore } from '@gunhttp/cookies';
import { getTestPki } from '@gunhttp/testkit';
import { open } from '../../src/index.js';
import type { Connection, GunOptions } from '../../src/index.js';
import { startWsOrigin } from '../support/ws-origin.js';
import type { WsOrigin } from '../support/ws-origin.js';

/*
 * Cookies on Websocket upgrades (RFC 6265bis §5.7, §5.8.3; Gun §5.19): the upgrade request's URL
 * is ws: or wss: (wss counts as secure), `set-cookie` in the 101 and in a refusal is stored.
 */

describe.each([
  ['ws', false],
  ['wss', true],
] as const)('cookies on a Websocket upgrade over %s://', (scheme, tls) => {
  let origin: WsOrigin;
  const conns: Connection[] = [];
  const opts = (store: CookieStore): GunOptions => ({
    retry: 0,
    cookieStore: store,
    ...(tls ? { transport: 'tls' as const, tlsOpts: { ca: getTestPki().caPem } } : {}),
  });
  const url = (): string => `${scheme}://127.0.0.1:${origin.port}/`;

  async function upgradeWith(store: CookieStore, headers: Array<[string, string]> = [], path = '/echo'): Promise<string | undefined> {
    const conn = open('127.0.0.1', origin.port, opts(store));
    conns.push(conn);
    const ref = conn.wsUpgrade(path, headers);
    const m = await conn.await(ref, 2000);
    expect(m.type).toBe(path === '/deny' ? 'response' : 'upgrade');
    return origin.upgrades.at(-1)?.headers.cookie;
  }

  beforeAll(async () => {
    origin = await startWsOrigin({ tls, setCookies: ['session=abc; Path=/', 'sec=1; Secure; Path=/'] });
  });
  afterEach(() => {
    for (const c of conns.splice(0)) c.close();
  });
  afterAll(() => origin.close());

  it(`stores the 101's set-cookie fields for the ${scheme}: URL (Secure ones only over wss)`, async () => {
    const store = new CookieStore();
    expect(await upgradeWith(store)).toBeUndefined();
    const names = store.getCookies(url()).map((c) => c.name).sort();
    expect(names).toEqual(tls ? ['sec', 'session'] : ['session']);
  });

  it('sends the stored cookies on the next upgrade', async () => {
    const store = new CookieStore();
    store.setCookie('pre=1; Path=/', url());
    expect(await upgradeWith(store)).toBe('pre=1');
    expect(await upgradeWith(store)).toBe(tls ? 'pre=1; session=abc; sec=1' : 'pre=1; session=abc');
  });

  it('keeps a cookie header the user set', async () => {
    const store = new CookieStore();
    store.setCookie('pre=1; Path=/', url());
    expect(await upgradeWith(store, [['cookie', 'mine=2']])).toBe('mine=2');
  });

  it('stores set-cookie from a refused upgrade (non-101 response)', async () => {
    const store = new CookieStore();
    await upgradeWith(store, [], '/deny');
    expect(store.getCookieString(url())).toBe('denied=1');
  });
});
