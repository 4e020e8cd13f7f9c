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

/** The in-flight stream count of one connection (see the diagram above). */
export class StreamCounts {
  private readonly streams = new Map<StreamRef, StreamProgress>();

  /** Streams started and not yet released. */
  get inFlight(): number {
    return this.streams.size;
  }

  /** `requestStart`: a new stream counts. */
  start(ref: StreamRef): void {
    this.streams.set(ref, 'open');
  }

  /** `requestEnd` / `responseEnd`. Streams the tracker does not know (pushed ones) are ignored. */
  ended(ref: StreamRef, half: StreamHalf): void {
    const progress = this.streams.get(ref);
    if (progress === undefined) return;
    const next = NEXT[progress][half];
    if (next === 'released') this.streams.delete(ref);
    else this.streams.set(ref, next);
  }

  /** `cancel`: see the diagram; `releaseNow` for multiplexed protocols. */
  cancelled(ref: StreamRef, releaseNow: boolean): void {
    if (releaseNow) this.release(ref);
    else this.ended(ref, 'request');
  }

  /** The stream is gone (a stream error). */
  release(ref: StreamRef): void {
    this.streams.delete(ref);
  }

  /** `disconnect`: every stream died with the socket. */
  reset(): void {
    this.streams.clear();
  }
}
