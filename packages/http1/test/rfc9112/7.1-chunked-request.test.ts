import { Http1ClientConnection, Http1Errors } from '../../src/index.js';
import { bytes, output, req } from '../helpers.js';

const streamed = { kind: 'streamed' } as const;

describe('RFC 9112 §6, §7.1 streamed request bodies', () => {
  it('adds transfer-encoding: chunked and frames each data as hex CRLF data CRLF (§7.1)', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ method: 'POST', headers: [['x', 'y']], body: streamed }));
    expect(output(conn)).toBe('POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\nhost: example.org\r\nx: y\r\n\r\n');
    expect(conn.streamingId).toBe(id);
    conn.sendData(id, bytes('hello world, this is 26 b'), { fin: false });
    expect(output(conn)).toBe('19\r\nhello world, this is 26 b\r\n');
    conn.sendData(id, bytes('ab'), { fin: true });
    expect(output(conn)).toBe('2\r\nab\r\n0\r\n\r\n');
    expect(conn.streamingId).toBeUndefined();
  });

  it('writes nothing for empty non-fin data and only the last chunk for empty fin data', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ method: 'POST', body: streamed }));
    conn.takeOutput();
    conn.sendData(id, new Uint8Array(0), { fin: false });
    expect(conn.takeOutput()).toEqual([]);
    conn.sendData(id, new Uint8Array(0), { fin: true });
    expect(output(conn)).toBe('0\r\n\r\n');
  });

  it('passes large chunks through without copying them', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ method: 'POST', body: streamed }));
    conn.takeOutput();
    const data = new Uint8Array(65536);
    conn.sendData(id, data, { fin: true });
    const out = conn.takeOutput();
    expect(out[1]).toBe(data);
    expect(String.fromCharCode(...out[0]!)).toBe('10000\r\n');
    expect(String.fromCharCode(...out[2]!)).toBe('\r\n0\r\n\r\n');
  });

  it('ends a chunked body with a trailer section (§7.1.2)', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ method: 'POST', body: streamed }));
    conn.takeOutput();
    conn.sendData(id, bytes('a'), { fin: false });
    conn.sendTrailers(id, [['expires', 'never'], ['x-sum', '1']]);
    expect(output(conn)).toBe('1\r\na\r\n0\r\nexpires: never\r\nx-sum: 1\r\n\r\n');
    expect(conn.streamingId).toBeUndefined();
  });

  it('keeps a user content-length and writes the body raw, in place (§6.2)', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ method: 'PUT', headers: [['a', '1'], ['content-length', '4'], ['transfer-encoding', 'gzip']], body: streamed }));
    expect(output(conn)).toBe('PUT / HTTP/1.1\r\nhost: example.org\r\na: 1\r\ncontent-length: 4\r\n\r\n');
    conn.sendData(id, bytes('ab'), { fin: false });
    conn.sendData(id, bytes('cd'), { fin: true });
    expect(output(conn)).toBe('abcd');
  });

  it('rejects data beyond the declared content-length, writing nothing (H1_ERR_BODY_LENGTH)', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ method: 'PUT', headers: [['content-length', '3']], body: streamed }));
    conn.takeOutput();
    conn.sendData(id, bytes('ab'), { fin: false });
    expect(() => conn.sendData(id, bytes('cd'), { fin: false })).toThrow(expect.objectContaining({ code: Http1Errors.BODY_LENGTH, origin: 'local' }));
    expect(output(conn)).toBe('ab');
  });

  it('rejects fin before the declared content-length is reached (H1_ERR_BODY_LENGTH)', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ method: 'PUT', headers: [['content-length', '3']], body: streamed }));
    expect(() => conn.sendData(id, bytes('ab'), { fin: true })).toThrow(expect.objectContaining({ code: Http1Errors.BODY_LENGTH }));
    expect(conn.streamingId).toBe(id);
    conn.sendData(id, bytes('abc'), { fin: true });
    expect(conn.streamingId).toBeUndefined();
  });

  it('rejects an invalid user content-length on a streamed body', () => {
    const conn = new Http1ClientConnection();
    expect(() => conn.request(req({ headers: [['content-length', '-1']], body: streamed })))
      .toThrow(expect.objectContaining({ code: Http1Errors.INVALID_CONTENT_LENGTH, origin: 'local' }));
  });

  it('rejects trailers on a body that is not chunked (H1_ERR_NOT_CHUNKED)', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ headers: [['content-length', '0']], body: streamed }));
    expect(() => conn.sendTrailers(id, [])).toThrow(expect.objectContaining({ code: Http1Errors.NOT_CHUNKED }));
  });

  it('rejects a request while a body is streaming (H1_ERR_BODY_IN_PROGRESS; Gun crashes there)', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ method: 'POST', body: streamed }));
    expect(() => conn.request(req())).toThrow(expect.objectContaining({ code: Http1Errors.BODY_IN_PROGRESS, origin: 'local' }));
    conn.sendData(id, new Uint8Array(0), { fin: true });
    expect(conn.request(req())).toBe(2);
  });

  it('rejects data for a request that is not streaming (H1_ERR_NOT_STREAMING)', () => {
    const conn = new Http1ClientConnection();
    const first = conn.request(req());
    expect(() => conn.sendData(first, bytes('a'), { fin: true })).toThrow(expect.objectContaining({ code: Http1Errors.NOT_STREAMING }));
    const second = conn.request(req({ body: streamed }));
    expect(() => conn.sendData(first, bytes('a'), { fin: true })).toThrow(expect.objectContaining({ code: Http1Errors.NOT_STREAMING }));
    expect(() => conn.sendTrailers(99, [])).toThrow(expect.objectContaining({ code: Http1Errors.NOT_STREAMING }));
    conn.sendData(second, bytes('a'), { fin: true });
    expect(() => conn.sendData(second, bytes('a'), { fin: true })).toThrow(expect.objectContaining({ code: Http1Errors.NOT_STREAMING }));
  });

  it('writes a streamed body without length raw in HTTP/1.0 mode (Gun §5.5)', () => {
    const conn = new Http1ClientConnection({ version: 'HTTP/1.0' });
    const id = conn.request(req({ method: 'POST', body: streamed }));
    expect(output(conn)).toBe('POST / HTTP/1.0\r\nhost: example.org\r\n\r\n');
    conn.sendData(id, bytes('abc'), { fin: false });
    conn.sendData(id, bytes('d'), { fin: true });
    expect(output(conn)).toBe('abcd');
    expect(conn.streamingId).toBeUndefined();
  });

  it('never writes content-length or transfer-encoding for CONNECT (RFC 9110 §9.3.6)', () => {
    const conn = new Http1ClientConnection();
    conn.request(req({ method: 'CONNECT', target: 'a:1', headers: [['content-length', '5'], ['transfer-encoding', 'chunked']] }));
    expect(output(conn)).toBe('CONNECT a:1 HTTP/1.1\r\nhost: example.org\r\n\r\n');
    const other = new Http1ClientConnection();
    expect(() => other.request(req({ method: 'CONNECT', body: streamed }))).toThrow(expect.objectContaining({ code: Http1Errors.BODY_NOT_ALLOWED }));
    expect(() => other.request(req({ method: 'CONNECT', body: { kind: 'full', data: bytes('x') } })))
      .toThrow(expect.objectContaining({ code: Http1Errors.BODY_NOT_ALLOWED }));
  });
});
