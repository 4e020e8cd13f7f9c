import { StreamRef, latin1Encode } from '@gunhttp/core';
import { H2ErrorCodes } from '@gunhttp/http2';
import type { ConnectCommand } from '../../src/commands.js';
import { TunnelErrors } from '../../src/errors.js';
import type { Directive, LayerOutput } from '../../src/layer.js';
import { TUNNEL_FLOW } from '../../src/layers/http2-connect-streams.js';
import { ME, bytes, connected, errorCode, eventNames, frameTypes, messages, request } from '../unit/h2-peer.js';

function connect(overrides: Partial<ConnectCommand> = {}): ConnectCommand {
  return { type: 'connect', streamRef: new StreamRef(), replyTo: ME, destination: { host: 'origin.example', port: 443 }, headers: [], ...overrides };
}

const directiveTypes = (out: LayerOutput): string[] => out.directives.map((d) => d.type);
const OK: Array<[string, string]> = [[':status', '200']];
/** Windows small enough that 1000 octets consumed send a WINDOW_UPDATE. */
const SMALL_WINDOWS = { codec: { initialConnectionWindowSize: 65535, initialStreamWindowSize: 65535 } };

/** A layer with a CONNECT on stream 1 answered 200: the tunnel is up. */
function tunnelUp(options: Parameters<typeof connected>[0] = {}): ReturnType<typeof connected> & { cmd: ConnectCommand; up: LayerOutput } {
  const c = connected(options);
  const cmd = connect();
  c.layer.command(cmd);
  const up = c.layer.receive(bytes(c.peer.head(1, [...OK])));
  return { ...c, cmd, up };
}

describe('CONNECT over HTTP/2 (RFC 9113 §8.5; Gun §5.12 over an HTTP/2 proxy)', () => {
  it('sends :method CONNECT and :authority host:port only, with no :scheme or :path and no END_STREAM (RFC 9113 §8.5)', () => {
    const { layer, peer } = connected();
    const out = layer.command(connect({ headers: [['Host', 'x'], ['user-agent', 'gun']] }));
    const frames = peer.read(out);
    expect(frames).toEqual([expect.objectContaining({ type: 'headers', streamId: 1, endStream: false })]);
    expect(peer.headers(frames)).toEqual([[[':method', 'CONNECT'], [':authority', 'origin.example:443'], ['user-agent', 'gun']]]);
    expect(eventNames(out)).toEqual(['requestStart', 'requestHeaders', 'requestEnd']);
    expect(out.events[0]?.event).toMatchObject({ function: 'connect', method: 'CONNECT', authority: 'origin.example:443' });
  });

  it('puts an IPv6 destination in brackets and adds proxy-authorization Basic from the credentials (RFC 9110 §11.7.2)', () => {
    const { layer, peer } = connected();
    const frames = peer.read(layer.command(connect({ destination: { host: '::1', port: 8080, username: 'u', password: 'p' } })));
    expect(peer.headers(frames)).toEqual([[[':method', 'CONNECT'], [':authority', '[::1]:8080'], ['proxy-authorization', 'Basic dTpw']]]);
  });

  it('a 2xx without END_STREAM makes the stream a tunnel: a response with fin, then the tunnel directive with scope stream', () => {
    const { cmd, up } = tunnelUp();
    expect(messages(up)).toEqual([expect.objectContaining({ type: 'response', streamRef: cmd.streamRef, fin: true, status: 200 })]);
    expect(up.directives).toEqual([
      expect.objectContaining({ type: 'tunnel', scope: 'stream', via: 'connect', streamRef: cmd.streamRef, replyTo: ME, destination: cmd.destination, pending: [] }),
    ]);
    expect(eventNames(up)).toEqual(['responseStart', 'responseHeaders', 'responseEnd']);
  });

  it("the tunnel's DATA leave as tunnelData directives, END_STREAM as tunnelEof; no data message reaches the replyTo", () => {
    const { layer, up: _up, cmd } = tunnelUp();
    const out = layer.receive(bytes({ type: 'data', streamId: 1, data: latin1Encode('abc') }, { type: 'data', streamId: 1, data: latin1Encode('de'), endStream: true }));
    expect(messages(out)).toEqual([]);
    expect(out.directives).toEqual<Directive[]>([
      { type: 'tunnelData', streamRef: cmd.streamRef, data: latin1Encode('abc') },
      { type: 'tunnelData', streamRef: cmd.streamRef, data: latin1Encode('de') },
      { type: 'tunnelEof', streamRef: cmd.streamRef },
    ]);
    expect(layer.openStreams()).toEqual([cmd.streamRef]);
  });

  it("data commands on the CONNECT's ref write DATA on its stream while other streams go on (RFC 9113 §8.5)", () => {
    const { layer, peer, cmd } = tunnelUp();
    const frames = peer.read(layer.command({ type: 'data', streamRef: cmd.streamRef, replyTo: ME, fin: false, data: latin1Encode('hello') }));
    expect(frames).toEqual([expect.objectContaining({ type: 'data', streamId: 1, endStream: false })]);
    const get = request();
    expect(peer.read(layer.command(get))).toEqual([expect.objectContaining({ type: 'headers', streamId: 3 })]);
    const answer = layer.receive(bytes(peer.head(3, [[':status', '204']], true)));
    expect(messages(answer)).toEqual([expect.objectContaining({ type: 'response', streamRef: get.streamRef, status: 204, fin: true })]);
    expect(layer.openStreams()).toEqual([cmd.streamRef]);
  });

  it('RST_STREAM on the tunnel is a stream error for the CONNECT, then tunnelClosed with the same error', () => {
    const { layer, cmd } = tunnelUp();
    const out = layer.receive(bytes({ type: 'rstStream', streamId: 1, errorCode: H2ErrorCodes.CONNECT_ERROR }));
    expect(messages(out)).toEqual([expect.objectContaining({ type: 'error', streamRef: cmd.streamRef })]);
    const closed = out.directives[0];
    expect(closed).toMatchObject({ type: 'tunnelClosed', streamRef: cmd.streamRef });
    expect(closed?.type === 'tunnelClosed' && closed.reason !== 'cancelled' ? closed.reason.h2Code : undefined).toBe('CONNECT_ERROR');
    expect(layer.openStreams()).toEqual([]);
  });

  it("the tunnel's DATA re-open both windows at once (RFC 9113 §6.9)", () => {
    const { layer, peer } = tunnelUp(SMALL_WINDOWS);
    const out = layer.receive(bytes({ type: 'data', streamId: 1, data: new Uint8Array(1000) }));
    expect(peer.read(out).filter((f) => f.type === 'windowUpdate').map((f) => f.streamId).sort()).toEqual([0, 1]);
  });

  it("updateFlow by -TUNNEL_FLOW pauses the tunnel: its DATA re-open only the connection's window; +TUNNEL_FLOW gives the stream's back (RFC 9113 §5.2.2)", () => {
    const { layer, peer, cmd } = tunnelUp(SMALL_WINDOWS);
    const data = { type: 'data', streamId: 1, data: new Uint8Array(1000) } as const;
    layer.command({ type: 'updateFlow', streamRef: cmd.streamRef, increment: -TUNNEL_FLOW });
    for (let i = 0; i < 3; i++) {
      const out = layer.receive(bytes(data));
      expect(directiveTypes(out)).toEqual(['tunnelData']);
      expect(peer.read(out).filter((f) => f.type === 'windowUpdate').map((f) => f.streamId)).toEqual([0]);
    }
    const resumed = peer.read(layer.command({ type: 'updateFlow', streamRef: cmd.streamRef, increment: TUNNEL_FLOW }));
    expect(resumed).toEqual([expect.objectContaining({ type: 'windowUpdate', streamId: 1 })]);
    // The 3000 octets withheld are given back (with the codec's margin on top).
    expect(resumed[0]?.type === 'windowUpdate' ? resumed[0].increment : 0).toBeGreaterThanOrEqual(3000);
    const after = layer.receive(bytes(data));
    expect(peer.read(after).filter((f) => f.type === 'windowUpdate').map((f) => f.streamId).sort()).toEqual([0, 1]);
  });

  it('cancel resets the tunnel with CANCEL and reports tunnelClosed cancelled', () => {
    const { layer, peer, cmd } = tunnelUp();
    const out = layer.command({ type: 'cancel', streamRef: cmd.streamRef, replyTo: ME });
    expect(peer.read(out)).toEqual([expect.objectContaining({ type: 'rstStream', streamId: 1, errorCode: H2ErrorCodes.CANCEL })]);
    expect(out.directives).toEqual([{ type: 'tunnelClosed', streamRef: cmd.streamRef, reason: 'cancelled' }]);
  });

  it('any other answer is a plain response whose body is delivered as data, after tunnelClosed TUNNEL_ERR_NOT_A_TUNNEL', () => {
    const { layer, peer } = connected();
    const cmd = connect();
    layer.command(cmd);
    const out = layer.receive(bytes(peer.head(1, [[':status', '407']]), { type: 'data', streamId: 1, data: latin1Encode('no'), endStream: true }));
    expect(messages(out)).toEqual([
      expect.objectContaining({ type: 'response', streamRef: cmd.streamRef, status: 407, fin: false }),
      expect.objectContaining({ type: 'data', streamRef: cmd.streamRef, fin: true }),
    ]);
    expect(out.directives).toEqual([expect.objectContaining({ type: 'tunnelClosed', streamRef: cmd.streamRef })]);
    const closed = out.directives[0];
    expect(closed?.type === 'tunnelClosed' && closed.reason !== 'cancelled' ? closed.reason.code : undefined).toBe(TunnelErrors.NOT_A_TUNNEL);
  });

  it('a 2xx with END_STREAM opens no tunnel: the stream ended (RFC 9113 §8.5)', () => {
    const { layer, peer } = connected();
    layer.command(connect());
    const out = layer.receive(bytes(peer.head(1, [...OK], true)));
    expect(messages(out)).toEqual([expect.objectContaining({ type: 'response', status: 200, fin: true })]);
    expect(directiveTypes(out)).toEqual(['tunnelClosed']);
  });

  it('after our GOAWAY a CONNECT gets TUNNEL_ERR_CLOSING; a bad destination TUNNEL_ERR_BAD_ARGUMENT', () => {
    const { layer, peer } = connected();
    const bad = layer.command(connect({ destination: { host: '', port: 1 } }));
    expect(errorCode(bad.deliveries[0])).toBe(TunnelErrors.BAD_ARGUMENT);
    expect(directiveTypes(bad)).toEqual(['tunnelClosed']);
    layer.command(request());
    layer.command({ type: 'shutdown', reason: 'shutdown' });
    const out = layer.command(connect());
    expect(errorCode(out.deliveries[0])).toBe(TunnelErrors.CLOSING);
    expect(directiveTypes(out)).toEqual(['tunnelClosed']);
    expect(frameTypes(peer.read(out))).toEqual([]);
  });
});
