/**
 * In-memory duplex pairs: two `node:stream` Duplex endpoints wired to each other, like the two
 * ends of a socket (Node 20 has no `stream.duplexPair`).
 *
 * - Bytes written on one end are read on the other, in order.
 * - Backpressure: a write is acknowledged only once the peer's readable buffer accepts it
 *   (`push()` returned true) or, failing that, when the peer's consumer asks for more (`_read`).
 * - `end()` on one end ends the peer's readable side (half-close; the peer may keep writing).
 * - `destroy()` on one end ends the peer's readable side too (like a closed socket); writes to a
 *   destroyed peer are discarded.
 */
import { Duplex } from 'node:stream';

type WriteCallback = (error?: Error | null) => void;

class DuplexEnd extends Duplex {
  private peer: DuplexEnd | undefined;
  /** The write callback held back by the peer's full buffer, released by `_read`. */
  private blockedWriter: WriteCallback | undefined;

  connect(peer: DuplexEnd): void {
    this.peer = peer;
  }

  override _read(): void {
    const callback = this.blockedWriter;
    this.blockedWriter = undefined;
    callback?.();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: WriteCallback): void {
    const peer = this.peer;
    if (peer === undefined || peer.destroyed || peer.readableEnded) {
      callback();
      return;
    }
    if (peer.push(chunk)) callback();
    else peer.blockedWriter = callback;
  }

  override _final(callback: WriteCallback): void {
    this.peer?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer !== undefined && !peer.destroyed) peer.push(null);
    // Release a writer blocked on our buffer: the bytes are gone, as on a closed socket.
    this._read();
    callback(error);
  }
}

/**
 * Creates two connected in-memory Duplex streams: what is written to one is read from the other.
 * Both ends allow half-close (`allowHalfOpen: true`).
 */
export function createDuplexPair(): [Duplex, Duplex] {
  const a = new DuplexEnd();
  const b = new DuplexEnd();
  a.connect(b);
  b.connect(a);
  return [a, b];
}
