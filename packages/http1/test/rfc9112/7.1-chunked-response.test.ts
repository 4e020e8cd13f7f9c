import { Http1Errors } from '../../src/index.js';
import { bytes, connWith, ev, expectResponse } from '../helpers.js';

const get = connWith();
const chunked = (body: string): string => `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${body}`;
const te: Array<[string, string]> = [['transfer-encoding', 'chunked']];

describe('RFC 9112 §7.1 chunked transfer coding (responses)', () => {
  it('decodes chunks and ends with data fin when there are no trailers', () => {
    const expected = [ev.start(), ev.response(200, te, false), ev.data('hello 0123456789', true)];
    expectResponse(connWith([{}, {}]), chunked('5\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\n\r\n'), expected, {
      trailing: bytes('HTTP/1.1 2'), trailingExpected: [...expected, ev.start(2)],
    });
  });

  it('accepts upper and lower case hex and leading zeros, up to 16 digits (Cowlib 2.16.1)', () => {
    expectResponse(get, chunked('0000000000000001\r\na\r\nb\r\n0123456789a\r\nB\r\nbcdefghijkl\r\n0\r\n\r\n'), [
      ev.start(), ev.response(200, te, false), ev.data('a0123456789abcdefghijkl', true),
    ]);
  });

  it.each([
    { name: '17 hex digits', body: '00000000000000001\r\na\r\n0\r\n\r\n' },
    { name: 'no digits', body: '\r\n' },
    { name: 'a non-hex digit', body: '1g\r\na\r\n0\r\n\r\n' },
    { name: 'a sign', body: '+1\r\na\r\n' },
    { name: 'a 0x prefix', body: '0x1\r\na\r\n' },
    { name: 'a size above 2^53-1', body: 'FFFFFFFFFFFFFFFF\r\n' },
  ])('rejects $name with H1_ERR_INVALID_CHUNK_SIZE', ({ body }) => {
    expectResponse(get, chunked(body), [ev.start(), ev.response(200, te, false), ev.error(Http1Errors.INVALID_CHUNK_SIZE)]);
  });

  it('parses and ignores chunk extensions: tokens, quoted strings, BWS (§7.1.1)', () => {
    expectResponse(get, chunked('3;a\r\nabc\r\n2 ; name = value ;q="x; \\"y\\""\r\nde\r\n1;x=y;z \r\nf\r\n0;last\r\n\r\n'), [
      ev.start(), ev.response(200, te, false), ev.data('abcdef', true),
    ]);
  });

  it.each([
    { name: 'an empty extension name', body: '1;=x\r\na\r\n' },
    { name: 'a missing semicolon', body: '1 x\r\na\r\n' },
    { name: 'an unterminated quoted string', body: '1;a="x\r\na\r\n' },
    { name: 'an empty value', body: '1;a=\r\na\r\n' },
    { name: 'a control character', body: '1;a=\x01\r\na\r\n' },
  ])('rejects $name with H1_ERR_INVALID_CHUNK_EXTENSION', ({ body }) => {
    expectResponse(get, chunked(body), [ev.start(), ev.response(200, te, false), ev.error(Http1Errors.INVALID_CHUNK_EXTENSION)]);
  });

  it('requires CRLF after chunk data (H1_ERR_INVALID_CHUNK_END), keeping the data decoded before', () => {
    expectResponse(get, chunked('3\r\nabcX\r\n0\r\n\r\n'), [
      ev.start(), ev.response(200, te, false), ev.data('abc', false), ev.error(Http1Errors.INVALID_CHUNK_END),
    ]);
    expectResponse(get, chunked('3\r\nabc\rX'), [ev.start(), ev.response(200, te, false), ev.data('abc', false), ev.error(Http1Errors.INVALID_CHUNK_END)]);
  });

  it('rejects a bare CR in a chunk-size line', () => {
    expectResponse(get, chunked('3\rx\r\nabc\r\n'), [ev.start(), ev.response(200, te, false), ev.error(Http1Errors.BARE_CR)]);
  });

  it('delivers a trailer section as a trailers event that ends the response (§7.1.2)', () => {
    expectResponse(connWith([{}, {}]), `${chunked('2\r\nab\r\n0\r\nExpires: never\r\nX-Sum:  1 \r\n\r\n')}HTTP/1.1 204 No Content\r\n\r\n`, [
      ev.start(), ev.response(200, te, false), ev.data('ab', false), ev.trailers([['expires', 'never'], ['x-sum', '1']]),
      ev.start(2), ev.response(204, [], true, { id: 2, reason: 'No Content' }),
    ]);
  });

  it('delivers trailers after an empty body without a data event', () => {
    expectResponse(get, chunked('0\r\nx: 1\r\n\r\n'), [ev.start(), ev.response(200, te, false), ev.trailers([['x', '1']])]);
  });

  it('rejects malformed trailer fields', () => {
    expectResponse(get, chunked('0\r\nx : 1\r\n\r\n'), [ev.start(), ev.response(200, te, false), ev.error(Http1Errors.INVALID_FIELD_NAME)]);
    expectResponse(get, chunked('0\r\nx: 1\r\n folded\r\n\r\n'), [ev.start(), ev.response(200, te, false), ev.error(Http1Errors.OBS_FOLD)]);
  });

  it('starts the next response right after the chunked body', () => {
    const second = 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n0\r\n\r\n';
    expectResponse(connWith([{}, {}]), chunked('5\r\n0\r\n\r\n\r\n0\r\n\r\n') + second, [
      ev.start(), ev.response(200, te, false), ev.data('0\r\n\r\n', true),
      ev.start(2), ev.response(200, [['content-length', '5']], false, { id: 2 }), ev.data('0\r\n\r\n', true, 2),
    ]);
  });

  it('emits at most one data event per received chunk, joining the chunks it holds', () => {
    const conn = get();
    const events = conn.receive(bytes(chunked('1\r\na\r\n1\r\nb\r\n1\r\nc\r\n')));
    expect(events.filter((e) => e.type === 'data')).toEqual([{ type: 'data', id: 1, data: bytes('abc'), fin: false }]);
  });

  it('emits a single chunk as a view of the received bytes', () => {
    const conn = get();
    conn.receive(bytes(chunked('')));
    const chunk = bytes('5\r\nhello\r\n');
    const [data] = conn.receive(chunk);
    expect(data?.type === 'data' && data.data.buffer).toBe(chunk.buffer);
  });
});
