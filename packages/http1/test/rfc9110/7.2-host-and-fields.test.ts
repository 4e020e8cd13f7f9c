import { Http1ClientConnection } from '../../src/index.js';
import { output, req } from '../helpers.js';

describe('RFC 9110 §7.2 Host, and the fields the codec adds (Gun §5.2)', () => {
  it('uses the authority as host when the user gives none', () => {
    const conn = new Http1ClientConnection();
    conn.request(req({ authority: '[::1]:8080' }));
    expect(output(conn)).toContain('\r\nhost: [::1]:8080\r\n');
  });

  it('moves the user host to the host position and uses it verbatim', () => {
    const conn = new Http1ClientConnection();
    conn.request(req({ headers: [['accept', 'x'], ['host', 'Other.Example:81']] }));
    expect(output(conn)).toBe('GET / HTTP/1.1\r\ncontent-length: 0\r\nhost: Other.Example:81\r\naccept: x\r\n\r\n');
  });

  it('writes a single host field even when the user gave several (RFC 9112 §3.2)', () => {
    const conn = new Http1ClientConnection();
    conn.request(req({ headers: [['host', 'a'], ['host', 'b']] }));
    expect(output(conn).match(/host:/g)).toHaveLength(1);
  });

  it('drops the user transfer-encoding and content-length of a full body, writing the real length', () => {
    const conn = new Http1ClientConnection();
    conn.request(req({ method: 'POST', headers: [['content-length', '99'], ['transfer-encoding', 'chunked'], ['x', 'y']], body: { kind: 'full', data: Uint8Array.of(1, 2) } }));
    expect(output(conn)).toBe('POST / HTTP/1.1\r\ncontent-length: 2\r\nhost: example.org\r\nx: y\r\n\r\n\x01\x02');
  });

  it('writes no framing field for a body of kind none, dropping the user ones', () => {
    const conn = new Http1ClientConnection();
    conn.request(req({ headers: [['content-length', '3'], ['transfer-encoding', 'chunked']], body: { kind: 'none' } }));
    expect(output(conn)).toBe('GET / HTTP/1.1\r\nhost: example.org\r\n\r\n');
  });

  it('applies transformHeaderName to every name written, the added ones too (differs from Gun)', () => {
    const upper = (n: string): string => n.toUpperCase();
    const conn = new Http1ClientConnection({ transformHeaderName: upper });
    conn.request(req({ headers: [['x-a', 'b']] }));
    expect(output(conn)).toBe('GET / HTTP/1.1\r\nCONTENT-LENGTH: 0\r\nHOST: example.org\r\nX-A: b\r\n\r\n');
    conn.request(req({ method: 'POST', body: { kind: 'streamed' } }));
    expect(output(conn)).toContain('\r\nTRANSFER-ENCODING: chunked\r\nHOST: example.org\r\n');
    conn.sendTrailers(2, [['x-checksum', '1']]);
    expect(output(conn)).toBe('0\r\nX-CHECKSUM: 1\r\n\r\n');
  });
});
