import { Http1Errors, HTTP1_DEFAULTS } from '../../src/index.js';
import type { Http1Options } from '../../src/index.js';
import { connWith, ev, expectResponse } from '../helpers.js';

const opts = (o: Http1Options): Http1Options => o;
const chunkedHead = 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n';
const te: Array<[string, string]> = [['transfer-encoding', 'chunked']];
const few = { randomSplits: 3 };

describe('limits, each at N and N+1', () => {
  it('maxStatusLineLength counts the status line without its CRLF', () => {
    const line = 'HTTP/1.1 200 ' + 'x'.repeat(7);
    expect(line).toHaveLength(20);
    expectResponse(connWith([{}], opts({ maxStatusLineLength: 20 })), `${line}\r\n\r\n`, [ev.start(), ev.response(200, [], false, { reason: 'xxxxxxx' })], few);
    expectResponse(connWith([{}], opts({ maxStatusLineLength: 19 })), `${line}\r\n\r\n`, [ev.start(), ev.error(Http1Errors.STATUS_LINE_TOO_LONG)], few);
  });

  it('maxStatusLineLength stops an endless status line without buffering it', () => {
    const conn = connWith([{}], opts({ maxStatusLineLength: 20 }))();
    expect(conn.receive(new Uint8Array(21).fill(0x41))).toEqual([{ type: 'responseStart', id: 1 }]);
    expect(conn.receive(new Uint8Array(1).fill(0x41))).toMatchObject([{ type: 'error', error: { code: Http1Errors.STATUS_LINE_TOO_LONG } }]);
  });

  it('maxFieldLineLength counts a field line without its CRLF, in heads and trailers', () => {
    const field = 'x: ' + 'v'.repeat(7);
    expectResponse(connWith([{}], opts({ maxFieldLineLength: 10 })), `HTTP/1.1 204 \r\n${field}\r\n\r\n`, [ev.start(), ev.response(204, [['x', 'vvvvvvv']], true, { reason: '' })], few);
    expectResponse(connWith([{}], opts({ maxFieldLineLength: 9 })), `HTTP/1.1 204 \r\n${field}\r\n\r\n`, [ev.start(), ev.error(Http1Errors.FIELD_LINE_TOO_LONG)], few);
    // transfer-encoding: chunked is 26 octets long: the trailer field is 26, then 27.
    const trailer = (n: number): string => `${chunkedHead}0\r\nx: ${'v'.repeat(n - 3)}\r\n\r\n`;
    expectResponse(connWith([{}], opts({ maxFieldLineLength: 26 })), trailer(26), [ev.start(), ev.response(200, te, false), ev.trailers([['x', 'v'.repeat(23)]])], few);
    expectResponse(connWith([{}], opts({ maxFieldLineLength: 26 })), trailer(27), [ev.start(), ev.response(200, te, false), ev.error(Http1Errors.FIELD_LINE_TOO_LONG)], few);
  });

  it('maxHeaderCount counts the fields of a head and of a trailer section', () => {
    const fields = 'a: 1\r\nb: 2\r\nc: 3\r\n';
    expectResponse(connWith([{}], opts({ maxHeaderCount: 3 })), `HTTP/1.1 204 \r\n${fields}\r\n`, [
      ev.start(), ev.response(204, [['a', '1'], ['b', '2'], ['c', '3']], true, { reason: '' }),
    ], few);
    expectResponse(connWith([{}], opts({ maxHeaderCount: 2 })), `HTTP/1.1 204 \r\n${fields}\r\n`, [ev.start(), ev.error(Http1Errors.TOO_MANY_FIELDS)], few);
    expectResponse(connWith([{}], opts({ maxHeaderCount: 3 })), `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n${fields}\r\n`, [
      ev.start(), ev.response(200, te, false), ev.trailers([['a', '1'], ['b', '2'], ['c', '3']]),
    ], few);
    expectResponse(connWith([{}], opts({ maxHeaderCount: 2 })), `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n${fields}\r\n`, [
      ev.start(), ev.response(200, te, false), ev.error(Http1Errors.TOO_MANY_FIELDS),
    ], few);
  });

  it('maxHeaderBlockSize counts the whole head with its line endings (default 100000, Gun)', () => {
    expect(HTTP1_DEFAULTS.maxHeaderBlockSize).toBe(100000);
    const head = 'HTTP/1.1 204 \r\nx: ' + 'v'.repeat(100000 - 22) + '\r\n\r\n';
    expect(head).toHaveLength(100000);
    const make = connWith([{}], opts({ maxFieldLineLength: 200000 }));
    const events = make().receive(Uint8Array.from(head, (c) => c.charCodeAt(0)));
    expect(events.map((e) => e.type)).toEqual(['responseStart', 'response']);
    const over = make().receive(Uint8Array.from(head.replace('x: ', 'x:  '), (c) => c.charCodeAt(0)));
    expect(over).toMatchObject([{ type: 'responseStart' }, { type: 'error', error: { code: Http1Errors.HEADER_BLOCK_TOO_LARGE } }]);
  });

  it('maxHeaderBlockSize stops a head that never ends as soon as it is passed', () => {
    const conn = connWith([{}], opts({ maxHeaderBlockSize: 40 }))();
    const line = Uint8Array.from('a: 1\r\n', (c) => c.charCodeAt(0));
    conn.receive(Uint8Array.from('HTTP/1.1 200 OK\r\n', (c) => c.charCodeAt(0)));
    const types: string[] = [];
    for (let i = 0; i < 10 && conn.state !== 'error'; i++) for (const e of conn.receive(line)) types.push(e.type);
    expect(types).toEqual(['error']);
  });

  it('maxHeaderBlockSize at N and N+1 on all chunkings', () => {
    const head = 'HTTP/1.1 204 \r\na: 1\r\n\r\n';
    expectResponse(connWith([{}], opts({ maxHeaderBlockSize: head.length })), head, [ev.start(), ev.response(204, [['a', '1']], true, { reason: '' })], few);
    expectResponse(connWith([{}], opts({ maxHeaderBlockSize: head.length - 1 })), head, [ev.start(), ev.error(Http1Errors.HEADER_BLOCK_TOO_LARGE)], few);
  });

  it('maxTrailerBlockSize counts the trailer section with its final CRLF (default 10000, Gun)', () => {
    expect(HTTP1_DEFAULTS.maxTrailerBlockSize).toBe(10000);
    const trailers = 'a: 1\r\n\r\n';
    expectResponse(connWith([{}], opts({ maxTrailerBlockSize: 8 })), `${chunkedHead}0\r\n${trailers}`, [ev.start(), ev.response(200, te, false), ev.trailers([['a', '1']])], few);
    expectResponse(connWith([{}], opts({ maxTrailerBlockSize: 7 })), `${chunkedHead}0\r\n${trailers}`, [
      ev.start(), ev.response(200, te, false), ev.error(Http1Errors.TRAILER_BLOCK_TOO_LARGE),
    ], few);
  });

  it('maxChunkSizeLineLength counts the chunk-size line with extensions, without CRLF', () => {
    const line = '1;ext=value';
    expectResponse(connWith([{}], opts({ maxChunkSizeLineLength: 11 })), `${chunkedHead}${line}\r\na\r\n0\r\n\r\n`, [
      ev.start(), ev.response(200, te, false), ev.data('a', true),
    ], few);
    expectResponse(connWith([{}], opts({ maxChunkSizeLineLength: 10 })), `${chunkedHead}${line}\r\na\r\n0\r\n\r\n`, [
      ev.start(), ev.response(200, te, false), ev.error(Http1Errors.CHUNK_SIZE_LINE_TOO_LONG),
    ], few);
  });
});
