import { GunError, StreamRef, latin1Encode } from '@gunhttp/core';
import type { HeaderList } from '@gunhttp/core';
import { H2ErrorCodes, Http2Errors, SettingId } from '@gunhttp/http2';
import { TunnelErrors } from '../../src/errors.js';
import { NO_EVENTS } from '../../src/layer.js';
import { Http2Layer } from '../../src/layers/http2-layer.js';
import { decodeOpaque, encodeOpaque } from '../../src/layers/http2-pings.js';
import { ME, CONN, Peer, bytes, request, connected, messages, errorCode, eventNames, frameTypes } from './h2-peer.js';

describe('Http2Layer: preface and requests (Gun §5.2, §5.11)', () => {
  it('start() writes the client preface once: magic, SETTINGS, WINDOW_UPDATE (RFC 9113 §3.4)', () => {
    const layer = new Http2Layer({ scheme: 'http', authority: 'h' });
    const peer = new Peer();
    const frames = peer.read(layer.start(), true);
    expect(frameTypes(frames)).toEqual(['settings', 'windowUpdate']);
    expect(frames[1]).toMatchObject({ streamId: 0, increment: 8000000 - 65535 });
    expect(layer.start().writes).toEqual([]);
    expect([layer.awaitingPreface, layer.settingsAckPending]).toEqual([true, true]);
    layer.receive(bytes({ type: 'settings' }));
    expect([layer.awaitingPreface, layer.settingsAckPending]).toEqual([false, true]);
    layer.receive(bytes({ type: 'settings', ack: true }));
    expect(layer.settingsAckPending).toBe(false);
  });

  it('starts the codec itself when the first command comes before start()', () => {
    const layer = new Http2Layer({ scheme: 'http', authority: 'h' });
    const frames = new Peer().read(layer.command(request()), true);
    expect(frameTypes(frames)).toEqual(['settings', 'windowUpdate', 'headers']);
  });

  it('sends pseudo-headers first, the user host as :authority, drops connection-specific fields, and an empty body as HEADERS with END_STREAM only', () => {
    const { layer, peer } = connected();
    const out = layer.command(request({
      headers: [['Host', 'other.example:8080'], ['connection', 'keep-alive'], ['keep-alive', '5'], ['proxy-connection', 'x'],
        ['transfer-encoding', 'chunked'], ['upgrade', 'h2c'], ['accept', '*/*']],
    }));
    const frames = peer.read(out);
    expect(frames).toEqual([expect.objectContaining({ type: 'headers', streamId: 1, endStream: true })]);
    expect(peer.headers(frames)).toEqual([[
      [':method', 'GET'], [':scheme', 'http'], [':authority', 'other.example:8080'], [':path', '/'], ['accept', '*/*'], ['content-length', '0'],
    ]]);
    expect(eventNames(out)).toEqual(['requestStart', 'requestHeaders', 'requestEnd']);
    expect(out.events[0]?.event).toMatchObject({ authority: 'other.example:8080', method: 'GET', path: '/', function: 'request' });
  });

  it('uses the connection authority without a host header and replaces the user content-length in place', () => {
    const { layer, peer } = connected({ scheme: 'https' });
    const body = latin1Encode('hello');
    const frames = peer.read(layer.command(request({ method: 'POST', headers: [['content-length', '99'], ['x', 'y'], ['content-length', '1']], body })));
    expect(frameTypes(frames)).toEqual(['headers', 'data']);
    expect(frames[0]).toMatchObject({ endStream: false });
    expect(frames[1]).toMatchObject({ type: 'data', streamId: 1, endStream: true, data: body });
    expect(peer.headers(frames)[0]).toEqual([
      [':method', 'POST'], [':scheme', 'https'], [':authority', 'example.org'], [':path', '/'], ['content-length', '5'], ['x', 'y'],
    ]);
  });

  it('opens a headers-only request without END_STREAM or content-length; data with fin ends it', () => {
    const { layer, peer } = connected();
    const cmd = request({ method: 'POST', body: undefined, function: 'headers' });
    const opened = layer.command(cmd);
    const frames = peer.read(opened);
    expect(frames[0]).toMatchObject({ type: 'headers', endStream: false });
    expect(peer.headers(frames)[0]?.some(([n]) => n === 'content-length')).toBe(false);
    expect(eventNames(opened)).toEqual(['requestStart', 'requestHeaders']);
    const first = layer.command({ type: 'data', streamRef: cmd.streamRef, replyTo: ME, fin: false, data: latin1Encode('ab') });
    expect(peer.read(first)).toEqual([expect.objectContaining({ type: 'data', endStream: false, data: latin1Encode('ab') })]);
    const last = layer.command({ type: 'data', streamRef: cmd.streamRef, replyTo: ME, fin: true, data: latin1Encode('c') });
    expect(peer.read(last)).toEqual([expect.objectContaining({ type: 'data', endStream: true })]);
    expect(eventNames(last)).toEqual(['requestEnd']);
    const late = layer.command({ type: 'data', streamRef: cmd.streamRef, replyTo: ME, fin: true, data: latin1Encode('d') });
    expect(late.writes).toEqual([]);
    expect(errorCode(late.deliveries[0])).toBe(TunnelErrors.STREAM_CLOSED);
  });

  it('forces END_STREAM on a headers-only HEAD (Cowlib)', () => {
    const { layer, peer } = connected();
    const frames = peer.read(layer.command(request({ method: 'HEAD', body: undefined, function: 'headers' })));
    expect(frames).toEqual([expect.objectContaining({ type: 'headers', endStream: true })]);
  });

  it('sends a HEAD with a full body as HEADERS with END_STREAM only', () => {
    const { layer, peer } = connected();
    const frames = peer.read(layer.command(request({ method: 'HEAD', body: latin1Encode('ignored') })));
    expect(frames).toEqual([expect.objectContaining({ type: 'headers', endStream: true })]);
  });

  it('refuses data for an unknown stream (TUNNEL_ERR_STREAM_NOT_FOUND)', () => {
    const { layer } = connected();
    const out = layer.command({ type: 'data', streamRef: new StreamRef(), replyTo: ME, fin: true, data: new Uint8Array(1) });
    expect(out.writes).toEqual([]);
    expect(errorCode(out.deliveries[0])).toBe(TunnelErrors.STREAM_NOT_FOUND);
  });

  it('gives too_many_streams at the server MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2) and accepts one below it', () => {
    const { layer, peer } = connected({}, { type: 'settings', settings: [[SettingId.MAX_CONCURRENT_STREAMS, 2]] });
    expect(peer.read(layer.command(request()))).toHaveLength(1);
    expect(peer.read(layer.command(request()))).toHaveLength(1);
    const third = request();
    const out = layer.command(third);
    expect(out.writes).toEqual([]);
    expect(out.deliveries).toEqual([{ replyTo: ME, message: expect.objectContaining({ type: 'error', conn: CONN, streamRef: third.streamRef }) }]);
    expect(errorCode(out.deliveries[0])).toBe(Http2Errors.TOO_MANY_STREAMS);
    expect(layer.streamInfo(third.streamRef)).toBeUndefined();
  });

  it('reports no events when nobody observes', () => {
    const { layer } = connected({ observer: NO_EVENTS });
    layer.command(request());
    const out = layer.receive(bytes(new Peer().head(1, [[':status', '200']], true)));
    expect(out.events).toEqual([]);
    expect(messages(out).map((m) => m.type)).toEqual(['response']);
  });

  it('builds only the events its observer reads', () => {
    const { layer } = connected({ observer: { observes: (name) => name === 'requestStart' || name === 'responseEnd' } });
    const sent = layer.command(request());
    const out = layer.receive(bytes(new Peer().head(1, [[':status', '200']], true)));
    expect([...eventNames(sent), ...eventNames(out)]).toEqual(['requestStart', 'responseEnd']);
  });
});

describe('Http2Layer: responses (Gun §3)', () => {
  it('delivers response (pseudo-headers removed) and data with conn stamped, then forgets the stream', () => {
    const { layer, peer } = connected();
    const cmd = request();
    layer.command(cmd);
    const out = layer.receive(bytes(peer.head(1, [[':status', '200'], ['content-type', 'text/plain']]), { type: 'data', streamId: 1, data: latin1Encode('hi'), endStream: true }));
    expect(out.deliveries).toEqual([
      { replyTo: ME, message: { type: 'response', conn: CONN, streamRef: cmd.streamRef, fin: false, status: 200, headers: [['content-type', 'text/plain']] } },
      { replyTo: ME, message: { type: 'data', conn: CONN, streamRef: cmd.streamRef, fin: true, data: latin1Encode('hi') } },
    ]);
    expect(eventNames(out)).toEqual(['responseStart', 'responseHeaders', 'responseEnd']);
    expect(layer.idle).toBe(true);
    expect(layer.streamInfo(cmd.streamRef)).toBeUndefined();
  });

  it('reports a stream as running while its response is read', () => {
    const { layer, peer } = connected();
    const cmd = request();
    layer.command(cmd);
    layer.receive(bytes(peer.head(1, [[':status', '200']])));
    expect(layer.streamInfo(cmd.streamRef)).toEqual({ ref: cmd.streamRef, replyTo: ME, state: 'running' });
    expect(layer.openStreams()).toEqual([cmd.streamRef]);
  });

  it('delivers 1xx as inform before the response, with one responseStart', () => {
    const { layer, peer } = connected();
    layer.command(request());
    const out = layer.receive(bytes(peer.head(1, [[':status', '103'], ['link', '</a>']]), peer.head(1, [[':status', '204']], true)));
    expect(messages(out)).toEqual([
      expect.objectContaining({ type: 'inform', status: 103, headers: [['link', '</a>']] }),
      expect.objectContaining({ type: 'response', status: 204, fin: true, headers: [] }),
    ]);
    expect(eventNames(out)).toEqual(['responseStart', 'responseInform', 'responseHeaders', 'responseEnd']);
  });

  it('delivers trailers, which end the response', () => {
    const { layer, peer } = connected();
    layer.command(request());
    const out = layer.receive(bytes(peer.head(1, [[':status', '200']]), { type: 'data', streamId: 1, data: latin1Encode('x') }, peer.head(1, [['grpc-status', '0']], true)));
    expect(messages(out).map((m) => m.type)).toEqual(['response', 'data', 'trailers']);
    expect(messages(out)[1]).toMatchObject({ fin: false });
    expect(messages(out)[2]).toMatchObject({ headers: [['grpc-status', '0']] });
    expect(eventNames(out)).toContain('responseTrailers');
    expect(layer.idle).toBe(true);
  });

  it('consumes delivered data at once so the windows re-open (RFC 9113 §6.9)', () => {
    const codec = { initialConnectionWindowSize: 65535, initialStreamWindowSize: 65535 };
    const { layer, peer } = connected({ codec });
    layer.command(request());
    const out = layer.receive(bytes(peer.head(1, [[':status', '200']]), { type: 'data', streamId: 1, data: new Uint8Array(1000) }));
    const updates = peer.read(out).filter((f) => f.type === 'windowUpdate');
    expect(updates.map((f) => f.streamId).sort()).toEqual([0, 1]);
  });

  it('turns a server RST_STREAM into a stream error and a remote cancel event (Gun §5.7)', () => {
    const { layer } = connected();
    const cmd = request();
    layer.command(cmd);
    const out = layer.receive(bytes({ type: 'rstStream', streamId: 1, errorCode: H2ErrorCodes.REFUSED_STREAM }));
    expect(out.deliveries).toEqual([{ replyTo: ME, message: expect.objectContaining({ type: 'error', streamRef: cmd.streamRef }) }]);
    const reason = (messages(out)[0] as { reason: GunError }).reason;
    expect([reason.code, reason.h2Code]).toEqual([Http2Errors.STREAM_RESET, 'REFUSED_STREAM']);
    expect(out.events).toEqual([{ name: 'cancel', event: { streamRef: cmd.streamRef, replyTo: ME, endpoint: 'remote', reason: 'REFUSED_STREAM' } }]);
    expect(layer.idle).toBe(true);
  });

  it('turns a malformed response into a stream error with RST_STREAM (RFC 9113 §8.1.1)', () => {
    const { layer, peer } = connected();
    const cmd = request();
    layer.command(cmd);
    const out = layer.receive(bytes(peer.head(1, [['content-type', 'x']])));
    expect(errorCode(out.deliveries[0])).toBe(Http2Errors.MALFORMED);
    expect(peer.read(out)).toEqual([expect.objectContaining({ type: 'rstStream', streamId: 1, errorCode: H2ErrorCodes.PROTOCOL_ERROR })]);
    expect(layer.streamInfo(cmd.streamRef)).toBeUndefined();
  });
});

describe('Http2Layer: cancel (Gun §5.7)', () => {
  it('sends RST_STREAM(CANCEL), forgets the stream at once and delivers nothing more for it', () => {
    const { layer, peer } = connected();
    const cmd = request();
    layer.command(cmd);
    const out = layer.command({ type: 'cancel', streamRef: cmd.streamRef, replyTo: ME });
    expect(peer.read(out)).toEqual([expect.objectContaining({ type: 'rstStream', streamId: 1, errorCode: H2ErrorCodes.CANCEL })]);
    expect(out.events).toEqual([{ name: 'cancel', event: { streamRef: cmd.streamRef, replyTo: ME, endpoint: 'local', reason: 'cancel' } }]);
    expect(layer.streamInfo(cmd.streamRef)).toBeUndefined();
    const late = layer.receive(bytes(peer.head(1, [[':status', '200']]), { type: 'data', streamId: 1, data: new Uint8Array(10), endStream: true }));
    expect(late.deliveries).toEqual([]);
  });

  it('refuses to cancel an unknown stream (TUNNEL_ERR_STREAM_NOT_FOUND)', () => {
    const { layer } = connected();
    const out = layer.command({ type: 'cancel', streamRef: new StreamRef(), replyTo: ME });
    expect(errorCode(out.deliveries[0])).toBe(TunnelErrors.STREAM_NOT_FOUND);
  });
});

describe('Http2Layer: server push (Gun §5.11)', () => {
  const promised = (authority: string, scheme = 'http'): HeaderList => [[':method', 'GET'], [':scheme', scheme], [':authority', authority], [':path', '/style.css'], ['accept', 'text/css']];

  it('delivers push on the parent stream before its response, and the pushed response to the parent replyTo', () => {
    const { layer, peer } = connected();
    const cmd = request({ replyTo: 'parent-owner' });
    layer.command(cmd);
    const out = layer.receive(bytes(peer.push(1, 2, promised('example.org')), peer.head(1, [[':status', '200']], true), peer.head(2, [[':status', '200']]), { type: 'data', streamId: 2, data: latin1Encode('css'), endStream: true }));
    const push = messages(out)[0];
    expect(push).toEqual({ type: 'push', conn: CONN, streamRef: cmd.streamRef, newStreamRef: expect.any(StreamRef), method: 'GET', uri: 'http://example.org/style.css', headers: [['accept', 'text/css']] });
    const newRef = (push as { newStreamRef: StreamRef }).newStreamRef;
    expect(newRef.parent).toBeUndefined();
    expect(out.deliveries.map((d) => [d.replyTo, d.message.type, 'streamRef' in d.message ? d.message.streamRef : undefined])).toEqual([
      ['parent-owner', 'push', cmd.streamRef],
      ['parent-owner', 'response', cmd.streamRef],
      ['parent-owner', 'response', newRef],
      ['parent-owner', 'data', newRef],
    ]);
    expect(eventNames(out).slice(0, 2)).toEqual(['pushPromiseStart', 'pushPromiseEnd']);
    expect(out.events[1]?.event).toMatchObject({ promisedStreamRef: newRef, uri: 'http://example.org/style.css' });
    expect(layer.idle).toBe(true);
  });

  it('gives a pushed stream of a tunnelled request the same tunnel parent', () => {
    const { layer, peer } = connected();
    const tunnel = new StreamRef();
    layer.command(request({ streamRef: new StreamRef(tunnel) }));
    const out = layer.receive(bytes(peer.push(1, 2, promised('example.org'))));
    expect((messages(out)[0] as { newStreamRef: StreamRef }).newStreamRef.parent).toBe(tunnel);
  });

  it('can cancel a pushed stream by its new ref', () => {
    const { layer, peer } = connected();
    layer.command(request());
    const ref = (messages(layer.receive(bytes(peer.push(1, 2, promised('example.org')))))[0] as { newStreamRef: StreamRef }).newStreamRef;
    const out = layer.command({ type: 'cancel', streamRef: ref, replyTo: ME });
    expect(peer.read(out)).toEqual([expect.objectContaining({ type: 'rstStream', streamId: 2, errorCode: H2ErrorCodes.CANCEL })]);
  });

  it.each([
    ['an authority that differs from the request', promised('evil.example')],
    ['the same authority with a port', promised('example.org:80')],
    ['another scheme', promised('example.org', 'https')],
  ])('refuses a promise with %s: RST_STREAM(PROTOCOL_ERROR), no push message (Gun 2.4)', (_name, headers) => {
    const { layer, peer } = connected();
    layer.command(request());
    const out = layer.receive(bytes(peer.push(1, 2, headers)));
    expect(out.deliveries).toEqual([]);
    expect(peer.read(out)).toEqual([expect.objectContaining({ type: 'rstStream', streamId: 2, errorCode: H2ErrorCodes.PROTOCOL_ERROR })]);
    expect(out.events[1]).toEqual({ name: 'pushPromiseEnd', event: expect.not.objectContaining({ promisedStreamRef: expect.anything() }) });
    const late = layer.receive(bytes(peer.head(2, [[':status', '200']], true)));
    expect(late.deliveries).toEqual([]);
  });

  it('compares the promised authority with the request host header, not the connection authority', () => {
    const { layer, peer } = connected();
    layer.command(request({ headers: [['host', 'cdn.example']] }));
    const out = layer.receive(bytes(peer.push(1, 2, promised('cdn.example'))));
    expect(messages(out).map((m) => m.type)).toEqual(['push']);
  });
});

describe('Http2Layer: GOAWAY and shutdown (Gun §5.8)', () => {
  it('server GOAWAY: streams above lastStreamId fail, we answer GOAWAY(NO_ERROR), the rest finish, then close', () => {
    const { layer, peer } = connected({ closingTimeout: 1234 });
    const a = request();
    const b = request({ replyTo: 'other' });
    layer.command(a);
    layer.command(b);
    const out = layer.receive(bytes({ type: 'goAway', lastStreamId: 1, errorCode: H2ErrorCodes.ENHANCE_YOUR_CALM }));
    expect(out.deliveries).toEqual([{ replyTo: 'other', message: expect.objectContaining({ type: 'error', streamRef: b.streamRef }) }]);
    const reason = (messages(out)[0] as { reason: GunError }).reason;
    expect([reason.code, reason.h2Code]).toEqual([Http2Errors.GOAWAY, 'ENHANCE_YOUR_CALM']);
    expect(peer.read(out)).toEqual([expect.objectContaining({ type: 'goAway', errorCode: H2ErrorCodes.NO_ERROR })]);
    expect(out.directives).toEqual([{ type: 'closing', timeout: 1234 }]);
    const refused = layer.command(request());
    expect(refused.writes).toEqual([]);
    expect(errorCode(refused.deliveries[0])).toBe(TunnelErrors.CLOSING);
    const done = layer.receive(bytes(peer.head(1, [[':status', '200']], true)));
    expect(messages(done).map((m) => m.type)).toEqual(['response']);
    expect(done.directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('server GOAWAY with no stream left closes at once', () => {
    const { layer } = connected();
    const out = layer.receive(bytes({ type: 'goAway', lastStreamId: 0, errorCode: 0 }));
    expect(out.directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('shutdown: GOAWAY(NO_ERROR), closing directive, new requests refused, pushes cancelled, close after the last stream', () => {
    const { layer, peer } = connected();
    const cmd = request();
    layer.command(cmd);
    const out = layer.command({ type: 'shutdown', reason: 'shutdown' });
    expect(peer.read(out)).toEqual([expect.objectContaining({ type: 'goAway', lastStreamId: 0, errorCode: H2ErrorCodes.NO_ERROR })]);
    expect(out.directives).toEqual([{ type: 'closing', timeout: 15000 }]);
    expect(errorCode(layer.command(request()).deliveries[0])).toBe(TunnelErrors.CLOSING);
    const pushed = layer.receive(bytes(peer.push(1, 2, [[':method', 'GET'], [':scheme', 'http'], [':authority', 'example.org'], [':path', '/p']])));
    expect(pushed.deliveries).toEqual([]);
    expect(peer.read(pushed)).toEqual([expect.objectContaining({ type: 'rstStream', streamId: 2, errorCode: H2ErrorCodes.CANCEL })]);
    const end = layer.receive(bytes(peer.head(1, [[':status', '200']], true)));
    expect(end.directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('shutdown with no stream in flight closes at once', () => {
    const { layer } = connected();
    expect(layer.command({ type: 'shutdown', reason: 'ownerDown' }).directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('a server GOAWAY after our shutdown is not answered again', () => {
    const { layer, peer } = connected();
    layer.command(request());
    layer.command({ type: 'shutdown', reason: 'shutdown' });
    const out = layer.receive(bytes({ type: 'goAway', lastStreamId: 1, errorCode: 0 }));
    expect(peer.read(out)).toEqual([]);
  });
});

describe('Http2Layer: connection errors and EOF', () => {
  it('a connection error goes once to each distinct replyTo, after the events before it; GOAWAY written; close with the error', () => {
    const { layer, peer } = connected();
    layer.command(request());
    layer.command(request({ replyTo: 'other' }));
    layer.command(request());
    const out = layer.receive(bytes(peer.head(1, [[':status', '200']]), { type: 'data', streamId: 0, data: new Uint8Array(1) }));
    expect(out.deliveries.map((d) => [d.replyTo, d.message.type])).toEqual([[ME, 'response'], [ME, 'error'], ['other', 'error']]);
    expect(messages(out)[1]).toMatchObject({ streamRef: undefined, conn: CONN });
    const directive = out.directives[0];
    expect(directive?.type === 'close' && directive.reason instanceof GunError && directive.reason.scope).toBe('connection');
    expect(peer.read(out)).toEqual([expect.objectContaining({ type: 'goAway', errorCode: H2ErrorCodes.PROTOCOL_ERROR })]);
    expect(layer.openStreams()).toHaveLength(3);
  });

  it('passes the "Appears to be an HTTP/1 response?" preface error through (RFC 9113 §3.4)', () => {
    const layer = new Http2Layer({ scheme: 'http', authority: 'h' });
    layer.start();
    layer.command(request());
    const out = layer.receive(latin1Encode('HTTP/1.1 400 Bad Request\r\n\r\n'));
    expect(errorCode(out.deliveries[0])).toBe(Http2Errors.PREFACE_HTTP1);
    const d = out.directives[0];
    expect(d?.type === 'close' && d.reason instanceof GunError ? d.reason.code : undefined).toBe(Http2Errors.PREFACE_HTTP1);
  });

  it('EOF: close with closed, streams open or not (Gun disconnect reason closed)', () => {
    const busy = connected().layer;
    busy.command(request());
    expect(busy.receiveEof().directives).toEqual([{ type: 'close', reason: 'closed' }]);
    expect(connected().layer.receiveEof().directives).toEqual([{ type: 'close', reason: 'closed' }]);
  });
});

describe('Http2Layer: PING, SETTINGS and other commands', () => {
  it('a user ping carries a non-keepalive payload and its ACK is a pingAck notify to the ping replyTo', () => {
    const { layer, peer } = connected();
    const pingRef = new StreamRef();
    const frames = peer.read(layer.command({ type: 'ping', pingRef, replyTo: 'pinger' }));
    const ping = frames[0];
    expect(ping?.type).toBe('ping');
    const opaque = ping?.type === 'ping' ? ping.opaque : new Uint8Array(8);
    expect(opaque).not.toEqual(new Uint8Array(8));
    const unknown = layer.receive(bytes({ type: 'ping', ack: true, opaque: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) }));
    expect(unknown.deliveries).toEqual([]);
    const out = layer.receive(bytes({ type: 'ping', ack: true, opaque }));
    expect(out.deliveries).toEqual([{ replyTo: 'pinger', message: { type: 'notify', conn: CONN, kind: 'pingAck', pingRef } }]);
    expect(layer.receive(bytes({ type: 'ping', ack: true, opaque })).deliveries).toEqual([]);
  });

  it.each([0, 1, 10000, 2 ** 32 - 1, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER])('PING payload %d round-trips through 8 octets, big endian', (n) => {
    const opaque = encodeOpaque(n);
    expect(opaque).toHaveLength(8);
    expect(decodeOpaque(opaque)).toBe(n);
    expect(decodeOpaque(new Uint8Array([9, ...opaque]).subarray(1))).toBe(n);
  });

  it('two user pings get distinct payloads', () => {
    const { layer, peer } = connected();
    const a = peer.read(layer.command({ type: 'ping', pingRef: new StreamRef(), replyTo: ME }))[0];
    const b = peer.read(layer.command({ type: 'ping', pingRef: new StreamRef(), replyTo: ME }))[0];
    expect(a?.type === 'ping' && b?.type === 'ping' && a.opaque).not.toEqual(b?.type === 'ping' && b.opaque);
  });

  it('keepalive sends PING with opaque 0 and counts it until acked; unsolicited ACKs give no credit (Gun §5.4)', () => {
    const { layer, peer } = connected();
    expect(peer.read(layer.command({ type: 'keepalive' }))).toEqual([expect.objectContaining({ type: 'ping', ack: false, opaque: new Uint8Array(8) })]);
    layer.command({ type: 'keepalive' });
    expect(layer.unackedKeepalives).toBe(2);
    const ack = bytes({ type: 'ping', ack: true, opaque: new Uint8Array(8) });
    layer.receive(ack);
    expect(layer.unackedKeepalives).toBe(1);
    layer.receive(ack);
    layer.receive(ack);
    expect(layer.unackedKeepalives).toBe(0);
  });

  it('notifies the owner of each server SETTINGS when notifySettingsChanged is set', () => {
    const layer = new Http2Layer({ scheme: 'http', authority: 'h', conn: CONN, notifySettingsChanged: true, owner: 'owner' });
    layer.start();
    const out = layer.receive(bytes({ type: 'settings', settings: [[SettingId.ENABLE_CONNECT_PROTOCOL, 1]] }));
    expect(out.deliveries).toEqual([{ replyTo: 'owner', message: expect.objectContaining({ type: 'notify', conn: CONN, kind: 'settingsChanged', settings: expect.objectContaining({ enableConnectProtocol: true }) }) }]);
    expect(connected().layer.receive(bytes({ type: 'settings' })).deliveries).toEqual([]);
  });

  it('wsUpgrade and wsSend are unsupported stream errors; updateFlow is ignored', () => {
    const { layer } = connected();
    const ref = new StreamRef();
    const up = layer.command({ type: 'wsUpgrade', streamRef: ref, replyTo: ME, path: '/', headers: [], opts: {} });
    const send = layer.command({ type: 'wsSend', streamRef: ref, replyTo: ME, frames: [{ type: 'text', data: 'x' }] });
    expect([errorCode(up.deliveries[0]), errorCode(send.deliveries[0])]).toEqual([TunnelErrors.UNSUPPORTED, TunnelErrors.UNSUPPORTED]);
    const flow = layer.command({ type: 'updateFlow', streamRef: ref, increment: 1 });
    expect([flow.deliveries, flow.writes, flow.directives]).toEqual([[], [], []]);
  });
});
