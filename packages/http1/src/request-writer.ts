/*
 * The request side of a connection: serialises heads and streamed bodies into the outbox.
 *
 *   ┌──────┐ request() with a streamed body ┌────────────────┐
 *   │ idle │───────────────────────────────▶│ streaming(id)  │── sendData(id, data, { fin: false })
 *   └──────┘◀───────────────────────────────└────────────────┘   loops here
 *        sendData(id, data, { fin: true }) or sendTrailers(id, trailers)
 */
import { assertNever, localError } from '@gunhttp/core';
import type { HeaderList } from '@gunhttp/core';
import { encodeChunk, encodeLastChunk, encodeTrailers } from './chunk-encoder.js';
import { Http1Errors } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { encodeRequest } from './request-encoder.js';
import type { RequestFraming } from './request-encoder.js';
import type { Http1Request } from './types.js';

type StreamFraming = Exclude<RequestFraming, { kind: 'none' }>;

type Sending = { readonly name: 'idle' } | { readonly name: 'streaming'; readonly id: number; readonly framing: StreamFraming };

const IDLE: Sending = { name: 'idle' };

/** Writes requests and their bodies (RFC 9112 §3, §6, §7.1) for {@link Http1ClientConnection}. */
export class RequestWriter {
  private outbox: Uint8Array[] = [];
  private sending: Sending = IDLE;
  private nextId = 1;

  constructor(private readonly options: ResolvedOptions) {}

  get streamingId(): number | undefined {
    return this.sending.name === 'streaming' ? this.sending.id : undefined;
  }

  /** @throws GunError (local) `H1_ERR_BODY_IN_PROGRESS` while a body is streaming. */
  checkIdle(): void {
    if (this.sending.name === 'streaming') {
      throw localError(Http1Errors.BODY_IN_PROGRESS, 'A request body is still being sent on this connection (RFC 9112 §9.3)');
    }
  }

  /** Queues a request head (and full body); returns its id. Nothing is queued when it throws. */
  write(req: Http1Request): number {
    this.checkIdle();
    const encoded = encodeRequest(req, this.options);
    const id = this.nextId++;
    for (const chunk of encoded.chunks) this.outbox.push(chunk);
    if (encoded.framing.kind !== 'none') this.sending = { name: 'streaming', id, framing: encoded.framing };
    return id;
  }

  sendData(id: number, data: Uint8Array, fin: boolean): void {
    const framing = this.streamFraming(id);
    switch (framing.kind) {
      case 'chunked':
        if (data.length > 0) for (const chunk of encodeChunk(data, fin)) this.outbox.push(chunk);
        else if (fin) this.outbox.push(encodeLastChunk());
        break;
      case 'length':
        if (data.length > framing.remaining || (fin && data.length !== framing.remaining)) {
          throw localError(Http1Errors.BODY_LENGTH, 'The body must be exactly content-length octets long (RFC 9112 §6.2)');
        }
        framing.remaining -= data.length;
        if (data.length > 0) this.outbox.push(data);
        break;
      case 'raw':
        if (data.length > 0) this.outbox.push(data);
        break;
      default:
        assertNever(framing, 'request framing');
    }
    if (fin) this.sending = IDLE;
  }

  sendTrailers(id: number, trailers: HeaderList): void {
    const framing = this.streamFraming(id);
    if (framing.kind !== 'chunked') {
      throw localError(Http1Errors.NOT_CHUNKED, 'Trailers need a chunked body (RFC 9112 §7.1.2)');
    }
    this.outbox.push(encodeTrailers(trailers, this.options.transformHeaderName ?? ((n) => n)));
    this.sending = IDLE;
  }

  takeOutput(): Uint8Array[] {
    const out = this.outbox;
    this.outbox = [];
    return out;
  }

  private streamFraming(id: number): StreamFraming {
    const sending = this.sending;
    if (sending.name !== 'streaming' || sending.id !== id) {
      throw localError(Http1Errors.NOT_STREAMING, `Request ${id} is not sending a body`);
    }
    return sending.framing;
  }
}
