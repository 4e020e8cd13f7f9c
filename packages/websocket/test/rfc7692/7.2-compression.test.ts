import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { WsErrors } from '../../src/index.js';
import type { DeflateParams, PerMessageDeflate } from '../../src/index.js';
import { DEFAULT_PARAMS } from '../support/node-deflate.js';
import { bytes, cat, client, deflateClient, deflateServer, errorEvent, frame, norm, Opcode } from '../support/ws.js';

const PROTOCOL = errorEvent(WsErrors.PROTOCOL, 1002);
// RFC 7692 §7.2.3.1: "Hello" compressed into one frame (unmasked, from a server).
const HELLO = bytes(0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00);

describe('RFC 7692 §7.2 permessage-deflate framing', () => {
  it('inflates the §7.2.3.1 example "Hello" on every chunking', () => {
    expectEventsForAllChunkings(() => deflateClient(), HELLO, [{ type: 'text', data: 'Hello' }], { normalize: norm });
  });

  it('inflates the §7.2.3.1 fragmented example, RSV1 on the first frame only', () => {
    const input = bytes(0x41, 0x03, 0xf2, 0x48, 0xcd, 0x80, 0x04, 0xc9, 0xc9, 0x07, 0x00);
    expectEventsForAllChunkings(() => deflateClient(), input, [{ type: 'text', data: 'Hello' }], { normalize: norm });
  });

  it('inflates the §7.2.3.2 example that reuses the sliding window of the previous message', () => {
    const input = cat(HELLO, bytes(0xc1, 0x05, 0xf2, 0x00, 0x11, 0x00, 0x00));
    expectEventsForAllChunkings(() => deflateClient(), input, [{ type: 'text', data: 'Hello' }, { type: 'text', data: 'Hello' }], { normalize: norm });
  });

  it('inflates the §7.2.3.3 example with no compression (a stored block)', () => {
    const input = bytes(0xc1, 0x0b, 0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00);
    expectEventsForAllChunkings(() => deflateClient(), input, [{ type: 'text', data: 'Hello' }], { normalize: norm });
  });

  it('fails on RSV1 when permessage-deflate was not negotiated (RFC 6455 §5.2)', () => {
    expectEventsForAllChunkings(client, HELLO, [PROTOCOL], { normalize: norm });
  });

  it('fails on RSV1 on a continuation frame and on a control frame (§6.1)', () => {
    const cont = cat(frame(Opcode.TEXT, 'a', { fin: false }), frame(Opcode.CONTINUATION, 'b', { rsv: 4 }));
    expectEventsForAllChunkings(() => deflateClient(), cont, [PROTOCOL], { normalize: norm });
    expectEventsForAllChunkings(() => deflateClient(), frame(Opcode.PING, '', { rsv: 4 }), [PROTOCOL], { normalize: norm });
  });

  it('accepts uncompressed messages (RSV1 clear) on a deflate connection (§6)', () => {
    expect(deflateClient().receive(frame(Opcode.TEXT, 'plain'))).toEqual([{ type: 'text', data: 'plain' }]);
  });

  it('sends compressed messages with RSV1 and without the 00 00 FF FF tail (§7.2.1)', () => {
    const ws = deflateClient();
    ws.send({ type: 'text', data: 'Hello' });
    const [wire] = ws.takeOutput();
    expect(wire![0]).toBe(0xc1);
    const payload = wire!.subarray(6).map((b, i) => b ^ [0x37, 0xfa, 0x21, 0x3d][i & 3]!);
    expect([...payload.subarray(-4)]).not.toEqual([0, 0, 0xff, 0xff]);
    const peer = deflateServer();
    expect(peer.receive(wire!)).toEqual([{ type: 'text', data: 'Hello' }]);
  });

  it('round-trips messages both ways with context takeover; the repeated message shrinks (§7.2.3.2)', () => {
    const ws = deflateClient();
    const peer = deflateServer();
    const text = 'the quick brown fox jumps over the lazy dog '.repeat(3);
    ws.send({ type: 'text', data: text });
    ws.send({ type: 'text', data: text });
    const [a, b] = ws.takeOutput();
    expect(b!.length).toBeLessThan(a!.length);
    expect([...peer.receive(a!), ...peer.receive(b!)]).toEqual([{ type: 'text', data: text }, { type: 'text', data: text }]);
    peer.send({ type: 'binary', data: new Uint8Array(1000) });
    peer.send({ type: 'binary', data: new Uint8Array(0) });
    expect(peer.takeOutput().flatMap((f) => ws.receive(f))).toEqual([{ type: 'binary', data: new Uint8Array(1000) }, { type: 'binary', data: new Uint8Array(0) }]);
  });

  it('resets the compressor after each message with client_no_context_takeover (§7.1.1.2)', () => {
    const params: DeflateParams = { ...DEFAULT_PARAMS, clientNoContextTakeover: true };
    const ws = deflateClient(params);
    ws.send({ type: 'text', data: 'repeat me, repeat me' });
    ws.send({ type: 'text', data: 'repeat me, repeat me' });
    const [a, b] = ws.takeOutput();
    expect(b!.length).toBe(a!.length);
    const peer = deflateServer(params);
    expect([...peer.receive(a!), ...peer.receive(b!)]).toHaveLength(2);
  });

  it('resets the decompressor after each message with server_no_context_takeover (§7.1.1.1)', () => {
    const calls: string[] = [];
    const codec: PerMessageDeflate = {
      compress: () => new Uint8Array(0),
      decompress: (data, fin) => { calls.push(`d${data.length}${fin ? 'F' : ''}`); return fin ? new Uint8Array(0) : Uint8Array.of(0x61); },
      resetCompressor: () => calls.push('rc'),
      resetDecompressor: () => calls.push('rd'),
    };
    const ws = client({ extensions: { permessageDeflate: { params: { ...DEFAULT_PARAMS, serverNoContextTakeover: true }, codec } } });
    expect(ws.receive(frame(Opcode.TEXT, bytes(1, 2), { rsv: 4 }))).toEqual([{ type: 'text', data: 'a' }]);
    expect(calls).toEqual(['d2', 'd4F', 'rd']);
  });

  it('fails with 1009 when a message inflates beyond maxMessageSize, and accepts exactly the limit (§8.1)', () => {
    const sender = deflateServer();
    sender.send({ type: 'binary', data: new Uint8Array(100000) });
    const [bomb] = sender.takeOutput();
    expect(bomb!.length).toBeLessThan(1000);
    expect(norm(deflateClient(DEFAULT_PARAMS, { maxMessageSize: 99999 }).receive(bomb!))).toEqual([errorEvent(WsErrors.TOO_LARGE, 1009)]);
    expect(deflateClient(DEFAULT_PARAMS, { maxMessageSize: 100000 }).receive(bomb!)).toHaveLength(1);
  });

  it('fails with 1007 on data that does not inflate', () => {
    const input = frame(Opcode.BINARY, bytes(0xff, 0xff, 0xff, 0xff), { rsv: 4 });
    expect(norm(deflateClient().receive(input))).toEqual([errorEvent(WsErrors.INFLATE_FAILED, 1007)]);
  });

  it('validates inflated text as UTF-8 (close 1007)', () => {
    const sender = deflateServer();
    sender.send({ type: 'binary', data: bytes(0x61, 0xff) });
    const [wire] = sender.takeOutput();
    wire![0] = 0xc1; // relabel the binary message as text
    expect(norm(deflateClient().receive(wire!))).toEqual([errorEvent(WsErrors.INVALID_UTF8, 1007)]);
  });

  it('never compresses control frames (§6.1)', () => {
    const ws = deflateClient();
    ws.send({ type: 'ping', data: bytes(1) });
    ws.send({ type: 'close', code: 1000 });
    expect(ws.takeOutput().map((f) => f[0])).toEqual([0x89, 0x88]);
  });
});
