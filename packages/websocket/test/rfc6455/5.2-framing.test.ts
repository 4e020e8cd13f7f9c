import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { WsErrors } from '../../src/index.js';
import { bytes, cat, client, errorEvent, frame, norm, Opcode } from '../support/ws.js';

const PROTOCOL = errorEvent(WsErrors.PROTOCOL, 1002);

describe('RFC 6455 §5.2 base framing', () => {
  it.each([0, 1, 125, 126, 127, 300])('decodes a %i-octet binary frame with the minimal length encoding on every chunking', (n) => {
    const payload = Uint8Array.from({ length: n }, (_, i) => i & 0xff);
    expectEventsForAllChunkings(client, frame(Opcode.BINARY, payload), [{ type: 'binary', data: payload }], {
      normalize: norm, trailing: bytes(0x81),
    });
  });

  it.each([65535, 65536, 70000])('decodes a %i-octet frame split inside its header and its payload', (n) => {
    const payload = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
    const wire = frame(Opcode.BINARY, payload);
    for (const cut of [1, 2, 3, 5, 9, 10, 11, 4000, wire.length - 1]) {
      const ws = client();
      const events = [...ws.receive(wire.slice(0, cut)), ...ws.receive(wire.slice(cut))];
      expect(events).toEqual([{ type: 'binary', data: payload }]);
    }
  });

  it('uses a 16-bit length from 126 and a 64-bit length above 65535 (§5.2)', () => {
    expect(frame(Opcode.BINARY, new Uint8Array(125))[1]).toBe(125);
    expect(frame(Opcode.BINARY, new Uint8Array(126))[1]).toBe(126);
    expect(frame(Opcode.BINARY, new Uint8Array(65535))[1]).toBe(126);
    expect(frame(Opcode.BINARY, new Uint8Array(65536))[1]).toBe(127);
  });

  it.each([
    ['a 16-bit length below 126', bytes(0x82, 126, 0, 125)],
    ['a 64-bit length below 65536', bytes(0x82, 127, 0, 0, 0, 0, 0, 0, 0xff, 0xff)],
    ['a 64-bit length with the most significant bit set', bytes(0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1)],
  ])('rejects %s: the minimal number of bytes MUST be used (§5.2)', (_name, input) => {
    expectEventsForAllChunkings(client, input, [PROTOCOL], { normalize: norm });
  });

  it.each([3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf])('fails the connection on reserved opcode 0x%s (§5.2)', (opcode) => {
    expectEventsForAllChunkings(client, bytes(0x80 | opcode, 0), [PROTOCOL], { normalize: norm });
  });

  it.each([0x40, 0x20, 0x10])('fails the connection on RSV bits 0x%s no extension negotiated (§5.2)', (bit) => {
    expectEventsForAllChunkings(client, bytes(0x81 | bit, 1, 0x61), [PROTOCOL], { normalize: norm });
  });

  it('keeps the events decoded before a violation in the same chunk, the error last (§5.2)', () => {
    const input = cat(frame(Opcode.TEXT, 'ok'), bytes(0x83, 0), frame(Opcode.TEXT, 'never'));
    expectEventsForAllChunkings(client, input, [{ type: 'text', data: 'ok' }, PROTOCOL], { normalize: norm });
  });

  it('queues a masked close 1002 after a protocol error and ignores later input (§7.1.7)', () => {
    const ws = client();
    ws.receive(bytes(0x83, 0));
    expect(ws.state).toBe('closed');
    const out = ws.takeOutput();
    expect(out).toHaveLength(1);
    expect(out[0]![0]).toBe(0x88);
    expect(out[0]![1]).toBe(0x80 | 2);
    expect(ws.receive(frame(Opcode.TEXT, 'late'))).toEqual([]);
  });

  it('decodes several frames from one chunk in wire order', () => {
    const input = cat(frame(Opcode.TEXT, 'a'), frame(Opcode.BINARY, bytes(1, 2)), frame(Opcode.PONG, 'p'));
    expectEventsForAllChunkings(client, input, [
      { type: 'text', data: 'a' }, { type: 'binary', data: bytes(1, 2) }, { type: 'pong', data: new TextEncoder().encode('p') },
    ], { normalize: norm });
  });
});
