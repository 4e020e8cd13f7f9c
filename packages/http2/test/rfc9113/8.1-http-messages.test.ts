import type { HeaderList } from '@gunhttp/core';
import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { concat, frames, get, headersFrame, SERVER_SETTINGS, serverEncoder, summary, withRequest, startedWithGet } from '../helpers.js';

const malformed = { type: 'streamError', streamId: 1, code: 'H2_ERR_MALFORMED', h2Code: 'PROTOCOL_ERROR', scope: 'stream' };

describe('RFC 9113 §8.1 HTTP message framing', () => {
  it('decodes 1xx, response, data and trailers the same on every chunking', () => {
    const enc = serverEncoder();
    const bytes = concat(SERVER_SETTINGS, frames(
      headersFrame(enc, 1, [[':status', '103'], ['link', '</a>']]),
      headersFrame(enc, 1, [[':status', '200'], ['content-length', '3']]),
      { type: 'data', streamId: 1, data: new Uint8Array([1, 2]), padLength: 3 },
      { type: 'data', streamId: 1, data: new Uint8Array([3]) },
      headersFrame(enc, 1, [['x-trailer', 'ok']], true),
    ));
    expectEventsForAllChunkings(startedWithGet, bytes, [
      { type: 'settings', settings: expect.anything() },
      { type: 'inform', streamId: 1, status: 103, headers: [[':status', '103'], ['link', '</a>']] },
      { type: 'response', streamId: 1, status: 200, headers: [[':status', '200'], ['content-length', '3']], endStream: false },
      { type: 'data', streamId: 1, data: [1, 2], endStream: false },
      { type: 'data', streamId: 1, data: [3], endStream: false },
      { type: 'trailers', streamId: 1, headers: [['x-trailer', 'ok']] },
    ], { normalize: summary });
  });

  const bad: Array<[string, HeaderList]> = [
    ['no :status', [['content-type', 'x']]],
    ['a :status of two digits', [[':status', '20']]],
    ['a :status of 600', [[':status', '600']]],
    ['101 Switching Protocols (§8.6)', [[':status', '101']]],
    ['two :status', [[':status', '200'], [':status', '200']]],
    ['a request pseudo-header', [[':status', '200'], [':path', '/']]],
    ['an unknown pseudo-header', [[':status', '200'], [':foo', 'x']]],
    ['a pseudo-header after a regular field', [['x-a', 'b'], [':status', '200']]],
    ['an uppercase name', [[':status', '200'], ['X-Upper', 'b']]],
    ['a connection field', [[':status', '200'], ['connection', 'close']]],
    ['transfer-encoding', [[':status', '200'], ['transfer-encoding', 'chunked']]],
    ['keep-alive', [[':status', '200'], ['keep-alive', 'x']]],
    ['upgrade', [[':status', '200'], ['upgrade', 'h2c']]],
    ['a value with CR LF', [[':status', '200'], ['x-a', 'b\r\nc']]],
    ['a value with leading space', [[':status', '200'], ['x-a', ' b']]],
    ['a name with a space', [[':status', '200'], ['x a', 'b']]],
    ['an invalid content-length', [[':status', '200'], ['content-length', 'abc']]],
  ];

  it.each(bad)('treats a response with %s as malformed: stream error PROTOCOL_ERROR, not a crash', (_name, headers) => {
    const { h2, enc } = withRequest();
    expect(summary(h2.receive(frames(headersFrame(enc, 1, headers))))).toEqual([malformed]);
    expect(h2.state).toBe('open');
  });

  it('treats a 1xx with END_STREAM as malformed', () => {
    const { h2, enc } = withRequest();
    expect(summary(h2.receive(frames(headersFrame(enc, 1, [[':status', '100']], true))))).toEqual([malformed]);
  });

  it('treats trailers without END_STREAM or with a pseudo-header as malformed', () => {
    const a = withRequest();
    a.h2.receive(frames(headersFrame(a.enc, 1, [[':status', '200']])));
    expect(summary(a.h2.receive(frames(headersFrame(a.enc, 1, [['x', 'y']]))))).toEqual([malformed]);
    const b = withRequest();
    b.h2.receive(frames(headersFrame(b.enc, 1, [[':status', '200']])));
    expect(summary(b.h2.receive(frames(headersFrame(b.enc, 1, [[':status', '200']], true))))).toEqual([malformed]);
  });

  it('treats DATA before the response HEADERS as malformed', () => {
    const { h2 } = withRequest();
    expect(summary(h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(1) })))).toEqual([malformed]);
  });

  it.each([
    ['more DATA than content-length', '2', [3]],
    ['less DATA than content-length at END_STREAM', '5', [3]],
  ])('treats %s as malformed (§8.1.1)', (_name, length, sizes) => {
    const { h2, enc } = withRequest();
    h2.receive(frames(headersFrame(enc, 1, [[':status', '200'], ['content-length', length]])));
    expect(summary(h2.receive(frames(...sizes.map((n) => ({ type: 'data' as const, streamId: 1, data: new Uint8Array(n), endStream: true })))))).toEqual([malformed]);
  });

  it('accepts content-length without DATA for HEAD, 204 and 304 responses', () => {
    const h2 = withRequest().h2;
    const enc = serverEncoder();
    h2.receive(frames(headersFrame(enc, 1, [[':status', '304'], ['content-length', '10']], true)));
    const id = h2.request([[':method', 'HEAD'], [':scheme', 'http'], [':authority', 'a'], [':path', '/']], { endStream: true });
    expect(summary(h2.receive(frames(headersFrame(enc, id, [[':status', '200'], ['content-length', '10']], true))))).toEqual([
      { type: 'response', streamId: 3, status: 200, headers: [[':status', '200'], ['content-length', '10']], endStream: true },
    ]);
  });

  it('rejects malformed requests before anything is sent (caller misuse)', () => {
    const { h2 } = withRequest();
    for (const headers of [
      [['x-a', 'b'], [':method', 'GET']],
      [[':method', 'GET'], [':path', '/']],
      [[':method', 'GET'], [':scheme', 'http'], [':path', '']],
      [...get(), ['Connection', 'close']],
      [...get(), ['te', 'gzip']],
      [[':method', 'CONNECT'], [':scheme', 'http'], [':authority', 'a']],
      [[':method', 'GET'], [':scheme', 'http'], [':authority', 'user@a'], [':path', '/']],
    ] as HeaderList[]) {
      expect(() => h2.request(headers)).toThrow(expect.objectContaining({ code: 'H2_ERR_BAD_ARGUMENT', origin: 'local' }));
    }
    expect(h2.request([[':method', 'CONNECT'], [':authority', 'a:443']])).toBe(3);
    expect(h2.request([...get(), ['te', 'trailers']])).toBe(5);
  });
});
