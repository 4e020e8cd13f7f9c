import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieStore } from '../src/index.js';

// --- The recipe, exactly as in the README -------------------------------------------------
/** fetch() with a cookie jar: cookies go out on every hop and come back from every response. */
async function fetchWithCookies(jar: CookieStore, url: string | URL, init: RequestInit = {}): Promise<Response> {
  let target = new URL(url);
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body ?? null;
  for (let hops = 0; hops <= 20; hops++) {
    const headers = new Headers(init.headers);
    const cookie = jar.getCookieString(target);
    if (cookie !== '') headers.set('cookie', cookie);
    const response = await fetch(target, { ...init, method, body, headers, redirect: 'manual' });
    jar.setCookies(response.headers.getSetCookie(), target);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || location === null) return response;
    await response.body?.cancel();
    target = new URL(location, target);
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = null;
    }
  }
  throw new Error('Too many redirects');
}
// ------------------------------------------------------------------------------------------

function handler(req: IncomingMessage, res: ServerResponse): void {
  const cookie = req.headers.cookie ?? '';
  switch (req.url) {
    case '/login':
      res.setHeader('set-cookie', ['session=abc; Path=/; HttpOnly', 'pref=dark; Max-Age=3600']);
      res.writeHead(303, { location: '/home' }).end();
      return;
    case '/home':
      res.setHeader('set-cookie', 'visits=1; Path=/home');
      res.writeHead(200).end(cookie);
      return;
    case '/logout':
      res.setHeader('set-cookie', ['session=; Path=/; Max-Age=0', 'bad=1; Secure']);
      res.writeHead(302, { location: '/home' }).end();
      return;
    default:
      res.writeHead(404).end();
  }
}

describe('recipe: fetch with response.headers.getSetCookie() and a cookie header', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('cookies set on a redirect reach the next hop and later requests, and a deletion removes them', async () => {
    const jar = new CookieStore();
    const home = await fetchWithCookies(jar, `${base}/login`, { method: 'POST', body: 'user=me' });
    expect(home.status).toBe(200);
    expect(await home.text()).toBe('session=abc; pref=dark');

    const again = await fetchWithCookies(jar, `${base}/home`);
    expect(await again.text()).toBe('visits=1; session=abc; pref=dark');

    const out = await fetchWithCookies(jar, `${base}/logout`);
    expect(await out.text()).toBe('visits=1; pref=dark');
    expect(jar.getAllCookies().map((c) => c.name)).toEqual(['pref', 'visits']);
  });

  it('the jar persists through JSON between runs', async () => {
    const jar = new CookieStore();
    await (await fetchWithCookies(jar, `${base}/login`)).text();
    const restored = CookieStore.fromJSON(JSON.stringify(jar));
    expect(await (await fetchWithCookies(restored, `${base}/home`)).text()).toBe('visits=1; session=abc; pref=dark');
  });
});
