import { Http1Errors } from '../../src/index.js';
import { bytes, connWith, ev, expectResponse } from '../helpers.js';

const get = connWith();

describe('RFC 9112 §6.3 message body length', () => {
  it('reads exactly content-length octets and ends with fin, the next response starting after them', () => {
    const expected = [ev.start(), ev.response(200, [['content-length', '5']], false), ev.data('hello', true)];
    expectResponse(connWith([{}, {}]), 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello', expected, {
      trailing: bytes('HTTP/1.1 200'), trailingExpected: [...expected, ev.start(2)],
    });
  });

  it('ends at once with content-length: 0', () => {
    expectResponse(get, 'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n', [ev.start(), ev.response(200, [['content-length', '0']], true)]);
  });

  it('has no body for a response to HEAD, whatever its content-length (§6.3 rule 1)', () => {
    expectResponse(connWith([{ method: 'HEAD' }, {}]), 'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nx', [
      ev.start(1), ev.response(200, [['content-length', '100']], true),
      ev.start(2), ev.response(200, [['content-length', '1']], false, { id: 2 }), ev.data('x', true, 2),
    ]);
  });

  it.each([204, 304])('has no body for a %i response (§6.3 rule 1)', (status) => {
    expectResponse(connWith([{}, {}]), `HTTP/1.1 ${status} X\r\ncontent-length: 10\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n`, [
      ev.start(1), ev.response(status, [['content-length', '10']], true, { reason: 'X' }),
      ev.start(2), ev.response(200, [['content-length', '0']], true, { id: 2 }),
    ]);
  });

  it('lets transfer-encoding override content-length, so a smuggled response is parsed as the next one (§6.3 rule 3)', () => {
    const wire = 'HTTP/1.1 200 OK\r\ncontent-length: 45\r\ntransfer-encoding: chunked\r\n\r\n'
      + '0\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc';
    expectResponse(connWith([{}, {}]), wire, [
      ev.start(1), ev.response(200, [['content-length', '45'], ['transfer-encoding', 'chunked']], false), ev.data('', true),
      ev.start(2), ev.response(200, [['content-length', '3']], false, { id: 2 }), ev.data('abc', true, 2),
    ]);
  });

  it('decodes chunked when chunked is the last of several codings (§6.3 rule 4)', () => {
    expectResponse(get, 'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\ntransfer-encoding: Chunked\r\n\r\n2\r\nzz\r\n0\r\n\r\n', [
      ev.start(), ev.response(200, [['transfer-encoding', 'gzip'], ['transfer-encoding', 'Chunked']], false), ev.data('zz', true),
    ]);
  });

  it('reads until close when the last coding is not chunked (§6.3 rule 4; Gun crashed there)', () => {
    expectResponse(get, 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked, gzip\r\ncontent-length: 1\r\n\r\nabcdef', [
      ev.start(), ev.response(200, [['transfer-encoding', 'chunked, gzip'], ['content-length', '1']], false), ev.data('abcdef', true),
    ], { eof: true });
  });

  it('ignores transfer-encoding on an HTTP/1.0 response (Gun)', () => {
    expectResponse(get, 'HTTP/1.0 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 3\r\n\r\nabc', [
      ev.start(), ev.response(200, [['transfer-encoding', 'chunked'], ['content-length', '3']], false, { version: 'HTTP/1.0' }), ev.data('abc', true),
    ]);
  });

  it('accepts identical repeated content-length values, as fields or a list (RFC 9110 §8.6)', () => {
    expectResponse(get, 'HTTP/1.1 200 OK\r\ncontent-length: 2, 2\r\ncontent-length: 2\r\n\r\nok', [
      ev.start(), ev.response(200, [['content-length', '2, 2'], ['content-length', '2']], false), ev.data('ok', true),
    ]);
  });

  it.each([
    { name: 'conflicting fields', fields: 'content-length: 2\r\ncontent-length: 3\r\n' },
    { name: 'a conflicting list', fields: 'content-length: 2, 3\r\n' },
    { name: 'a negative value', fields: 'content-length: -1\r\n' },
    { name: 'a sign', fields: 'content-length: +1\r\n' },
    { name: 'an empty value', fields: 'content-length:\r\n' },
    { name: 'an empty list element', fields: 'content-length: 1,\r\n' },
    { name: 'a hex value', fields: 'content-length: 0x10\r\n' },
    { name: 'a value above 2^53-1', fields: 'content-length: 9007199254740992\r\n' },
    { name: 'a value of 17 digits', fields: 'content-length: 00000000000000001\r\n' },
    { name: 'a non-breaking space (not OWS)', fields: 'content-length: 1\xa0\r\n' },
  ])('rejects $name with H1_ERR_INVALID_CONTENT_LENGTH (§6.3 rule 5)', ({ fields }) => {
    expectResponse(get, `HTTP/1.1 200 OK\r\n${fields}\r\n`, [ev.start(), ev.error(Http1Errors.INVALID_CONTENT_LENGTH)]);
  });

  it('accepts the largest safe content-length', () => {
    const conn = get();
    const events = conn.receive(bytes('HTTP/1.1 200 OK\r\ncontent-length: 9007199254740991\r\n\r\nab'));
    expect(events.map((e) => e.type)).toEqual(['responseStart', 'response', 'data']);
    expect(conn.state).toBe('body');
  });

  it('reads until close without framing, ending with an empty fin data on EOF (§6.3 rule 8)', () => {
    expectResponse(get, 'HTTP/1.1 200 OK\r\n\r\nsome body', [
      ev.start(), ev.response(200, [], false), ev.data('some body', true),
    ], { eof: true });
    const conn = get();
    conn.receive(bytes('HTTP/1.1 200 OK\r\n\r\n'));
    expect(conn.keepAlive).toBe(false);
    expect(conn.receiveEof()).toEqual([{ type: 'data', id: 1, data: new Uint8Array(0), fin: true }]);
    expect(conn.state).toBe('closed');
    expect(conn.pendingIds).toEqual([]);
  });

  it('emits body octets as views of the received chunk, one data event per chunk', () => {
    const conn = get();
    const chunk = bytes('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n01234');
    const events = conn.receive(chunk);
    const data = events[2];
    expect(data).toMatchObject({ type: 'data', fin: false });
    expect(data?.type === 'data' && data.data.buffer).toBe(chunk.buffer);
    const next = bytes('56789');
    const more = conn.receive(next);
    expect(more).toHaveLength(1);
    expect(more[0]?.type === 'data' && more[0].data.buffer).toBe(next.buffer);
  });
});
