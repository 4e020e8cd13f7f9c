import type { StreamRef } from '@gunhttp/core';

/**
 * A stream of the HTTP/2 layer: our request, or a pushed response.
 *
 *   local:  open ──END_STREAM sent (HEADERS or DATA)──> sent
 *   remote: awaitingHead ──1xx──> informed ──final HEADERS──> body ──END_STREAM or trailers──> (forgotten)
 */
export interface Http2Stream {
  readonly id: number;
  readonly ref: StreamRef;
  readonly replyTo: unknown;
  /** The `:authority` of the request: promised requests must carry the same (Gun 2.4). */
  readonly authority: string;
  local: 'open' | 'sent';
  remote: 'awaitingHead' | 'informed' | 'body';
}

/** The layer's streams, by HTTP/2 stream id and by ref. */
export class Http2StreamTable {
  private readonly byId = new Map<number, Http2Stream>();
  private readonly ids = new Map<StreamRef, number>();

  get size(): number {
    return this.byId.size;
  }

  add(s: Http2Stream): void {
    this.byId.set(s.id, s);
    this.ids.set(s.ref, s.id);
  }

  get(id: number): Http2Stream | undefined {
    return this.byId.get(id);
  }

  byRef(ref: StreamRef): Http2Stream | undefined {
    const id = this.ids.get(ref);
    return id === undefined ? undefined : this.byId.get(id);
  }

  forget(s: Http2Stream): void {
    this.byId.delete(s.id);
    this.ids.delete(s.ref);
  }

  values(): IterableIterator<Http2Stream> {
    return this.byId.values();
  }
}
