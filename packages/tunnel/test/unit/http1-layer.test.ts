import { StreamRef, latin1Decode, latin1Encode } from '@gunhttp/core';
import { Http1Layer, LayerStack, TunnelErrors } from '../../src/index.js';
import type { LayerOutput, RequestCommand } from '../../src/index.js';

const ME = 'me';

function request(overrides: Partial<RequestCommand> = {}): RequestCommand {
  return { type: 'request', streamRef: new StreamRef(), replyTo: ME, method: 'GET', path: '/', headers: [], body: new Uint8Array(0), function: 'request', ...overrides };
}

const wire = (out: LayerOutput): string => out.writes.map((w) => latin1Decode(w)).join('');
const types = (out: LayerOutput): string[] => out.deliveries.map((d) => d.message.type);

describe('Http1Layer', () => {
  it('writes the request and reports request events in order (Gun request_start/headers/end)', () => {
    const layer = new Http1Layer({ authority: 'example.org' });
    const out = layer.command(request({ headers: [['accept', '*/*']] }));
    expect(wire(out)).toBe('GET / HTTP/1.1\r\ncontent-length: 0\r\nhost: example.org\r\naccept: */*\r\n\r\n');
    expect(out.events.map((e) => e.name)).toEqual(['requestStart', 'requestHeaders', 'requestEnd']);
  });

  it('builds only the events its observer reads, each with the fields written', () => {
    const layer = new Http1Layer({ authority: 'h', observer: { observes: (name) => name === 'requestHeaders' || name === 'responseEnd' } });
    const cmd = request({ headers: [['accept', '*/*'], ['host', 'other'], ['content-length', '9']] });
    const sent = layer.command(cmd);
    const done = layer.receive(latin1Encode('HTTP/1.1 204 No Content\r\n\r\n'));
    expect(sent.events).toEqual([{
      name: 'requestHeaders',
      event: { streamRef: cmd.streamRef, replyTo: ME, function: 'request', method: 'GET', authority: 'other', path: '/', headers: [['content-length', '0'], ['host', 'other'], ['accept', '*/*']] },
    }]);
    expect(done.events.map((e) => e.name)).toEqual(['responseEnd']);
  });

  it('turns a response into response and data messages for the replyTo', () => {
    const layer = new Http1Layer({ authority: 'h' });
    const cmd = request();
    layer.command(cmd);
    const out = layer.receive(latin1Encode('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi'));
    expect(out.deliveries).toEqual([
      { replyTo: ME, message: { type: 'response', streamRef: cmd.streamRef, fin: false, status: 200, headers: [['content-length', '2']] } },
      { replyTo: ME, message: { type: 'data', streamRef: cmd.streamRef, fin: true, data: latin1Encode('hi') } },
    ]);
    expect(out.events.map((e) => e.name)).toEqual(['responseStart', 'responseHeaders', 'responseEnd']);
    expect(layer.idle).toBe(true);
  });

  it('gives pipelined streams a closing error after a connection: close response (Gun §5.6)', () => {
    const layer = new Http1Layer({ authority: 'h' });
    const a = request();
    const b = request();
    layer.command(a);
    layer.command(b);
    const out = layer.receive(latin1Encode('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 1\r\n\r\nx'));
    expect(out.deliveries.map((d) => [d.message.type, 'streamRef' in d.message && d.message.streamRef])).toEqual([
      ['response', a.streamRef],
      ['error', b.streamRef],
      ['data', a.streamRef],
    ]);
    expect(out.directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('refuses a request while a body is streaming (TUNNEL_ERR_BODY_IN_PROGRESS)', () => {
    const layer = new Http1Layer({ authority: 'h' });
    layer.command(request({ method: 'POST', body: undefined, function: 'headers' }));
    const out = layer.command(request());
    expect(out.writes).toEqual([]);
    expect(out.deliveries[0]?.message).toMatchObject({ type: 'error', reason: { code: TunnelErrors.BODY_IN_PROGRESS } });
  });

  it('gives closing to a request made after one that closes the connection (RFC 9112 §9.6)', () => {
    const layer = new Http1Layer({ authority: 'h' });
    layer.command(request({ headers: [['connection', 'close']] }));
    const out = layer.command(request());
    expect(out.writes).toEqual([]);
    expect(out.deliveries[0]?.message).toMatchObject({ type: 'error', reason: { code: TunnelErrors.CLOSING } });
  });

  it('a bad method is a stream error, not an exception', () => {
    const layer = new Http1Layer({ authority: 'h' });
    const out = layer.command(request({ method: 'G E T' }));
    expect(out.deliveries[0]?.message).toMatchObject({ type: 'error', reason: { code: 'H1_ERR_INVALID_METHOD' } });
  });

  it('refuses data for an unknown stream (Gun: "The stream cannot be found.")', () => {
    const layer = new Http1Layer({ authority: 'h' });
    const out = layer.command({ type: 'data', streamRef: new StreamRef(), replyTo: ME, fin: true, data: new Uint8Array(1) });
    expect(out.deliveries[0]?.message).toMatchObject({ type: 'error', reason: { code: TunnelErrors.STREAM_NOT_FOUND } });
  });

  it('keeps reading a cancelled stream but delivers nothing for it (Gun §5.7)', () => {
    const layer = new Http1Layer({ authority: 'h' });
    const cmd = request();
    layer.command(cmd);
    const cancelled = layer.command({ type: 'cancel', streamRef: cmd.streamRef, replyTo: ME });
    expect(cancelled.events.map((e) => e.name)).toEqual(['cancel']);
    expect(layer.streamInfo(cmd.streamRef)?.state).toBe('stopping');
    const out = layer.receive(latin1Encode('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi'));
    expect(out.deliveries).toEqual([]);
    expect(layer.streamInfo(cmd.streamRef)).toBeUndefined();
  });

  it('a peer violation tells each replyTo once and closes with the error', () => {
    const layer = new Http1Layer({ authority: 'h' });
    layer.command(request());
    layer.command(request());
    const out = layer.receive(latin1Encode('HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n'));
    expect(types(out)).toEqual(['error']);
    expect(out.deliveries[0]?.message).toMatchObject({ streamRef: undefined });
    expect(out.directives[0]).toMatchObject({ type: 'close', reason: { code: expect.stringMatching(/^H1_ERR_/) } });
  });

  it('the peer closing mid-body is closed, with the stream still open for down', () => {
    const layer = new Http1Layer({ authority: 'h' });
    const cmd = request();
    layer.command(cmd);
    layer.receive(latin1Encode('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'));
    const out = layer.receiveEof();
    expect(out.directives).toEqual([{ type: 'close', reason: 'closed' }]);
    expect(layer.openStreams()).toEqual([cmd.streamRef]);
  });

  it('a close-delimited body ends with data fin on EOF, reason normal', () => {
    const layer = new Http1Layer({ authority: 'h' });
    layer.command(request());
    layer.receive(latin1Encode('HTTP/1.1 200 OK\r\n\r\nabc'));
    const out = layer.receiveEof();
    expect(out.deliveries.at(-1)?.message).toMatchObject({ type: 'data', fin: true });
    expect(out.directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('writes a bare CRLF on keepalive, not while a body streams (Gun §5.4)', () => {
    const layer = new Http1Layer({ authority: 'h' });
    expect(wire(layer.command({ type: 'keepalive' }))).toBe('\r\n');
    layer.command(request({ method: 'POST', body: undefined, function: 'headers' }));
    expect(layer.command({ type: 'keepalive' }).writes).toEqual([]);
  });

  it('shutdown closes at once when idle, or waits for the stream in flight', () => {
    const idle = new Http1Layer({ authority: 'h' });
    expect(idle.command({ type: 'shutdown', reason: 'shutdown' }).directives).toEqual([{ type: 'close', reason: 'normal' }]);
    const busy = new Http1Layer({ authority: 'h', closingTimeout: 100 });
    busy.command(request());
    expect(busy.command({ type: 'shutdown', reason: 'shutdown' }).directives).toEqual([{ type: 'closing', timeout: 100 }]);
    expect(types(busy.command(request()))).toEqual(['error']);
  });
});

describe('LayerStack', () => {
  it('switches to raw after a 101 and hands over the bytes that followed it (Gun §5.16)', () => {
    const stack = new LayerStack(new Http1Layer({ authority: 'h' }));
    const cmd = request({ headers: [['connection', 'upgrade'], ['upgrade', 'custom/1.0']] });
    stack.command(cmd);
    const out = stack.receive(latin1Encode('HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: custom/1.0\r\n\r\nraw!'));
    expect(types(out)).toEqual(['upgrade', 'data']);
    expect(out.deliveries[1]?.message).toMatchObject({ type: 'data', fin: false, streamRef: cmd.streamRef, data: latin1Encode('raw!') });
    expect(stack.protocol).toBe('raw');
    const echo = stack.command({ type: 'data', streamRef: cmd.streamRef, replyTo: ME, fin: false, data: latin1Encode('x') });
    expect(wire(echo)).toBe('x');
    expect(types(stack.command(request()))).toEqual(['error']);
  });
});
