import { Http1ClientConnection, Http1Errors } from '../../src/index.js';
import { bytes, output, req } from '../helpers.js';

describe('RFC 9112 §3 request line and head serialisation', () => {
  it('writes METHOD SP target SP HTTP/1.1 CRLF, content-length, host, user fields, CRLF (§3, §5)', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ headers: [['accept', '*/*'], ['x-a', 'b']] }));
    expect(id).toBe(1);
    expect(output(conn)).toBe('GET / HTTP/1.1\r\ncontent-length: 0\r\nhost: example.org\r\naccept: */*\r\nx-a: b\r\n\r\n');
  });

  it('numbers requests 1, 2, 3 in order', () => {
    const conn = new Http1ClientConnection();
    expect([conn.request(req()), conn.request(req()), conn.request(req())]).toEqual([1, 2, 3]);
    expect(conn.pendingIds).toEqual([1, 2, 3]);
  });

  it('sends the target verbatim: absolute-form and authority-form (§3.2.2, §3.2.3)', () => {
    const conn = new Http1ClientConnection();
    conn.request(req({ target: 'http://example.org/a?b=c#' }));
    expect(output(conn)).toMatch(/^GET http:\/\/example\.org\/a\?b=c# HTTP\/1\.1\r\n/);
    conn.request(req({ method: 'CONNECT', target: 'origin.example:443', authority: 'origin.example:443', body: { kind: 'none' } }));
    expect(output(conn)).toBe('CONNECT origin.example:443 HTTP/1.1\r\nhost: origin.example:443\r\n\r\n');
  });

  it('writes a small full body in the same array as the head (one write)', () => {
    const conn = new Http1ClientConnection();
    conn.request(req({ method: 'POST', body: { kind: 'full', data: bytes('hello') } }));
    const out = conn.takeOutput();
    expect(out).toHaveLength(1);
    expect(String.fromCharCode(...out[0]!)).toBe('POST / HTTP/1.1\r\ncontent-length: 5\r\nhost: example.org\r\n\r\nhello');
  });

  it('writes a large full body after the head without copying it', () => {
    const conn = new Http1ClientConnection();
    const body = new Uint8Array(100000).fill(0x61);
    conn.request(req({ method: 'PUT', body: { kind: 'full', data: body } }));
    const out = conn.takeOutput();
    expect(out).toHaveLength(2);
    expect(out[1]).toBe(body);
    expect(String.fromCharCode(...out[0]!)).toBe('PUT / HTTP/1.1\r\ncontent-length: 100000\r\nhost: example.org\r\n\r\n');
  });

  it('keeps the user header order and duplicates', () => {
    const conn = new Http1ClientConnection();
    conn.request(req({ headers: [['b', '1'], ['a', '2'], ['b', '3']] }));
    expect(output(conn)).toBe('GET / HTTP/1.1\r\ncontent-length: 0\r\nhost: example.org\r\nb: 1\r\na: 2\r\nb: 3\r\n\r\n');
  });

  it.each(['', 'GE T', 'GET\r\n', 'G(T', 'MÉTHOD'])('rejects the method %j, which is not a token (RFC 9110 §9.1)', (method) => {
    const conn = new Http1ClientConnection();
    expect(() => conn.request(req({ method }))).toThrow(expect.objectContaining({ code: Http1Errors.INVALID_METHOD, origin: 'local' }));
    expect(conn.takeOutput()).toEqual([]);
    expect(conn.pendingIds).toEqual([]);
  });

  it.each(['', '/a b', '/a\r\nx: y', '/\t', '/\x7f', '/\u0100'])('rejects the target %j with a CTL, SP or non-octet char (§3.2)', (target) => {
    const conn = new Http1ClientConnection();
    expect(() => conn.request(req({ target }))).toThrow(expect.objectContaining({ code: Http1Errors.INVALID_TARGET, origin: 'local' }));
  });

  it('accepts obs-text octets in the target (sent untouched, as Gun does)', () => {
    const conn = new Http1ClientConnection();
    conn.request(req({ target: '/caf\u00e9' }));
    expect(output(conn)).toMatch(/^GET \/caf\u00e9 HTTP\/1\.1/);
  });

  it('writes HTTP/1.0 in the request line in HTTP/1.0 mode (Gun http_opts.version)', () => {
    const conn = new Http1ClientConnection({ version: 'HTTP/1.0' });
    conn.request(req());
    expect(output(conn)).toBe('GET / HTTP/1.0\r\ncontent-length: 0\r\nhost: example.org\r\n\r\n');
  });
});
