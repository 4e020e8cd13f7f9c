import { Http1ClientConnection, Http1Errors } from '../../src/index.js';
import { bytes, connWith, ev, expectResponse, req } from '../helpers.js';

const ok0 = 'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n';

describe('RFC 9112 §9.3 persistence and pipelining', () => {
  it('matches pipelined responses to requests in order, HEAD rules per request (§9.3.2)', () => {
    const make = connWith([{}, { method: 'HEAD' }, {}]);
    expectResponse(make, 'HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\naHTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nc', [
      ev.start(1), ev.response(200, [['content-length', '1']], false), ev.data('a', true),
      ev.start(2), ev.response(200, [['content-length', '9']], true, { id: 2 }),
      ev.start(3), ev.response(200, [['content-length', '1']], false, { id: 3 }), ev.data('c', true, 3),
    ]);
    const conn = make();
    conn.receive(bytes('HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\na'));
    expect(conn.pendingIds).toEqual([2, 3]);
    expect(conn.state).toBe('idle');
    expect(conn.keepAlive).toBe(true);
  });

  it('keeps the connection open by default in HTTP/1.1 (§9.3)', () => {
    const conn = connWith()();
    conn.receive(bytes(ok0));
    expect(conn.keepAlive).toBe(true);
    expect(conn.state).toBe('idle');
    expect(conn.request(req())).toBe(2);
  });

  it('closes after the response to a request with connection: close (§9.6)', () => {
    const conn = connWith([{ headers: [['connection', 'keep-alive, Close']] }])();
    expect(conn.keepAlive).toBe(false);
    expect(() => conn.request(req())).toThrow(expect.objectContaining({ code: Http1Errors.NOT_ACCEPTING_REQUESTS, origin: 'local' }));
    expect(conn.receive(bytes(`${ok0}HTTP/1.1 200 OK\r\n`)).map((e) => e.type)).toEqual(['responseStart', 'response']);
    expect(conn.state).toBe('closed');
    expect(conn.receive(bytes('anything'))).toEqual([]);
    expect(conn.receiveEof()).toEqual([]);
  });

  it('does not close for unrelated connection tokens (Gun Q10: only close closes)', () => {
    const conn = connWith([{ headers: [['connection', 'te'], ['te', 'trailers']] }])();
    conn.receive(bytes(ok0));
    expect(conn.state).toBe('idle');
    expect(conn.keepAlive).toBe(true);
  });

  it('reports keepAlive for the current response only: a later close request does not end earlier ones', () => {
    const conn = connWith([{}, { headers: [['connection', 'close']] }])();
    expect(conn.keepAlive).toBe(true);
    conn.receive(bytes(ok0));
    expect(conn.keepAlive).toBe(false);
    conn.receive(bytes(ok0));
    expect(conn.state).toBe('closed');
  });

  it('closes after a response with connection: close, ignoring later octets', () => {
    const make = connWith([{}, {}]);
    expectResponse(make, `HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 2\r\n\r\nab${ok0}`, [
      ev.start(1), ev.response(200, [['connection', 'close'], ['content-length', '2']], false), ev.data('ab', true),
    ]);
    const conn = make();
    conn.receive(bytes('HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 2\r\n\r\n'));
    expect(conn.keepAlive).toBe(false);
    expect(() => conn.request(req())).toThrow(expect.objectContaining({ code: Http1Errors.NOT_ACCEPTING_REQUESTS }));
    conn.receive(bytes('ab'));
    expect(conn.state).toBe('closed');
    expect(conn.pendingIds).toEqual([2]);
  });

  it('closes after any HTTP/1.0 response (Gun §5.5)', () => {
    const conn = connWith([{}, {}])();
    conn.receive(bytes('HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n'));
    expect(conn.state).toBe('closed');
    expect(conn.keepAlive).toBe(false);
  });

  it('in HTTP/1.0 mode closes after the response unless the request says keep-alive (RFC 9112 §9.3)', () => {
    const closing = new Http1ClientConnection({ version: 'HTTP/1.0' });
    closing.request(req());
    expect(closing.keepAlive).toBe(false);
    const kept = new Http1ClientConnection({ version: 'HTTP/1.0' });
    kept.request(req({ headers: [['connection', 'keep-alive']] }));
    expect(kept.keepAlive).toBe(true);
    kept.receive(bytes(ok0));
    expect(kept.state).toBe('idle');
  });

  it('refuses requests once switched or failed', () => {
    const conn = connWith([{ method: 'CONNECT', body: { kind: 'none' } }])();
    conn.receive(bytes(ok0));
    expect(conn.state).toBe('switched');
    expect(() => conn.request(req())).toThrow(expect.objectContaining({ code: Http1Errors.NOT_ACCEPTING_REQUESTS }));
    const failed = connWith()();
    failed.receive(bytes('garbage\r\n\r\n'));
    expect(failed.state).toBe('error');
    expect(() => failed.request(req())).toThrow(expect.objectContaining({ code: Http1Errors.NOT_ACCEPTING_REQUESTS }));
  });

  it('parses a response that arrives while the request body is still streaming', () => {
    const conn = new Http1ClientConnection();
    const id = conn.request(req({ method: 'POST', body: { kind: 'streamed' } }));
    expect(conn.receive(bytes('HTTP/1.1 413 Too Large\r\ncontent-length: 0\r\n\r\n')).map((e) => e.type)).toEqual(['responseStart', 'response']);
    expect(conn.pendingIds).toEqual([]);
    expect(conn.streamingId).toBe(id);
    conn.sendData(id, new Uint8Array(0), { fin: true });
    expect(conn.streamingId).toBeUndefined();
  });
});

describe('RFC 9112 §8 incomplete messages and unexpected octets', () => {
  it('rejects octets arriving with no outstanding request (H1_ERR_UNEXPECTED_DATA)', () => {
    expectResponse(() => new Http1ClientConnection(), 'HTTP/1.1 200 OK\r\n\r\n', [ev.error(Http1Errors.UNEXPECTED_DATA)]);
    expectResponse(connWith(), `${ok0}x`, [ev.start(), ev.response(200, [['content-length', '0']], true), ev.error(Http1Errors.UNEXPECTED_DATA)]);
  });

  it.each([
    { name: 'in the head', wire: 'HTTP/1.1 200 OK\r\ncontent-' },
    { name: 'in a content-length body', wire: 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nab' },
    { name: 'in a chunked body', wire: 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab' },
    { name: 'in trailers', wire: 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\nx: 1\r\n' },
  ])('reports an EOF $name as H1_ERR_PREMATURE_EOF', ({ wire }) => {
    const conn = connWith()();
    conn.receive(bytes(wire));
    const events = conn.receiveEof();
    expect(events[events.length - 1]).toMatchObject({ type: 'error', error: { code: Http1Errors.PREMATURE_EOF, origin: 'remote' } });
    expect(conn.state).toBe('error');
  });

  it('reports nothing for an EOF between responses, leaving pending requests to the caller', () => {
    const conn = connWith([{}, {}])();
    conn.receive(bytes(ok0));
    expect(conn.receiveEof()).toEqual([]);
    expect(conn.state).toBe('closed');
    expect(conn.pendingIds).toEqual([2]);
  });
});
