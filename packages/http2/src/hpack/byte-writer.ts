/** A growable output buffer reused across header blocks (no allocation per field). */
export class ByteWriter {
  private buffer: Uint8Array;
  /** Number of octets written. */
  length = 0;

  constructor(initialSize = 512) {
    this.buffer = new Uint8Array(initialSize);
  }

  /** Makes room for `n` more octets and returns the buffer to write into at {@link length}. */
  reserve(n: number): Uint8Array {
    if (this.length + n > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    return this.buffer;
  }

  /** Appends one octet. */
  byte(value: number): void {
    this.reserve(1)[this.length++] = value;
  }

  /** Copies what was written into a new array and resets the writer. */
  finish(): Uint8Array {
    const out = this.buffer.slice(0, this.length);
    this.length = 0;
    return out;
  }
}
