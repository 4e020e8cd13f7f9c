/** Octets of the first buffer: the blocks of a page load's worth of requests (~100 octets each). */
const DEFAULT_SLAB_SIZE = 4096;

/**
 * A growable output buffer shared by the blocks one encoder writes: each block goes right after
 * the previous one and {@link finish} hands it out as a view, so a block costs no allocation of
 * its own (an ArrayBuffer each is the dearest step of encoding a small block). Octets handed out
 * are never written again; when the buffer is full, the block in progress moves to a new one.
 */
export class ByteWriter {
  private buffer: Uint8Array;
  /** Offset in the buffer where the block in progress starts. */
  private start = 0;
  /** Offset in the buffer after the last octet written: where the next one goes. */
  end = 0;

  constructor(private readonly slabSize = DEFAULT_SLAB_SIZE) {
    this.buffer = new Uint8Array(slabSize);
  }

  /** Makes room for `n` more octets and returns the buffer to write into at {@link end}. */
  reserve(n: number): Uint8Array {
    if (this.end + n > this.buffer.length) this.moveBlock(n);
    return this.buffer;
  }

  /** Appends one octet. */
  byte(value: number): void {
    this.reserve(1)[this.end++] = value;
  }

  /** Returns the block written since the last call (a view that stays unchanged) and starts the next. */
  finish(): Uint8Array {
    const out = this.buffer.subarray(this.start, this.end);
    this.start = this.end;
    return out;
  }

  /** Moves the block in progress to a new buffer with room for `n` more octets. */
  private moveBlock(n: number): void {
    const written = this.end - this.start;
    const buffer = new Uint8Array(Math.max(this.slabSize, (written + n) * 2));
    buffer.set(this.buffer.subarray(this.start, this.end));
    this.buffer = buffer;
    this.start = 0;
    this.end = written;
  }
}
