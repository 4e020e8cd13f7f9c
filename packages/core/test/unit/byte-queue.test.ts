import fc from 'fast-check';
import { ByteQueue } from '../../src/index.js';

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe('ByteQueue', () => {
  it('reads across chunk boundaries without losing or reordering octets', () => {
    const q = new ByteQueue();
    q.push(bytes(1, 2));
    q.push(bytes());
    q.push(bytes(3, 4, 5));
    expect(q.length).toBe(5);
    expect(q.byteAt(2)).toBe(3);
    expect(q.byteAt(5)).toBeUndefined();
    expect([...q.peek(4)]).toEqual([1, 2, 3, 4]);
    expect([...q.take(3)]).toEqual([1, 2, 3]);
    expect(q.length).toBe(2);
    expect([...q.takeAll()]).toEqual([4, 5]);
    expect(q.length).toBe(0);
  });

  it('returns views, not copies, when the octets lie in one chunk', () => {
    const chunk = bytes(9, 8, 7, 6);
    const q = new ByteQueue();
    q.push(chunk);
    q.skip(1);
    const view = q.take(2);
    expect(view.buffer).toBe(chunk.buffer);
    expect([...view]).toEqual([8, 7]);
  });

  it('finds a byte from an offset and within a limit', () => {
    const q = new ByteQueue();
    q.push(bytes(10, 13));
    q.push(bytes(10, 0, 10));
    expect(q.indexOf(10)).toBe(0);
    expect(q.indexOf(10, 1)).toBe(2);
    expect(q.indexOf(10, 3)).toBe(4);
    expect(q.indexOf(10, 3, 4)).toBe(-1);
    expect(q.indexOf(99)).toBe(-1);
  });

  it('takeUpTo gives at most one chunk', () => {
    const q = new ByteQueue();
    q.push(bytes(1, 2));
    q.push(bytes(3));
    expect([...q.takeUpTo(5)]).toEqual([1, 2]);
    expect([...q.takeUpTo(5)]).toEqual([3]);
    expect(q.takeUpTo(5).length).toBe(0);
  });

  it('throws on reads past the end (caller misuse)', () => {
    const q = new ByteQueue();
    q.push(bytes(1));
    expect(() => q.take(2)).toThrow(RangeError);
    expect(() => q.skip(2)).toThrow(RangeError);
  });

  it('behaves as one concatenated array for any chunking (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 10 }), fc.nat(40), fc.integer({ min: 0, max: 255 }), (chunks, n, needle) => {
        const q = new ByteQueue();
        for (const c of chunks) q.push(c);
        const all = Uint8Array.from(chunks.flatMap((c) => [...c]));
        expect(q.length).toBe(all.length);
        expect(q.indexOf(needle)).toBe(all.indexOf(needle));
        const k = Math.min(n, all.length);
        expect([...q.take(k)]).toEqual([...all.subarray(0, k)]);
        expect([...q.takeAll()]).toEqual([...all.subarray(k)]);
      }),
    );
  });
});
