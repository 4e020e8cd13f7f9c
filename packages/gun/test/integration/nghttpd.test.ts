import { requirePeer, startNghttpd } from '@gunhttp/testkit';
import type { NghttpdPeer } from '@gunhttp/testkit';
import { open } from '../../src/index.js';
import type { ConnMessage, Connection } from '../../src/index.js';
import { text } from '../support/helpers.js';

const hasNghttpd = requirePeer('nghttpd');
const describeNghttpd = hasNghttpd ? describe : describe.skip;

describeNghttpd('against nghttpd from Debian (PEERS.md)', () => {
  let server: NghttpdPeer;
  let conn: Connection | undefined;

  beforeAll(async () => {
    server = await startNghttpd({
      docroot: { '/index.html': '<p>index</p>', '/style.css': 'p { color: red }', '/script.js': 'void 0;' },
      push: { '/index.html': ['/style.css', '/script.js'] },
    });
  });
  afterAll(() => server?.stop());
  afterEach(() => conn?.close());

  it('receives the pushes of -p as push messages before the response, then each pushed response (RFC 9113 §8.4)', async () => {
    conn = open('127.0.0.1', server.port, { retry: 0, protocols: ['http2'] });
    expect(await conn.awaitUp()).toBe('http2');
    const ref = conn.get('/index.html');
    const pushes: Array<Extract<ConnMessage, { type: 'push' }>> = [];
    let res = await conn.await(ref);
    while (res.type === 'push') {
      pushes.push(res);
      res = await conn.await(ref);
    }
    expect(res).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(ref)).body)).toBe('<p>index</p>');
    expect(pushes.map((p) => [p.method, new URL(p.uri).pathname])).toEqual([['GET', '/style.css'], ['GET', '/script.js']]);
    const bodies = await Promise.all(pushes.map(async (p) => {
      await conn!.await(p.newStreamRef);
      return text((await conn!.awaitBody(p.newStreamRef)).body);
    }));
    expect(bodies).toEqual(['p { color: red }', 'void 0;']);
  });

  it('lets a pushed stream be cancelled while the response completes (Gun §5.7)', async () => {
    conn = open('127.0.0.1', server.port, { retry: 0, protocols: ['http2'] });
    await conn.awaitUp();
    const ref = conn.get('/index.html');
    let res = await conn.await(ref);
    while (res.type === 'push') {
      conn.cancel(res.newStreamRef);
      res = await conn.await(ref);
    }
    expect(res).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(ref)).body)).toBe('<p>index</p>');
    const again = conn.get('/style.css');
    await conn.await(again);
    expect(text((await conn.awaitBody(again)).body)).toBe('p { color: red }');
  });
});
