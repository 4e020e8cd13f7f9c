import { startHttp2Origin } from '@gunhttp/testkit';
import type { Http2Origin } from '@gunhttp/testkit';
import type { Connection } from '../../src/index.js';
import { connectTo, recordEvents } from '../support/helpers.js';

let origin: Http2Origin;
let conn: Connection | undefined;
beforeAll(async () => {
  origin = await startHttp2Origin();
});
afterAll(() => origin.close());
afterEach(() => conn?.close());

describe("the event handler over HTTP/2 (Gun's gun_event)", () => {
  it('reports one request in order: requestStart, requestHeaders, requestEnd, responseStart, responseHeaders, responseEnd', async () => {
    const { handler, names } = recordEvents();
    conn = await connectTo(origin.port, { protocols: ['http2'], eventHandler: handler });
    const ref = conn.get('/hello');
    await conn.await(ref);
    await conn.awaitBody(ref);
    const stream = names.filter((n) => n.startsWith('request') || n.startsWith('response'));
    expect(stream).toEqual(['requestStart', 'requestHeaders', 'requestEnd', 'responseStart', 'responseHeaders', 'responseEnd']);
    expect(names.slice(0, 4)).toEqual(['init', 'domainLookupStart', 'domainLookupEnd', 'connectStart']);
  });

  it('reports responseInform for a 103 and responseTrailers for trailers', async () => {
    const { handler, events } = recordEvents();
    conn = await connectTo(origin.port, { protocols: ['http2'], eventHandler: handler });
    for (const path of ['/inform', '/trailers']) {
      const ref = conn.get(path);
      await conn.await(ref);
      await conn.awaitBody(ref);
    }
    expect(events.find((e) => e.name === 'responseInform')?.event).toMatchObject({ status: 103 });
    expect(events.find((e) => e.name === 'responseTrailers')?.event).toMatchObject({ headers: [['expires', 'Sun, 10 Dec 2017 19:44:38 GMT']] });
  });

  it('reports pushPromiseStart and pushPromiseEnd with the promised request', async () => {
    const { handler, events } = recordEvents();
    conn = await connectTo(origin.port, { protocols: ['http2'], eventHandler: handler });
    const ref = conn.get('/push');
    await conn.await(ref);
    const names = events.map((e) => e.name);
    expect(names.indexOf('pushPromiseStart')).toBeLessThan(names.indexOf('pushPromiseEnd'));
    expect(events.find((e) => e.name === 'pushPromiseEnd')?.event).toMatchObject({ streamRef: ref, method: 'GET', uri: `http://127.0.0.1:${origin.port}/pushed.txt` });
  });

  it('reports cancel with endpoint local for cancel(), and remote with the reason for a server RST_STREAM', async () => {
    const { handler, events } = recordEvents();
    conn = await connectTo(origin.port, { protocols: ['http2'], eventHandler: handler });
    const slow = conn.get('/delay?ms=1000');
    conn.cancel(slow);
    const reset = conn.get('/reset');
    await conn.await(reset).catch(() => undefined);
    const cancels = events.filter((e) => e.name === 'cancel').map((e) => e.event);
    expect(cancels).toEqual([
      expect.objectContaining({ streamRef: slow, endpoint: 'local', reason: 'cancel' }),
      expect.objectContaining({ streamRef: reset, endpoint: 'remote', reason: 'REFUSED_STREAM' }),
    ]);
  });
});
