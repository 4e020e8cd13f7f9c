import type { IncomingMessage, ServerResponse } from 'node:http';
import { CookieStore } from '@gunhttp/cookies';
import { getTestPki, startHttpOrigin } from '@gunhttp/testkit';
import type { TestOrigin } from '@gunhttp/testkit';
import { open } from '../../src/index.js';
import type { Connection, GunOptions } from '../../src/index.js';
import { text } from '../support/helpers.js';

const routes = {
  '/set': (_req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('set-cookie', ['session=abc; Path=/', 'theme=dark; Path=/app', 'secret=1; Secure; Path=/']);
    res.end('set');
  },
  '/early': (_req: IncomingMessage, res: ServerResponse) => {
    res.writeEarlyHints({ link: '</a.css>; rel=preload', 'set-cookie': 'early=1; Path=/' });
    res.end('early');
  },
  '/read': (req: IncomingMessage, res: ServerResponse) => res.end(req.headers.cookie ?? ''),
  '/app/read': (req: IncomingMessage, res: ServerResponse) => res.end(req.headers.cookie ?? ''),
};

async function body(conn: Connection, path: string, headers: Array<[string, string]> = []): Promise<string> {
  const ref = conn.get(path, headers);
  let res = await conn.await(ref);
  while (res.type === 'inform') res = await conn.await(ref);
  return res.type === 'response' && res.fin ? '' : text((await conn.awaitBody(ref)).body);
}

describe.each([
  ['http', false],
  ['https', true],
] as const)('cookieStore over %s (RFC 6265bis §5.6–5.8, Gun §5.19)', (_scheme, tls) => {
  let origin: TestOrigin;
  let conn: Connection | undefined;
  const opts = (extra: GunOptions = {}): GunOptions => ({ retry: 0, ...(tls ? { transport: 'tls' as const, tlsOpts: { ca: getTestPki().caPem } } : {}), ...extra });

  beforeAll(async () => {
    origin = await startHttpOrigin({ tls, routes });
  });
  afterAll(() => origin.close());
  afterEach(() => conn?.close());

  it('stores set-cookie and sends the matching cookies on later requests', async () => {
    conn = open('localhost', origin.port, opts({ cookieStore: true }));
    await body(conn, '/set');
    const expected = tls ? 'session=abc; secret=1' : 'session=abc';
    expect(await body(conn, '/read')).toBe(expected);
    expect(await body(conn, '/app/read')).toBe(tls ? 'theme=dark; session=abc; secret=1' : 'theme=dark; session=abc');
  });

  it("keeps the user's own cookie header", async () => {
    conn = open('localhost', origin.port, opts({ cookieStore: true }));
    await body(conn, '/set');
    expect(await body(conn, '/read', [['cookie', 'mine=1']])).toBe('mine=1');
  });

  it('shares a CookieStore between connections', async () => {
    const store = new CookieStore();
    conn = open('localhost', origin.port, opts({ cookieStore: store }));
    await body(conn, '/set');
    conn.close();
    conn = open('localhost', origin.port, opts({ cookieStore: store }));
    expect(await body(conn, '/read')).toContain('session=abc');
  });

  it('stores set-cookie from a 103 unless cookieIgnoreInformational (Gun rfc6265bis_SUITE)', async () => {
    conn = open('localhost', origin.port, opts({ cookieStore: true }));
    await body(conn, '/early');
    expect(await body(conn, '/read')).toBe('early=1');
    conn.close();
    conn = open('localhost', origin.port, opts({ cookieStore: true, httpOpts: { cookieIgnoreInformational: true } }));
    await body(conn, '/early');
    expect(await body(conn, '/read')).toBe('');
  });

  it('sends no cookies without a cookieStore (Gun default)', async () => {
    conn = open('localhost', origin.port, opts());
    await body(conn, '/set');
    expect(await body(conn, '/read')).toBe('');
  });
});
