import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { WebSocketConnection, WsErrors } from '../../src/index.js';
import { bytes, client, decodeClientOutput, enc, errorEvent, frame, KEY, norm, Opcode, server } from '../support/ws.js';

const PROTOCOL = errorEvent(WsErrors.PROTOCOL, 1002);

describe('RFC 6455 §5.1, §5.3 masking', () => {
  it('a client fails the connection on a masked frame from the server (§5.1)', () => {
    expectEventsForAllChunkings(client, frame(Opcode.TEXT, 'hi', { maskKey: KEY }), [PROTOCOL], { normalize: norm });
  });

  it('a server fails the connection on an unmasked frame from a client (§5.1)', () => {
    expectEventsForAllChunkings(server, frame(Opcode.TEXT, 'hi'), [PROTOCOL], { normalize: norm });
  });

  it('a server unmasks client frames (§5.3)', () => {
    expectEventsForAllChunkings(server, frame(Opcode.TEXT, 'hello', { maskKey: KEY }), [{ type: 'text', data: 'hello' }], { normalize: norm });
  });

  it('a client masks every frame with the injected key, empty control frames too (§5.3)', () => {
    const keys = [bytes(1, 2, 3, 4), bytes(5, 6, 7, 8), bytes(9, 10, 11, 12)];
    let i = 0;
    const ws = new WebSocketConnection({ role: 'client', maskKey: () => keys[i++]! });
    ws.send({ type: 'text', data: 'abc' });
    ws.send({ type: 'ping' });
    ws.send({ type: 'close' });
    const out = ws.takeOutput();
    expect(out.map((f) => [...f.subarray(2, 6)])).toEqual(keys.map((k) => [...k]));
    expect(out.every((f) => (f[1]! & 0x80) !== 0)).toBe(true);
    expect([...out[0]!.subarray(6)]).toEqual([0x61 ^ 1, 0x62 ^ 2, 0x63 ^ 3]);
  });

  it('what a client sends decodes at a server', () => {
    const ws = client();
    ws.send({ type: 'binary', data: bytes(0, 255, 7) });
    expect(decodeClientOutput(ws)).toEqual([{ type: 'binary', data: bytes(0, 255, 7) }]);
  });

  it('text messages queued one after another each keep their own octets, short and long, multi-byte too (§5.6)', () => {
    const ws = client();
    const texts = ['Hello, world!', 'é'.repeat(1024), 'x'.repeat(1025), '😀'.repeat(600), ''];
    for (const data of texts) ws.send({ type: 'text', data });
    expect(decodeClientOutput(ws)).toEqual(texts.map((data) => ({ type: 'text', data })));
  });

  it('a server sends unmasked frames (§5.1)', () => {
    const ws = server();
    ws.send({ type: 'text', data: 'x' });
    expect(ws.takeOutput()).toEqual([bytes(0x81, 1, 0x78)]);
  });

  it('throws on a client without maskKey and on a key that is not 4 octets', () => {
    expect(() => new WebSocketConnection({ role: 'client' })).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT, origin: 'local' }));
    const ws = new WebSocketConnection({ role: 'client', maskKey: () => bytes(1, 2, 3) });
    expect(() => ws.send({ type: 'text', data: 'x' })).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
  });

  it('decodes text sent by the client through the server role with the same bytes', () => {
    const ws = client();
    ws.send({ type: 'text', data: 'héllo' });
    const [wire] = ws.takeOutput();
    expect(wire!.subarray(2, 6)).toEqual(KEY);
    const payload = Uint8Array.from(wire!.subarray(6), (b, j) => b ^ KEY[j & 3]!);
    expect(payload).toEqual(enc('héllo'));
  });
});
