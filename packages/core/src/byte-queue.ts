import { EMPTY_BYTES } from './bytes.js';

/**
 * A queue of received chunks read from the front without joining them on every read
 * (DESIGN §2: a chunk list with `take(n)`). Parsers look at bytes with {@link byteAt} and
 * {@link indexOf}, then {@link take} or {@link skip} what a production consumed.
 */
export class ByteQueue {
  /** Chunks from index `first` on are unread; consumed ones are dropped in batches (no O(n) shift per read). */
  private chunks: Uint8Array[] = [];
  private first = 0;
  /** Offset into `chunks[first]` of the first unread byte. */
  private head = 0;
  private size = 0;

  /** Number of unread octets. */
  get length(): number {
    return this.size;
  }

  /** Appends a chunk (kept by reference, not copied). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The octet at `index` from the front; `undefined` past the end. */
  byteAt(index: number): number | undefined {
    if (index < 0 || index >= this.size) return undefined;
    let i = index + this.head;
    for (let k = this.first; k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      if (i < c.length) return c[i];
      i -= c.length;
    }
    return undefined;
  }

  /**
   * Index from the front of the first `byte` at or after `from`, searching at most up to `limit`
   * octets from the front; -1 when absent.
   */
  indexOf(byte: number, from = 0, limit = this.size): number {
    const end = Math.min(limit, this.size);
    let base = -this.head;
    for (let k = this.first; k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      const chunkEnd = base + c.length;
      if (chunkEnd > from) {
        const startInChunk = Math.max(0, from - base);
        const stopInChunk = Math.min(c.length, end - base);
        if (stopInChunk <= startInChunk) return -1;
        // Searching the whole chunk when the stop is its end saves a view per call (head lines).
        const found = stopInChunk === c.length ? c.indexOf(byte, startInChunk) : c.subarray(0, stopInChunk).indexOf(byte, startInChunk);
        if (found !== -1) return base + found;
      }
      base = chunkEnd;
      if (base >= end) break;
    }
    return -1;
  }

  /** Copies `n` octets from the front without consuming them (a view when in one chunk). */
  peek(n: number): Uint8Array {
    if (n > this.size) throw new RangeError(`peek(${n}) past the ${this.size} queued octets`);
    if (n === 0) return EMPTY_BYTES;
    const first = this.chunks[this.first]!;
    if (first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    const out = new Uint8Array(n);
    let offset = 0;
    let start = this.head;
    for (let k = this.first; k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      const part = c.subarray(start, Math.min(c.length, start + n - offset));
      out.set(part, offset);
      offset += part.length;
      start = 0;
      if (offset === n) break;
    }
    return out;
  }

  /** Removes and returns `n` octets from the front (a view when they lie in one chunk). */
  take(n: number): Uint8Array {
    const out = this.peek(n);
    this.skip(n);
    return out;
  }

  /** Removes up to `n` octets from the front, one chunk's worth at most, without copying. */
  takeUpTo(n: number): Uint8Array {
    if (this.size === 0 || n <= 0) return EMPTY_BYTES;
    const first = this.chunks[this.first]!;
    const available = first.length - this.head;
    const count = Math.min(n, available);
    const out = first.subarray(this.head, this.head + count);
    this.skip(count);
    return out;
  }

  /** Removes and returns everything queued. */
  takeAll(): Uint8Array {
    return this.take(this.size);
  }

  /** Drops `n` octets from the front. */
  skip(n: number): void {
    if (n > this.size) throw new RangeError(`skip(${n}) past the ${this.size} queued octets`);
    this.size -= n;
    let left = n + this.head;
    while (this.first < this.chunks.length && left >= this.chunks[this.first]!.length) {
      left -= this.chunks[this.first]!.length;
      this.first++;
    }
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
      this.head = 0;
      return;
    }
    this.head = left;
    if (this.first >= 64 && this.first * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }

  /** Drops everything. */
  clear(): void {
    this.chunks = [];
    this.first = 0;
    this.head = 0;
    this.size = 0;
  }
}
