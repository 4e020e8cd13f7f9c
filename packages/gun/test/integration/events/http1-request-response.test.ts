/**
 * Gun's event_SUITE request/response cases over HTTP/1.1 (group `http`), on a node:http origin,
 * and http1_response_end_body_close (HTTP/1.0, a body ended by the close).
 */
import type { ServerResponse } from 'node:http';
import { startHttpOrigin } from '@gunhttp/testkit';
import type { TestOrigin } from '@gunhttp/testkit';
import { describeRequestResponse } from './request-response-cases.js';
import { authorityOf, closeAll, connectRecorded } from './support.js';

function twoEarlyHints(res: ServerResponse): void {
  res.writeEarlyHints({ link: '</style.css>; rel=preload' });
  res.writeEarlyHints({ link: '</script.js>; rel=preload' });
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 5 });
  res.end('Hello');
}

function streamed(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.write('Hello ');
  res.write('streamed ');
  res.end('world!');
}

const startOrigin = (): Promise<TestOrigin> => startHttpOrigin({ routes: { '/inform': (_req, res) => twoEarlyHints(res), '/stream': (_req, res) => streamed(res) } });

describeRequestResponse('http', startOrigin, {
  // Gun's gun_http emits response_start before every response head, 1xx included.
  informSequence: ['responseStart', 'responseInform', 'responseStart', 'responseInform', 'responseStart', 'responseHeaders', 'responseEnd'],
  getHeaders: (port) => [['content-length', '0'], ['host', authorityOf(port)], ['x-test', 'yes']],
  // Gun lists the transfer-encoding: chunked it adds for a body that follows.
  streamedHeaders: (port) => [['transfer-encoding', 'chunked'], ['host', authorityOf(port)], ['content-type', 'text/plain']],
});

describe('HTTP/1.0 events (Gun event_SUITE http1_*)', () => {
  let origin: TestOrigin;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterAll(() => origin.close());
  afterEach(closeAll);

  it('responseEnd comes when an HTTP/1.0 body without content-length ends with the close (Gun http1_response_end_body_close)', async () => {
    const { conn, rec } = await connectRecorded(origin.port, { protocols: ['http'], httpOpts: { version: 'HTTP/1.0' } });
    const ref = conn.get('/stream');
    const end = await rec.waitFor('responseEnd');
    expect(end).toEqual({ streamRef: ref, replyTo: conn.owner });
    expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders', 'requestEnd', 'responseStart', 'responseHeaders', 'responseEnd']);
  });
});
