import type { StreamRef } from '@gunhttp/core';

/**
 * Streams in flight on one pooled connection, kept from the connection's events (Gun's
 * `gun_pool_events_h`): `requestStart` counts a stream; it stops counting once both its request
 * and its response have ended; a disconnect forgets them all.
 *
 *   requestStart ──> open ── requestEnd ──> requestDone ── responseEnd ──┐
 *                     │                                                   ├──> released
 *                     └──── responseEnd ──> responseDone ── requestEnd ──┘
 *   cancel: HTTP/2 releases at once (RST_STREAM frees the slot, RFC 9113 §5.1.2);
 *           HTTP/1.1 counts as requestEnd (the response is still read to keep framing, Gun §5.7).
 *   stream error delivered, disconnect: released.
 */
export type StreamProgress = 'open' | 'requestDone' | 'responseDone';

/** Which half of an exchange ended. */
export type StreamHalf = 'request' | 'response';

const NEXT: Readonly<Record<StreamProgress, Readonly<Record<StreamHalf, StreamProgress | 'released'>>>> = {
  open: { request: 'requestDone', response: 'responseDone' },
  requestDone: { request: 'requestDone', response: 'released' },
  responseDone: { request: 'released', response: 'responseDone' },
};

interface Counted {
  readonly ref: StreamRef;
  progress: StreamProgress;
}

/**
 * The in-flight stream count of one connection (see the diagram above). The streams are an
 * array, oldest first, where they usually end: a Map emptied after each HTTP/1.1 response would
 * have V8 reallocate its table every request.
 */
export class StreamCounts {
  private readonly streams: Counted[] = [];

  /** Streams started and not yet released. */
  get inFlight(): number {
    return this.streams.length;
  }

  /** `requestStart`: a new stream counts. */
  start(ref: StreamRef): void {
    this.streams.push({ ref, progress: 'open' });
  }

  /** `requestEnd` / `responseEnd`. Streams the tracker does not know (pushed ones) are ignored. */
  ended(ref: StreamRef, half: StreamHalf): void {
    const i = this.indexOf(ref);
    if (i === -1) return;
    const s = this.streams[i]!;
    const next = NEXT[s.progress][half];
    if (next === 'released') this.remove(i);
    else s.progress = next;
  }

  /** `cancel`: see the diagram; `releaseNow` for multiplexed protocols. */
  cancelled(ref: StreamRef, releaseNow: boolean): void {
    if (releaseNow) this.release(ref);
    else this.ended(ref, 'request');
  }

  /** The stream is gone (a stream error). */
  release(ref: StreamRef): void {
    const i = this.indexOf(ref);
    if (i !== -1) this.remove(i);
  }

  /** `disconnect`: every stream died with the socket. */
  reset(): void {
    this.streams.length = 0;
  }

  private indexOf(ref: StreamRef): number {
    const streams = this.streams;
    for (let i = 0; i < streams.length; i++) if (streams[i]!.ref === ref) return i;
    return -1;
  }

  /** Removes in place (shift() for the oldest; splice() would make an array of the removed). */
  private remove(i: number): void {
    const streams = this.streams;
    if (i === 0) {
      streams.shift();
      return;
    }
    for (let j = i + 1; j < streams.length; j++) streams[j - 1] = streams[j]!;
    streams.pop();
  }
}
