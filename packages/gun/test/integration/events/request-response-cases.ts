/**
 * The request/response cases of Gun's event_SUITE (request_*, response_*), shared by the HTTP/1.1
 * and HTTP/2 files: the same calls, the same events, the same fields.
 */
import type { StreamRef } from '@gunhttp/core';
import type { Connection } from '../../../src/index.js';
import type { EventRecorder } from './event-recorder.js';
import { REQUEST, authorityOf, closeAll, connectRecorded } from './support.js';
import type { GroupProtocol } from './support.js';

/** An origin serving Gun's event_SUITE paths: /hello, /empty, /inform (two 103s), /stream, /trailers, /echo. */
export interface EventsOrigin {
  readonly port: number;
  close(): Promise<void>;
}

async function drain(conn: Connection, ref: StreamRef): Promise<void> {
  const first = await conn.await(ref);
  if (first.type === 'inform') return drain(conn, ref);
  if (first.type === 'response' && !first.fin) await conn.awaitBody(ref);
}

/** The events of one request, from requestStart to responseEnd, with what differs per protocol. */
export function describeRequestResponse(protocol: GroupProtocol, start: () => Promise<EventsOrigin>, expected: {
  /** Names of the response events for `/inform` (two 103s then 200), after requestEnd. */
  readonly informSequence: readonly string[];
  /** The event headers of `GET /hello` with `x-test: yes`: the final list sent (Gun). */
  readonly getHeaders: (port: number) => unknown;
  /** The event headers of a `PUT /echo` whose body follows, with `content-type: text/plain`. */
  readonly streamedHeaders: (port: number) => unknown;
}): void {
  describe(`request and response events over ${protocol} (Gun event_SUITE)`, () => {
    let origin: EventsOrigin;
    let conn: Connection;
    let rec: EventRecorder;
    beforeAll(async () => {
      origin = await start();
    });
    afterAll(() => origin.close());
    beforeEach(async () => {
      ({ conn, rec } = await connectRecorded(origin.port, { protocols: [protocol] }));
      rec.clear();
    });
    afterEach(closeAll);

    it('requestStart and requestHeaders give function request, method, authority, path and the headers (Gun request_start, request_headers)', async () => {
      const ref = conn.get('/hello', [['x-test', 'yes']]);
      await drain(conn, ref);
      const start = rec.first('requestStart');
      expect(start).toMatchObject({ streamRef: ref, replyTo: conn.owner, function: 'request', method: 'GET', authority: authorityOf(origin.port), path: '/hello' });
      expect(start.headers).toEqual(expected.getHeaders(origin.port));
      expect(rec.first('requestHeaders')).toEqual(start);
      expect(rec.namesFor(ref)).toEqual([...REQUEST, 'responseStart', 'responseHeaders', 'responseEnd']);
    });

    it('requestStart gives function headers for a request whose body follows (Gun do_request_event_headers)', async () => {
      const ref = conn.put('/echo', [['content-type', 'text/plain']]);
      const start = rec.first('requestStart');
      expect(start).toMatchObject({ streamRef: ref, replyTo: conn.owner, function: 'headers', method: 'PUT', authority: authorityOf(origin.port), path: '/echo' });
      expect(start.headers).toEqual(expected.streamedHeaders(origin.port));
      expect(rec.first('requestHeaders')).toEqual(start);
      conn.data(ref, true, 'Hello!');
      await drain(conn, ref);
    });

    it('requestEnd comes at once for a request with its body (Gun do_request_end)', async () => {
      const ref = conn.post('/echo', [['content-type', 'text/plain']], 'Hello world!');
      expect(rec.namesFor(ref)).toEqual([...REQUEST]);
      expect(rec.first('requestEnd')).toEqual({ streamRef: ref, replyTo: conn.owner });
      expect(rec.first('requestStart').headers).toContainEqual(['content-length', '12']);
      await drain(conn, ref);
    });

    it.each([
      ['chunked or DATA frames', [] as Array<[string, string]>],
      ['a content-length', [['content-length', '12']] as Array<[string, string]>],
    ])('requestEnd comes only with the fin data, body sent with %s (Gun do_request_end_headers*)', async (_name, extra) => {
      const ref = conn.put('/echo', [['content-type', 'text/plain'], ...extra]);
      conn.data(ref, false, 'Hello ');
      expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders']);
      conn.data(ref, true, 'world!');
      expect(rec.namesFor(ref)).toEqual([...REQUEST]);
      expect(rec.first('requestEnd')).toEqual({ streamRef: ref, replyTo: conn.owner });
      const res = await conn.await(ref);
      expect(res).toMatchObject({ type: 'response', status: 200 });
      await conn.awaitBody(ref);
      expect(rec.namesFor(ref)).toEqual([...REQUEST, 'responseStart', 'responseHeaders', 'responseEnd']);
    });

    it('requestEnd comes with an empty fin data after content-length 0 (Gun do_request_end_headers_content_length_0)', async () => {
      const ref = conn.put('/echo', [['content-type', 'text/plain'], ['content-length', '0']]);
      expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders']);
      conn.data(ref, true, '');
      expect(rec.namesFor(ref)).toEqual([...REQUEST]);
      await drain(conn, ref);
    });

    it('responseStart gives the stream and replyTo, after requestEnd (Gun response_start)', async () => {
      const ref = conn.get('/hello');
      await drain(conn, ref);
      expect(rec.first('responseStart')).toEqual({ streamRef: ref, replyTo: conn.owner });
    });

    it('responseInform gives each 103 with its headers, before responseHeaders (Gun response_inform)', async () => {
      const ref = conn.get('/inform');
      await drain(conn, ref);
      const informs = rec.all('responseInform');
      expect(informs).toEqual([
        { streamRef: ref, replyTo: conn.owner, status: 103, headers: [['link', '</style.css>; rel=preload']] },
        { streamRef: ref, replyTo: conn.owner, status: 103, headers: [['link', '</script.js>; rel=preload']] },
      ]);
      expect(rec.namesFor(ref).slice(3)).toEqual(expected.informSequence);
    });

    it('responseHeaders gives the status and the headers (Gun response_headers)', async () => {
      const ref = conn.get('/hello');
      await drain(conn, ref);
      const head = rec.first('responseHeaders');
      expect(head).toMatchObject({ streamRef: ref, replyTo: conn.owner, status: 200 });
      expect(head.headers).toContainEqual(['content-type', 'text/plain']);
      expect(head.headers).toContainEqual(['content-length', '12']);
    });

    it('responseTrailers gives the trailers, then responseEnd (Gun response_trailers)', async () => {
      const ref = conn.get('/trailers', [['te', 'trailers']]);
      await drain(conn, ref);
      expect(rec.first('responseTrailers')).toEqual({ streamRef: ref, replyTo: conn.owner, headers: [['expires', 'Sun, 10 Dec 2017 19:44:38 GMT']] });
      expect(rec.namesFor(ref).slice(-3)).toEqual(['responseHeaders', 'responseTrailers', 'responseEnd']);
    });

    it.each(['/hello', '/empty', '/stream', '/trailers'])('responseEnd ends the response of %s (Gun response_end)', async (path) => {
      const ref = conn.get(path, [['te', 'trailers']]);
      await drain(conn, ref);
      expect(rec.all('responseEnd')).toEqual([{ streamRef: ref, replyTo: conn.owner }]);
      expect(rec.namesFor(ref).at(-1)).toBe('responseEnd');
    });

    it('a replyTo function is the replyTo of the stream events (Gun reply_to)', async () => {
      const seen: unknown[] = [];
      const replyTo = (m: unknown): void => void seen.push(m);
      const ref = conn.get('/hello', [], { replyTo });
      await rec.waitFor('responseEnd', (e) => e.streamRef === ref);
      for (const e of rec.events) expect(e.event).toMatchObject({ streamRef: ref, replyTo });
      expect(seen.length).toBeGreaterThan(0);
    });
  });
}
