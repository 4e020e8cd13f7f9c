import { bytes, connWith, ev, expectResponse, text } from '../helpers.js';

const connect = connWith([{ method: 'CONNECT', target: 'origin:443', body: { kind: 'none' } }]);

describe('RFC 9110 §9.3.6 CONNECT', () => {
  it('switches on a 2xx: a response with fin, then an upgrade with no protocols, ignoring body framing', () => {
    const headers: Array<[string, string]> = [['content-length', '10'], ['transfer-encoding', 'chunked']];
    expectResponse(connect, 'HTTP/1.1 200 Connection established\r\ncontent-length: 10\r\ntransfer-encoding: chunked\r\n\r\n', [
      ev.start(), ev.response(200, headers, true, { reason: 'Connection established' }), ev.upgrade(200, headers, []),
    ]);
  });

  it('hands the octets after a 2xx head to the tunnel (Gun Q7)', () => {
    const conn = connect();
    conn.receive(bytes('HTTP/1.0 200 OK\r\n\r\n\x16\x03\x01'));
    expect(conn.state).toBe('switched');
    expect(text(conn.takeRemainder())).toBe('\x16\x03\x01');
  });

  it('reads a non-2xx answer as a normal response with a body', () => {
    expectResponse(connect, 'HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 2\r\n\r\nno', [
      ev.start(), ev.response(407, [['content-length', '2']], false, { reason: 'Proxy Authentication Required' }), ev.data('no', true),
    ]);
  });

  it('reports 1xx before the 2xx', () => {
    expectResponse(connect, 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n', [
      ev.start(), ev.inform(100), ev.response(200, [], true), ev.upgrade(200, [], []),
    ]);
  });
});
