import { GunError, StreamRef, latin1Decode, latin1Encode } from '@gunhttp/core';
import { coalesceData, expectEventsForAllChunkings } from '@gunhttp/testkit';
import { Http1Layer, TunnelErrors } from '../../src/index.js';
import type { ConnectCommand, Destination, GunCommand, LayerOutput, RequestCommand } from '../../src/index.js';
import { basicCredentials, ConnectTracker, connectRequest } from '../../src/layers/http1-connect.js';
import { hopMachine } from './hop-machine.js';

const ME = 'me';
const OTHER = 'other';
const DEST: Destination = { host: 'origin.example', port: 443 };

function connect(overrides: Partial<ConnectCommand> = {}): ConnectCommand {
  return { type: 'connect', streamRef: new StreamRef(), replyTo: ME, destination: DEST, headers: [], ...overrides };
}

function request(overrides: Partial<RequestCommand> = {}): RequestCommand {
  return { type: 'request', streamRef: new StreamRef(), replyTo: ME, method: 'GET', path: '/', headers: [], body: new Uint8Array(0), function: 'request', ...overrides };
}

const wire = (out: LayerOutput): string => out.writes.map((w) => latin1Decode(w)).join('');
const types = (out: LayerOutput): string[] => out.deliveries.map((d) => d.message.type);
const codeOf = (out: LayerOutput, i = 0): unknown => {
  const m = out.deliveries[i]?.message;
  return m?.type === 'error' ? m.reason.code : undefined;
};
const OK = 'HTTP/1.1 200 Connection Established\r\n\r\n';

describe('Http1Layer connect: the CONNECT request', () => {
  it('reports request events with function connect, the authority and no path (Gun request_start)', () => {
    const layer = new Http1Layer({ authority: 'proxy:3128' });
    const cmd = connect();
    const out = layer.command(cmd);
    expect(out.events.map((e) => e.name)).toEqual(['requestStart', 'requestHeaders', 'requestEnd']);
    const started = out.events[0]?.event as Record<string, unknown>;
    expect(started).toMatchObject({ function: 'connect', method: 'CONNECT', authority: 'origin.example:443', headers: [['host', 'origin.example:443']] });
    expect(started).not.toHaveProperty('path');
  });

  it('refuses a CONNECT while another stream is in flight (TUNNEL_ERR_CONNECT_BUSY, Gun badstate)', () => {
    const layer = new Http1Layer({ authority: 'proxy' });
    layer.command(request());
    const out = layer.command(connect());
    expect(out.writes).toEqual([]);
    expect(codeOf(out)).toBe(TunnelErrors.CONNECT_BUSY);
  });

  it.each([
    ['port 0', { host: 'h', port: 0 }],
    ['port 65536', { host: 'h', port: 65536 }],
    ['a fractional port', { host: 'h', port: 80.5 }],
    ['an empty host', { host: '', port: 80 }],
    ['a user-id with a colon (RFC 7617 §2)', { host: 'h', port: 80, username: 'a:b', password: 'p' }],
    ['a password with a control character', { host: 'h', port: 80, username: 'a', password: 'p\r\n' }],
  ])('refuses %s as TUNNEL_ERR_BAD_ARGUMENT, writing nothing', (_name, destination: Destination) => {
    const layer = new Http1Layer({ authority: 'proxy' });
    const out = layer.command(connect({ destination }));
    expect(out.writes).toEqual([]);
    expect(codeOf(out)).toBe(TunnelErrors.BAD_ARGUMENT);
    expect(layer.idle).toBe(true);
  });

  it('accepts ports 1 and 65535', () => {
    for (const port of [1, 65535]) {
      expect(wire(new Http1Layer({ authority: 'p' }).command(connect({ destination: { host: 'h', port } })))).toMatch(new RegExp(`^CONNECT h:${port} `));
    }
  });

  it('encodes the credentials as UTF-8 and the password defaults to empty', () => {
    expect(basicCredentials('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(basicCredentials('test', '123£')).toBe('Basic dGVzdDoxMjPCow==');
    const made = connectRequest(connect({ destination: { host: 'h', port: 1, username: 'u' } }), false);
    expect(made).not.toBeInstanceOf(GunError);
    expect(!(made instanceof GunError) && made.request.headers).toEqual([['proxy-authorization', 'Basic dTo=']]);
  });
});

describe('Http1Layer connect: the answer', () => {
  it('a 2xx: response fin, then a tunnel directive with the bytes after the head, on every chunking', () => {
    const cmd = connect();
    const make = (): ReturnType<typeof hopMachine> => {
      const layer = new Http1Layer({ authority: 'proxy', conn: 'c' });
      layer.command(cmd);
      return hopMachine(layer);
    };
    const tunnel = { type: 'tunnel', scope: 'connection', via: 'connect', streamRef: cmd.streamRef, replyTo: ME, destination: DEST, pending: [] };
    const response = { type: 'response', conn: 'c', streamRef: cmd.streamRef, fin: true, status: 200, headers: [['via', '1.1 p']] };
    const bytes = latin1Encode('HTTP/1.1 200 OK\r\nvia: 1.1 p\r\n\r\n');
    expectEventsForAllChunkings(make, bytes, [response, tunnel], {
      normalize: coalesceData,
      trailing: latin1Encode('\x16\x03\x01 TLS hello'),
      trailingExpected: [response, tunnel, { type: 'data', next: true, fin: false, data: latin1Encode('\x16\x03\x01 TLS hello') }],
    });
  });

  it('reports responseHeaders and responseEnd for the 2xx, and the layer is then finished', () => {
    const layer = new Http1Layer({ authority: 'proxy' });
    const cmd = connect();
    layer.command(cmd);
    const out = layer.receive(latin1Encode(OK));
    expect(out.events.map((e) => e.name)).toEqual(['responseStart', 'responseHeaders', 'responseEnd']);
    expect(layer.idle).toBe(true);
    expect(layer.openStreams()).toEqual([]);
    expect(codeOf(layer.command(request()))).toBe(TunnelErrors.TUNNELLED);
    expect(layer.command({ type: 'keepalive' })).toEqual({ deliveries: [], writes: [], directives: [], events: [] });
    expect(() => layer.receive(latin1Encode('x'))).toThrow(expect.objectContaining({ code: TunnelErrors.TUNNELLED }));
  });

  it('holds the commands made while the CONNECT awaits its answer and hands them over in order', () => {
    const layer = new Http1Layer({ authority: 'proxy' });
    const cmd = connect();
    layer.command(cmd);
    const inner = new StreamRef(cmd.streamRef);
    const held: GunCommand[] = [
      request({ streamRef: inner, method: 'POST', body: undefined, function: 'headers' }),
      { type: 'data', streamRef: inner, replyTo: ME, fin: true, data: latin1Encode('body') },
      { type: 'ping', pingRef: new StreamRef(), replyTo: ME },
      { type: 'cancel', streamRef: inner, replyTo: ME },
    ];
    for (const c of held) expect(layer.command(c)).toEqual({ deliveries: [], writes: [], directives: [], events: [] });
    expect(layer.openStreams()).toEqual([cmd.streamRef, inner]);
    expect(layer.streamInfo(inner)).toEqual({ ref: inner, replyTo: ME, state: 'running' });
    const out = layer.receive(latin1Encode(OK));
    expect(out.directives).toEqual([expect.objectContaining({ type: 'tunnel', pending: held })]);
  });

  it('writes no keepalive CRLF while the CONNECT awaits its answer (Gun §5.4)', () => {
    const layer = new Http1Layer({ authority: 'proxy' });
    layer.command(connect());
    expect(layer.command({ type: 'keepalive' }).writes).toEqual([]);
  });

  it('a non-2xx is a plain response with its body; the held commands then run on this connection', () => {
    const layer = new Http1Layer({ authority: 'proxy' });
    const cmd = connect();
    layer.command(cmd);
    const after = request({ path: '/next', replyTo: OTHER });
    layer.command(after);
    const out = layer.receive(latin1Encode('HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic\r\ncontent-length: 4\r\n\r\nauth'));
    expect(out.deliveries.map((d) => d.message)).toEqual([
      expect.objectContaining({ type: 'response', streamRef: cmd.streamRef, status: 407, fin: false }),
      expect.objectContaining({ type: 'data', streamRef: cmd.streamRef, fin: true, data: latin1Encode('auth') }),
    ]);
    expect(out.directives).toEqual([]);
    expect(wire(out)).toMatch(/^GET \/next HTTP\/1.1\r\n/);
    expect(layer.openStreams()).toEqual([after.streamRef]);
  });

  it('a non-2xx with connection: close gives the held requests closing errors and closes', () => {
    const layer = new Http1Layer({ authority: 'proxy' });
    layer.command(connect());
    layer.command(request({ replyTo: OTHER }));
    const out = layer.receive(latin1Encode('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n'));
    expect(types(out)).toEqual(['response', 'error']);
    expect(codeOf(out, 1)).toBe(TunnelErrors.CLOSING);
    expect(out.writes).toEqual([]);
    expect(out.directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('a cancelled CONNECT delivers nothing but still tunnels (Gun switches anyway)', () => {
    const layer = new Http1Layer({ authority: 'proxy' });
    const cmd = connect();
    layer.command(cmd);
    layer.command({ type: 'cancel', streamRef: cmd.streamRef, replyTo: ME });
    const out = layer.receive(latin1Encode(OK));
    expect(out.deliveries).toEqual([]);
    expect(out.directives).toEqual([expect.objectContaining({ type: 'tunnel', streamRef: cmd.streamRef })]);
  });

  it('data on the CONNECT stream itself is refused, not held (a CONNECT has no content)', () => {
    const layer = new Http1Layer({ authority: 'proxy' });
    const cmd = connect();
    layer.command(cmd);
    const out = layer.command({ type: 'data', streamRef: cmd.streamRef, replyTo: ME, fin: true, data: latin1Encode('x') });
    expect(codeOf(out)).toBe(TunnelErrors.STREAM_CLOSED);
  });

  it('a graceful shutdown while waiting refuses the held commands; a 2xx then closes instead of tunnelling', () => {
    const layer = new Http1Layer({ authority: 'proxy', closingTimeout: 50 });
    const cmd = connect();
    layer.command(cmd);
    layer.command(request({ replyTo: OTHER }));
    const shut = layer.command({ type: 'shutdown', reason: 'shutdown' });
    expect(types(shut)).toEqual(['error']);
    expect(codeOf(shut)).toBe(TunnelErrors.CLOSING);
    expect(shut.directives).toEqual([{ type: 'closing', timeout: 50 }]);
    const out = layer.receive(latin1Encode(OK));
    expect(types(out)).toEqual(['response']);
    expect(out.directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('the proxy closing before answering is closed, and down kills the CONNECT and the held streams', () => {
    const layer = new Http1Layer({ authority: 'proxy' });
    const cmd = connect();
    layer.command(cmd);
    const held = request();
    layer.command(held);
    expect(layer.receiveEof().directives).toEqual([{ type: 'close', reason: 'closed' }]);
    expect(layer.openStreams()).toEqual([cmd.streamRef, held.streamRef]);
  });

  it('a malformed answer tells the CONNECT and the held commands\' replyTo once each and closes', () => {
    const layer = new Http1Layer({ authority: 'proxy' });
    layer.command(connect());
    layer.command(request({ replyTo: OTHER }));
    layer.command(request({ replyTo: OTHER }));
    const out = layer.receive(latin1Encode('HTTP/1.1 2000 Nope\r\n\r\n'));
    expect(out.deliveries.map((d) => d.replyTo)).toEqual([ME, OTHER]);
    expect(out.directives).toEqual([expect.objectContaining({ type: 'close', reason: expect.any(GunError) })]);
  });
});

describe('ConnectTracker', () => {
  it('holds nothing when idle, and releases nothing unless awaiting', () => {
    const t = new ConnectTracker();
    expect(t.holds(request())).toBe(false);
    expect(t.release()).toEqual([]);
    expect(t.name).toBe('idle');
    const ref = new StreamRef();
    t.begin(ref);
    expect(t.holds({ type: 'updateFlow', streamRef: ref, increment: 1 })).toBe(false);
    expect(t.holds({ type: 'updateFlow', streamRef: new StreamRef(), increment: 1 })).toBe(true);
    expect(t.tunnel()).toEqual([]);
    expect(t.name).toBe('tunnelled');
    expect(t.release()).toEqual([]);
    expect(t.name).toBe('tunnelled');
  });
});
