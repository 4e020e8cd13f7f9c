import { ByteQueue } from '@gunhttp/core';
import fc from 'fast-check';
import { applyMask, base64Encode, encodeFrame, Opcode, parseFrameHeader } from '../../src/index.js';

function queue(bytes: Uint8Array): ByteQueue {
  const q = new ByteQueue();
  q.push(bytes);
  return q;
}

describe('frame codec', () => {
  it('encodes FIN, RSV, opcode, mask bit, lengths and key', () => {
    const wire = encodeFrame({ opcode: Opcode.TEXT, payload: Uint8Array.of(1, 2), fin: false, rsv: 4, maskKey: Uint8Array.of(0xff, 0, 0xff, 0) });
    expect([...wire]).toEqual([0x41, 0x82, 0xff, 0, 0xff, 0, 0xfe, 2]);
    const big = encodeFrame({ opcode: Opcode.BINARY, payload: new Uint8Array(65536) });
    expect([...big.subarray(0, 10)]).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('parses a header without consuming it, MORE on a prefix', () => {
    const wire = encodeFrame({ opcode: Opcode.PING, payload: Uint8Array.of(9), maskKey: Uint8Array.of(1, 2, 3, 4) });
    expect(parseFrameHeader(queue(wire.subarray(0, 5))).kind).toBe('more');
    const q = queue(wire);
    const r = parseFrameHeader(q);
    expect(r).toEqual({ kind: 'ok', consumed: 6, value: { fin: true, rsv: 0, opcode: 9, length: 1, maskKey: Uint8Array.of(1, 2, 3, 4), headerLength: 6 } });
    expect(q.length).toBe(7);
  });

  it('masks with a key offset', () => {
    const data = Uint8Array.of(0, 0, 0);
    applyMask(data, Uint8Array.of(1, 2, 3, 4), 2);
    expect([...data]).toEqual([3, 4, 1]);
  });

  it('masks 32 bits at a time exactly as octet by octet, whatever the alignment, length and key offset (RFC 6455 §5.3)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.nat(3), (bytes, shift, key, offset) => {
      const backing = new Uint8Array(bytes.length + 8);
      const data = backing.subarray(shift, shift + bytes.length);
      data.set(bytes);
      applyMask(data, key, offset);
      expect([...data]).toEqual([...bytes].map((b, i) => b ^ key[(i + offset) & 3]!));
      expect([...backing.subarray(0, shift), ...backing.subarray(shift + bytes.length)].every((b) => b === 0)).toBe(true);
    }), { numRuns: 500 });
  });

  it.each([
    ['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'],
  ])('base64-encodes %j as the RFC 4648 §10 vector %j', (input, output) => {
    expect(base64Encode(new TextEncoder().encode(input))).toBe(output);
  });
});
