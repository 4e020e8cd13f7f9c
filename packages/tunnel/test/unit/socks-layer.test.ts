import { GunError, StreamRef, latin1Encode } from '@gunhttp/core';
import { SocksErrors } from '@gunhttp/socks';
import { coalesceData, expectEventsForAllChunkings } from '@gunhttp/testkit';
import { SocksLayer, TunnelErrors } from '../../src/index.js';
import type { GunCommand, LayerOutput, RequestCommand, SocksDestination } from '../../src/index.js';
import { hopMachine } from './hop-machine.js';

/* The SOCKS5 hop (RFC 1928, RFC 1929; Gun §5.13) as a layer, over every chunking of the server's replies. */

const ME = 'me';
const DEST: SocksDestination = { host: 'origin.example', port: 443 };
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const write = (...b: number[]): unknown => ({ type: 'write', data: bytes(...b) });

/** VER REP RSV ATYP=IPv4 127.0.0.1 :8080 */
const reply = (rep: number): number[] => [5, rep, 0, 1, 127, 0, 0, 1, 0x1f, 0x90];
/** CONNECT origin.example:443 with ATYP X'03' (RFC 1928 §4). */
const CONNECT_ORIGIN = [5, 1, 0, 3, 14, ...latin1Encode('origin.example'), 1, 0xbb];

function started(options: ConstructorParameters<typeof SocksLayer>[0] = { destination: DEST }): SocksLayer {
  const layer = new SocksLayer(options);
  layer.start();
  return layer;
}

function request(overrides: Partial<RequestCommand> = {}): RequestCommand {
  return { type: 'request', streamRef: new StreamRef(), replyTo: ME, method: 'GET', path: '/', headers: [], body: new Uint8Array(0), function: 'request', ...overrides };
}

const EMPTY: LayerOutput = { deliveries: [], writes: [], directives: [], events: [] };

describe('SocksLayer: the handshake', () => {
  it('start() writes the greeting with the offered methods in order (RFC 1928 §3)', () => {
    expect(new SocksLayer({ destination: DEST }).start().writes).toEqual([bytes(5, 1, 0)]);
    const auth: SocksDestination['auth'] = [{ username: 'u', password: 'p' }, 'none'];
    expect(new SocksLayer({ destination: { ...DEST, auth } }).start().writes).toEqual([bytes(5, 2, 2, 0)]);
  });

  it('no authentication: CONNECT after the method reply, then a tunnel directive (every chunking)', () => {
    const ref = new StreamRef();
    const make = (): ReturnType<typeof hopMachine> => hopMachine(started({ destination: DEST, streamRef: ref, replyTo: ME }));
    const tunnel = { type: 'tunnel', scope: 'connection', via: 'socks5', streamRef: ref, replyTo: ME, destination: DEST, pending: [] };
    expectEventsForAllChunkings(make, bytes(5, 0, ...reply(0)), [write(...CONNECT_ORIGIN), tunnel], {
      normalize: coalesceData,
      trailing: latin1Encode('HTTP/1.1 200 OK\r\n'),
      trailingExpected: [write(...CONNECT_ORIGIN), tunnel, { type: 'data', next: true, fin: false, data: latin1Encode('HTTP/1.1 200 OK\r\n') }],
    });
  });

  it('username/password: the RFC 1929 request after method X\'02\', CONNECT after STATUS 0 (every chunking)', () => {
    const destination: SocksDestination = { ...DEST, auth: [{ username: 'user', password: 'pw' }] };
    const make = (): ReturnType<typeof hopMachine> => hopMachine(started({ destination }));
    const tunnel = { type: 'tunnel', scope: 'connection', via: 'socks5', streamRef: undefined, replyTo: undefined, destination, pending: [] };
    const authRequest = write(1, 4, ...latin1Encode('user'), 2, ...latin1Encode('pw'));
    expectEventsForAllChunkings(make, bytes(5, 2, 1, 0, ...reply(0)), [authRequest, write(...CONNECT_ORIGIN), tunnel], { normalize: coalesceData });
  });

  it.each([
    ['IPv4', '192.0.2.7', [1, 192, 0, 2, 7]],
    ['IPv6', '::1', [4, ...new Array<number>(15).fill(0), 1]],
    ['bracketed IPv6', '[::1]', [4, ...new Array<number>(15).fill(0), 1]],
    ['a domain name', 'a.b', [3, 3, 97, 46, 98]],
  ])('chooses the address type of %s as @gunhttp/socks does (RFC 1928 §5)', (_name, host, address) => {
    const layer = started({ destination: { host, port: 80 } });
    expect(layer.receive(bytes(5, 0)).writes).toEqual([bytes(5, 1, 0, ...(address as number[]), 0, 80)]);
  });

  it.each([
    [1, SocksErrors.GENERAL_FAILURE],
    [2, SocksErrors.NOT_ALLOWED],
    [3, SocksErrors.NETWORK_UNREACHABLE],
    [4, SocksErrors.HOST_UNREACHABLE],
    [5, SocksErrors.CONNECTION_REFUSED],
    [6, SocksErrors.TTL_EXPIRED],
    [7, SocksErrors.COMMAND_NOT_SUPPORTED],
    [8, SocksErrors.ADDRESS_TYPE_NOT_SUPPORTED],
    [9, SocksErrors.UNKNOWN_REPLY],
  ])('REP %i closes the connection with %s and the reply code (RFC 1928 §6)', (rep, code) => {
    const make = (): ReturnType<typeof hopMachine> => hopMachine(started());
    const close = { type: 'close', reason: expect.objectContaining({ code, socksReply: rep }) };
    expectEventsForAllChunkings(make, bytes(5, 0, ...reply(rep)), [write(...CONNECT_ORIGIN), close], { randomSplits: 5 });
  });

  it.each([
    ['the methods are refused (X\'FF\')', [5, 0xff], SocksErrors.NO_ACCEPTABLE_METHODS],
    ['username/password is rejected', [5, 2, 1, 1], SocksErrors.AUTH_FAILED],
    ['the server speaks another version', [4, 0], SocksErrors.PROTOCOL],
  ])('closes with the SOCKS error when %s', (_name, input, code) => {
    const layer = started({ destination: { ...DEST, auth: [{ username: 'u', password: 'p' }, 'none'] } });
    const out = layer.receive(bytes(...(input as number[])));
    expect(out.directives).toEqual([{ type: 'close', reason: expect.objectContaining({ code }) }]);
    expect(out.deliveries).toEqual([]);
    expect(layer.state).toBe('failed');
    expect(layer.receive(bytes(5, 0))).toEqual(EMPTY);
  });

  it('the server closing mid-handshake closes with SOCKS_ERR_CLOSED', () => {
    const layer = started();
    layer.receive(bytes(5, 0, 5));
    expect(layer.receiveEof().directives).toEqual([{ type: 'close', reason: expect.objectContaining({ code: SocksErrors.CLOSED }) }]);
  });

  it('a bad destination throws SOCKS_ERR_BAD_ARGUMENT (caller misuse); receive before start() throws', () => {
    expect(() => new SocksLayer({ destination: { host: 'h', port: 0 } })).toThrow(expect.objectContaining({ code: SocksErrors.BAD_ARGUMENT }));
    expect(() => new SocksLayer({ destination: DEST }).receive(bytes(5, 0))).toThrow(GunError);
  });
});

describe('SocksLayer: commands during and after the handshake', () => {
  it('holds user commands (Gun connected_no_input) and hands them over; keepalive is dropped', () => {
    const layer = started();
    const a = request();
    const held: GunCommand[] = [a, { type: 'ping', pingRef: new StreamRef(), replyTo: ME }, { type: 'cancel', streamRef: a.streamRef, replyTo: ME }];
    for (const c of held) expect(layer.command(c)).toEqual(EMPTY);
    expect(layer.command({ type: 'keepalive' })).toEqual(EMPTY);
    expect(layer.idle).toBe(false);
    expect(layer.openStreams()).toEqual([a.streamRef]);
    expect(layer.streamInfo(a.streamRef)).toEqual({ ref: a.streamRef, replyTo: ME, state: 'running' });
    const out = layer.receive(bytes(5, 0, ...reply(0)));
    expect(out.directives).toEqual([expect.objectContaining({ type: 'tunnel', pending: held })]);
    expect(layer.openStreams()).toEqual([]);
  });

  it('after a failure the held streams stay open for down to kill; new commands are refused', () => {
    const layer = started();
    const a = request();
    layer.command(a);
    layer.receive(bytes(5, 0, ...reply(5)));
    expect(layer.openStreams()).toEqual([a.streamRef]);
    const out = layer.command(request());
    expect(out.deliveries[0]?.message).toMatchObject({ type: 'error', reason: { code: TunnelErrors.BAD_STATE } });
  });

  it('after the tunnel, commands get TUNNEL_ERR_TUNNELLED and receive throws it', () => {
    const layer = started();
    layer.receive(bytes(5, 0, ...reply(0)));
    expect(layer.state).toBe('tunnelled');
    expect(layer.command(request()).deliveries[0]?.message).toMatchObject({ type: 'error', reason: { code: TunnelErrors.TUNNELLED } });
    expect(() => layer.receive(bytes(1))).toThrow(expect.objectContaining({ code: TunnelErrors.TUNNELLED }));
    expect(layer.receiveEof().directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('shutdown during the handshake closes at once', () => {
    expect(started().command({ type: 'shutdown', reason: 'shutdown' }).directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });
});
