import { createHash } from 'node:crypto';
import { StreamRef, latin1Decode, latin1Encode } from '@gunhttp/core';
import { computeAccept, WsErrors } from '@gunhttp/websocket';
import { Http1Layer, LayerStack, TunnelErrors } from '../../src/index.js';
import type { LayerOutput, WsPlatform, WsUpgradeCommand } from '../../src/index.js';

const ME = 'me';
const NONCE = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
const KEY = 'AQIDBAUGBwgJCgsMDQ4PEA==';
const platform: WsPlatform = {
  randomBytes: (n) => (n === 16 ? NONCE : new Uint8Array(n)),
  sha1: (b) => new Uint8Array(createHash('sha1').update(b).digest()),
};

const wire = (out: LayerOutput): string => out.writes.map((w) => latin1Decode(w)).join('');
const codes = (out: LayerOutput): unknown[] => out.deliveries.map((d) => (d.message.type === 'error' ? [d.message.streamRef === undefined ? 'conn' : 'stream', d.message.reason.code] : d.message.type));

function upgrade(opts: WsUpgradeCommand['opts'] = {}, extra: Partial<WsUpgradeCommand> = {}): WsUpgradeCommand {
  return { type: 'wsUpgrade', streamRef: new StreamRef(), replyTo: ME, path: '/ws', headers: [], opts, ...extra };
}

const response101 = (extra = ''): Uint8Array =>
  latin1Encode(`HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-accept: ${computeAccept(KEY, platform.sha1)}\r\n${extra}\r\n`);

describe('Http1Layer wsUpgrade request (RFC 6455 §4.1, Gun §5.10)', () => {
  it('sends a GET with Gun\'s fields, the key from randomBytes, then the user fields, and no framing field', () => {
    const layer = new Http1Layer({ authority: 'example.org', ws: platform });
    const out = layer.command(upgrade({}, { headers: [['origin', 'http://example.org']] }));
    expect(wire(out)).toBe(
      'GET /ws HTTP/1.1\r\nhost: example.org\r\nconnection: upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\n'
      + `sec-websocket-key: ${KEY}\r\norigin: http://example.org\r\n\r\n`,
    );
    expect(out.events.map((e) => e.name)).toEqual(['wsUpgrade', 'requestStart', 'requestHeaders', 'requestEnd']);
    expect(out.events[1]?.event).toMatchObject({ function: 'wsUpgrade', method: 'GET', path: '/ws' });
  });

  it('offers subprotocols in order, then Gun\'s permessage-deflate offer with compress', () => {
    const handler = { init: () => null, handle: (_f: unknown, state: null) => ({ flow: 0, state }) };
    const layer = new Http1Layer({ authority: 'h', ws: { ...platform, deflate: () => { throw new Error('unused'); } } });
    const out = layer.command(upgrade({ compress: true, protocols: [['chat', handler], ['superchat', handler]] }));
    expect(wire(out)).toContain('sec-websocket-protocol: chat, superchat\r\nsec-websocket-extensions: permessage-deflate; client_max_window_bits; server_max_window_bits=15\r\n');
  });

  it('sends no keepalive CRLF while the upgrade awaits its 101, as the server would read it as Websocket bytes (regression)', () => {
    const layer = new Http1Layer({ authority: 'h', ws: platform });
    layer.command(upgrade());
    expect(wire(layer.command({ type: 'keepalive' }))).toBe('');
    const idle = new Http1Layer({ authority: 'h', ws: platform });
    expect(wire(idle.command({ type: 'keepalive' }))).toBe('\r\n');
  });

  it('without a WsPlatform answers TUNNEL_ERR_UNSUPPORTED and writes nothing', () => {
    const out = new Http1Layer({ authority: 'h' }).command(upgrade());
    expect([codes(out), out.writes]).toEqual([[['stream', TunnelErrors.UNSUPPORTED]], []]);
  });

  it('refuses compress without a deflate implementation, ill-typed options and non-token subprotocols', () => {
    const layer = new Http1Layer({ authority: 'h', ws: platform });
    const handler = { init: () => null, handle: (_f: unknown, state: null) => ({ flow: 0, state }) };
    expect(codes(layer.command(upgrade({ compress: true })))).toEqual([['stream', TunnelErrors.UNSUPPORTED]]);
    expect(codes(layer.command(upgrade({ silencePings: 'yes' })))).toEqual([['stream', TunnelErrors.BAD_ARGUMENT]]);
    expect(codes(layer.command(upgrade({ protocols: [['a b', handler]] })))).toEqual([['stream', WsErrors.BAD_ARGUMENT]]);
    expect(codes(layer.command(upgrade({ maxFrameSize: -1 })))).toEqual([['stream', TunnelErrors.BAD_ARGUMENT]]);
  });

  it('refuses a Websocket over an HTTP/1.0 connection (Gun badstate)', () => {
    const out = new Http1Layer({ authority: 'h', version: 'HTTP/1.0', ws: platform }).command(upgrade());
    expect([codes(out), out.writes]).toEqual([[['stream', TunnelErrors.BAD_STATE]], []]);
  });

  it('answers wsSend before an upgrade with a connection-wide error (Gun ws_send_http)', () => {
    const out = new Http1Layer({ authority: 'h', ws: platform }).command({ type: 'wsSend', streamRef: new StreamRef(), replyTo: ME, frames: [{ type: 'text', data: 'x' }] });
    expect(codes(out)).toEqual([['conn', TunnelErrors.NOT_A_WEBSOCKET]]);
  });
});

describe('LayerStack after a Websocket 101', () => {
  it('switches to a WsLayer that masks frames with keys from randomBytes', () => {
    const stack = new LayerStack(new Http1Layer({ authority: 'h', ws: platform, conn: 'c' }), 'c');
    const cmd = upgrade();
    stack.command(cmd);
    const out = stack.receive(response101());
    expect(out.deliveries.map((d) => d.message)).toEqual([{ type: 'upgrade', conn: 'c', streamRef: cmd.streamRef, protocols: ['websocket'], headers: expect.any(Array) }]);
    expect([stack.protocol, out.directives]).toEqual(['ws', []]);
    const sent = stack.command({ type: 'wsSend', streamRef: cmd.streamRef, replyTo: ME, frames: [{ type: 'text', data: 'hi' }] });
    // FIN + text, MASK + length 2, the zero key from randomBytes(4), payload XOR 0.
    expect([...sent.writes[0] ?? []]).toEqual([0x81, 0x82, 0, 0, 0, 0, 0x68, 0x69]);
    expect(codes(stack.command({ type: 'request', streamRef: new StreamRef(), replyTo: ME, method: 'GET', path: '/', headers: [], body: undefined, function: 'request' })))
      .toEqual([['conn', TunnelErrors.BAD_STATE]]);
  });

  it('fails the upgrade when the server selects a subprotocol that was not offered (RFC 6455 §4.1)', () => {
    const stack = new LayerStack(new Http1Layer({ authority: 'h', ws: platform }));
    stack.command(upgrade());
    const out = stack.receive(response101('sec-websocket-protocol: chat\r\n'));
    expect(codes(out)).toEqual([['stream', WsErrors.INVALID_PROTOCOL]]);
    expect(out.directives.map((d) => d.type)).toEqual(['close']);
    expect(stack.protocol).toBe('http');
  });

  it('fails the upgrade on an extension that was not offered (RFC 6455 §9.1)', () => {
    const stack = new LayerStack(new Http1Layer({ authority: 'h', ws: platform }));
    stack.command(upgrade());
    expect(codes(stack.receive(response101('sec-websocket-extensions: permessage-deflate\r\n')))).toEqual([['stream', WsErrors.INVALID_EXTENSIONS]]);
  });
});
