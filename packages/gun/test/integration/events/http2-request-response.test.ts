/**
 * Gun's event_SUITE request/response cases over HTTP/2 (group `http2`, h2c with prior
 * knowledge) on a node:http2 origin, and the push_promise_* cases (HTTP/2 only), directly and
 * inside a CONNECT stream of an HTTP/2 proxy.
 */
import type { ServerHttp2Stream } from 'node:http2';
import { startH2ConnectProxy, startHttp2Origin } from '@gunhttp/testkit';
import type { Http2Origin, TestProxy } from '@gunhttp/testkit';
import type { Connection } from '../../../src/index.js';
import type { EventRecorder } from './event-recorder.js';
import { describeRequestResponse } from './request-response-cases.js';
import { closeAll, connectRecorded, drained, tunnelThrough } from './support.js';

function twoEarlyHints(s: ServerHttp2Stream): void {
  s.additionalHeaders({ ':status': 103, link: '</style.css>; rel=preload' });
  s.additionalHeaders({ ':status': 103, link: '</script.js>; rel=preload' });
  s.respond({ ':status': 200, 'content-type': 'text/plain', 'content-length': 5 });
  s.end('Hello');
}

function streamed(s: ServerHttp2Stream): void {
  s.respond({ ':status': 200, 'content-type': 'text/plain' });
  s.write('Hello ');
  s.write('streamed ');
  s.end('world!');
}

function empty(s: ServerHttp2Stream): void {
  s.respond({ ':status': 204 }, { endStream: true });
}

/** Pushes `/pushed.txt` (with a regular field, as Cowboy's push_h) promised for `authority`. */
function pushFor(authority: (s: ServerHttp2Stream) => string): (s: ServerHttp2Stream) => void {
  return (s) => {
    s.pushStream({ ':path': '/pushed.txt', ':authority': authority(s), accept: 'text/plain' }, (err, pushed) => {
      if (err === null) {
        pushed.on('error', () => undefined);
        pushed.respond({ ':status': 200, 'content-type': 'text/plain' });
        pushed.end('Pushed!');
      }
      s.respond({ ':status': 200, 'content-type': 'text/plain' });
      s.end('Main');
    });
  };
}

const ownAuthority = (s: ServerHttp2Stream): string => `127.0.0.1:${(s.session?.socket.localPort ?? 0)}`;

const startOrigin = (): Promise<Http2Origin> => startHttp2Origin({
  routes: { '/inform': twoEarlyHints, '/stream': streamed, '/empty': empty, '/push': pushFor(ownAuthority), '/push-other': pushFor(() => 'other.example') },
});

describeRequestResponse('http2', startOrigin, {
  // Gun's gun_http2 emits response_start once per stream, before its first HEADERS.
  informSequence: ['responseStart', 'responseInform', 'responseInform', 'responseHeaders', 'responseEnd'],
  getHeaders: () => [['x-test', 'yes'], ['content-length', '0']],
  streamedHeaders: () => [['content-type', 'text/plain']],
});

describe('push promise events over http2 (Gun event_SUITE push_*)', () => {
  let origin: Http2Origin;
  let conn: Connection;
  let rec: EventRecorder;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterAll(() => origin.close());
  beforeEach(async () => {
    ({ conn, rec } = await connectRecorded(origin.port, { protocols: ['http2'] }));
    rec.clear();
  });
  afterEach(closeAll);

  it('pushPromiseStart gives the parent stream and its replyTo (Gun push_promise_start)', async () => {
    const ref = conn.get('/push');
    expect(await rec.waitFor('pushPromiseStart')).toEqual({ streamRef: ref, replyTo: conn.owner });
  });

  it('pushPromiseEnd gives the promised request and the promised stream ref, right after pushPromiseStart (Gun push_promise_end)', async () => {
    const ref = conn.get('/push');
    const end = await rec.waitFor('pushPromiseEnd');
    expect(end).toMatchObject({ streamRef: ref, replyTo: conn.owner, method: 'GET', uri: `http://127.0.0.1:${origin.port}/pushed.txt` });
    expect(end.headers).toEqual([['accept', 'text/plain']]);
    expect(end.promisedStreamRef).toBeDefined();
    expect(end.promisedStreamRef).not.toBe(ref);
    const names = rec.names;
    expect(names[names.indexOf('pushPromiseEnd') - 1]).toBe('pushPromiseStart');
    const push = await conn.owner.receive((m) => m.type === 'push');
    expect(push.type === 'push' && push.newStreamRef).toBe(end.promisedStreamRef);
  });

  it('the promised stream gets its own responseStart, responseHeaders and responseEnd after pushPromiseEnd (Gun push_promise_followed_by_response)', async () => {
    const ref = conn.get('/push');
    const end = await rec.waitFor('pushPromiseEnd');
    const promised = end.promisedStreamRef;
    if (promised === undefined) throw new Error('the promise was refused');
    await rec.waitFor('responseEnd', (e) => e.streamRef === promised);
    await rec.waitFor('responseEnd', (e) => e.streamRef === ref);
    expect(rec.namesFor(promised)).toEqual(['responseStart', 'responseHeaders', 'responseEnd']);
    expect(rec.indexOf('pushPromiseEnd', ref)).toBeLessThan(rec.indexOf('responseStart', promised));
    expect(rec.all('responseHeaders').find((e) => e.streamRef === promised)).toMatchObject({ replyTo: conn.owner, status: 200 });
  });

  it('pushPromiseEnd has no promisedStreamRef for a refused promise (other authority) (Gun push_promise_end, rejected)', async () => {
    const ref = conn.get('/push-other');
    const end = await rec.waitFor('pushPromiseEnd');
    expect(end).toMatchObject({ streamRef: ref, replyTo: conn.owner, method: 'GET', uri: 'http://other.example/pushed.txt', headers: [['accept', 'text/plain']] });
    expect(end).not.toHaveProperty('promisedStreamRef');
  });

});

// Through an HTTP/1.1 proxy: tunnel-events.test.ts.
describe('push promise events inside a CONNECT stream of an HTTP/2 proxy (Gun event_SUITE push_promise_*_connect, proxy http2)', () => {
  let origin: Http2Origin;
  let proxy: TestProxy;
  beforeAll(async () => {
    [origin, proxy] = await Promise.all([startOrigin(), startH2ConnectProxy()]);
  });
  afterAll(async () => {
    await Promise.all([origin.close(), proxy.close()]);
  });
  afterEach(closeAll);

  it('pushPromiseStart/End name the nested ref; the promised ref is nested in the CONNECT stream and gets its own response events', async () => {
    const { conn, rec } = await connectRecorded(proxy.port, { protocols: ['http2'] });
    const tunnel = await tunnelThrough(conn, { host: '127.0.0.1', port: origin.port, protocols: ['http2'] });
    rec.clear();
    const ref = conn.get('/push', [], { tunnel });
    expect(ref.parent).toBe(tunnel);
    const end = await rec.waitFor('pushPromiseEnd');
    expect(rec.first('pushPromiseStart')).toEqual({ streamRef: ref, replyTo: conn.owner });
    expect(end).toMatchObject({ streamRef: ref, replyTo: conn.owner, method: 'GET', uri: `http://127.0.0.1:${origin.port}/pushed.txt`, headers: [['accept', 'text/plain']] });
    const promised = end.promisedStreamRef;
    if (promised === undefined) throw new Error('the promise was refused');
    expect(promised.parent).toBe(tunnel);
    expect(promised).not.toBe(ref);
    const push = await conn.owner.receive((m) => m.type === 'push');
    expect(push).toMatchObject({ streamRef: ref, newStreamRef: promised });
    await rec.waitFor('responseEnd', (e) => e.streamRef === promised);
    await drained(conn, ref);
    expect(rec.namesFor(promised)).toEqual(['responseStart', 'responseHeaders', 'responseEnd']);
  });
});
