/*
 * The HTTP/1.1 client connection (RFC 9112): requests are written at once and pipelined; the
 * responses are read one at a time and matched to the requests in order (RFC 9112 §9.3.2).
 *
 * Response side (`state`):
 *
 *                 1xx: inform
 *                   ┌────┐
 *                   │    ▼
 *   ┌──────┐ octet ┌──────┐ final head, body follows ┌──────┐
 *   │ idle │──────▶│ head │─────────────────────────▶│ body │
 *   └──────┘       └──────┘                          └──────┘
 *      ▲  ▲           │ │ final head, no body            │ body ends
 *      │  └───────────┘ │ (keep-alive)                   │ (keep-alive)
 *      └────────────────┼────────────────────────────────┘
 *                       ▼ 101 to an upgrade request, 2xx to CONNECT
 *                 ┌──────────┐
 *                 │ switched │ later octets go to takeRemainder()
 *                 └──────────┘
 *   closed: a response ended and the connection must close, or EOF; octets are ignored.
 *   error:  a violation (always the last event); octets are ignored.
 *
 * The request side is in request-writer.ts.
 */
import { ByteQueue, EMPTY_BYTES, GunError, assertNever, concatBytes, hasHeader, localError } from '@gunhttp/core';
import type { HeaderList, SansIoMachine } from '@gunhttp/core';
import { responseFraming } from './body-framing.js';
import { ChunkedDecoder } from './chunked-decoder.js';
import { Http1Errors } from './errors.js';
import { newScan, scanBlock } from './field-block.js';
import type { BlockLimits, BlockScan } from './field-block.js';
import { listElements } from './field-list.js';
import { resolveOptions } from './options.js';
import type { Http1Options, ResolvedOptions } from './options.js';
import { RequestWriter } from './request-writer.js';
import { headLimits, parseResponseHead } from './response-head.js';
import type { ResponseHead } from './response-head.js';
import type { Http1Event, Http1Request } from './types.js';

/** A request whose response has not ended. */
interface PendingRequest {
  readonly id: number;
  readonly method: string;
  /** Whether the connection closes after this response (RFC 9112 §9.3, §9.6). */
  persistence: 'keep-alive' | 'close';
  /** The protocols of an upgrade request (RFC 9110 §7.8), lowercased. */
  readonly upgrade: readonly string[] | undefined;
}

type BodyReader =
  | { readonly kind: 'length'; remaining: number }
  | { readonly kind: 'chunked'; readonly decoder: ChunkedDecoder }
  | { readonly kind: 'close' };

type Phase =
  | { readonly name: 'idle' }
  | { readonly name: 'head'; readonly scan: BlockScan }
  | { readonly name: 'body'; readonly reader: BodyReader }
  | { readonly name: 'switched' }
  | { readonly name: 'closed' }
  | { readonly name: 'error' };

const IDLE: Phase = { name: 'idle' };
const CLOSED: Phase = { name: 'closed' };

/** The name of a connection state, as `Http1ClientConnection.state` reports it. */
export type Http1State = Phase['name'];

/**
 * A sans-I/O HTTP/1.1 client connection (RFC 9112, RFC 9110; Gun's `gun_http`). Commands
 * (`request`, `sendData`, `sendTrailers`) queue bytes for `takeOutput()`; `receive` parses the
 * responses, matched in order to the requests (pipelining, RFC 9112 §9.3.2), into
 * {@link Http1Event}s. A peer's violation is an `error` event, the last one: the state becomes
 * `error` and later octets are ignored. Caller misuse throws a `GunError` with origin `local`.
 *
 * Persistence (RFC 9112 §9.3, §9.6): the connection closes after the response to a request whose
 * `connection` field has the token `close` (in HTTP/1.0 mode: lacks `keep-alive`), and after a
 * response with `connection: close`, an HTTP/1.0 response, or a body read until close. The
 * remaining requests in `pendingIds` then never get a response: the caller fails them.
 *
 * @example
 * ```ts
 * const h1 = new Http1ClientConnection();
 * const id = h1.request({ method: 'GET', target: '/', authority: 'example.org', headers: [], body: { kind: 'full', data: new Uint8Array() } });
 * socket.write(h1.takeOutput());
 * for (const event of h1.receive(bytesFromSocket)) console.log(event.type);
 * ```
 */
export class Http1ClientConnection implements SansIoMachine<Http1Event> {
  private readonly options: ResolvedOptions;
  private readonly headLimits: BlockLimits;
  private readonly queue = new ByteQueue();
  private readonly remainder = new ByteQueue();
  private readonly pending: PendingRequest[] = [];
  private phase: Phase = IDLE;
  private readonly writer: RequestWriter;

  /** @param options versions, header name transform and parsing limits ({@link Http1Options}). */
  constructor(options?: Http1Options) {
    this.options = resolveOptions(options);
    this.writer = new RequestWriter(this.options);
    this.headLimits = headLimits(this.options);
  }

  /** `idle`, `head`, `body`, `switched`, `closed` or `error` (the response side). */
  get state(): Http1State {
    return this.phase.name;
  }

  /** Ids of the requests sent whose response has not ended, oldest first. */
  get pendingIds(): readonly number[] {
    return this.pending.map((p) => p.id);
  }

  /** The request whose body is still being sent, if any. */
  get streamingId(): number | undefined {
    return this.writer.streamingId;
  }

  /** False once the connection must close after the current response (or already has). */
  get keepAlive(): boolean {
    const name = this.phase.name;
    if (name === 'closed' || name === 'error' || name === 'switched') return false;
    const current = this.pending[0];
    return current === undefined || current.persistence === 'keep-alive';
  }

  /**
   * Queues a request (RFC 9112 §3) and returns its id (1, 2, 3, ... in order). A `streamed` body
   * then continues with {@link sendData}/{@link sendTrailers}. A request with `connection: upgrade`
   * and an `upgrade` field may be answered by a 101; a CONNECT by a 2xx that switches protocols.
   *
   * @throws GunError (local) `H1_ERR_BODY_IN_PROGRESS` while another body streams,
   *   `H1_ERR_NOT_ACCEPTING_REQUESTS` once the connection closes, switched or failed,
   *   `H1_ERR_INVALID_METHOD`, `H1_ERR_INVALID_TARGET`, `H1_ERR_BODY_NOT_ALLOWED` (CONNECT with a
   *   body), `H1_ERR_INVALID_CONTENT_LENGTH` (a streamed body's user content-length). Nothing is
   *   queued when it throws.
   */
  request(req: Http1Request): number {
    this.writer.checkIdle();
    if (!this.acceptsRequests()) {
      throw localError(Http1Errors.NOT_ACCEPTING_REQUESTS, 'The connection is closing or no longer speaks HTTP/1.1 (RFC 9112 §9.6)');
    }
    const id = this.writer.write(req);
    const tokens = listElements(req.headers, 'connection');
    const close = tokens.includes('close') || (this.options.version === 'HTTP/1.0' && !tokens.includes('keep-alive'));
    const upgrade = tokens.includes('upgrade') && hasHeader(req.headers, 'upgrade') ? listElements(req.headers, 'upgrade') : undefined;
    this.pending.push({ id, method: req.method, persistence: close ? 'close' : 'keep-alive', upgrade });
    return id;
  }

  /**
   * Queues body octets of the streaming request `id`: one chunk (RFC 9112 §7.1) for a chunked body
   * (nothing for empty non-fin data; `fin` adds the last chunk), or the octets themselves for a
   * content-length or HTTP/1.0 body. `data` is queued by reference, not copied.
   *
   * @throws GunError (local) `H1_ERR_NOT_STREAMING` when `id` is not streaming a body,
   *   `H1_ERR_BODY_LENGTH` when `data` overruns the content-length, or `fin` comes before it.
   */
  sendData(id: number, data: Uint8Array, opts: { fin: boolean }): void {
    this.writer.sendData(id, data, opts.fin);
  }

  /**
   * Ends the chunked body of request `id` with the last chunk and a trailer section (RFC 9112
   * §7.1.2); names go through `transformHeaderName`.
   *
   * @throws GunError (local) `H1_ERR_NOT_STREAMING`, or `H1_ERR_NOT_CHUNKED` for a body that is
   *   not chunked.
   */
  sendTrailers(id: number, trailers: HeaderList): void {
    this.writer.sendTrailers(id, trailers);
  }

  /**
   * Parses response octets; returns the events they complete, in wire order. After a switch the
   * octets go to {@link takeRemainder}; once closed or failed they are ignored.
   * Remote error codes: see {@link Http1Errors}.
   */
  receive(chunk: Uint8Array): Http1Event[] {
    switch (this.phase.name) {
      case 'switched':
        this.remainder.push(chunk);
        return [];
      case 'closed':
      case 'error':
        return [];
      default: {
        this.queue.push(chunk);
        const events: Http1Event[] = [];
        this.process(events);
        return events;
      }
    }
  }

  /**
   * The peer closed its side: ends a body read until close (a `data` event with `fin` and no
   * octets); mid-head or mid-body it is an `H1_ERR_PREMATURE_EOF` error (RFC 9112 §8). Between
   * responses it reports nothing: the caller fails `pendingIds`. The state becomes `closed`.
   */
  receiveEof(): Http1Event[] {
    const phase = this.phase;
    const events: Http1Event[] = [];
    switch (phase.name) {
      case 'idle':
        this.phase = CLOSED;
        break;
      case 'head':
        this.fail(Http1Errors.PREMATURE_EOF, 'The connection closed in the middle of a response head (RFC 9112 §8)', events);
        break;
      case 'body':
        if (phase.reader.kind === 'close') {
          events.push({ type: 'data', id: this.current().id, data: EMPTY_BYTES, fin: true });
          this.pending.shift();
          this.phase = CLOSED;
        } else {
          this.fail(Http1Errors.PREMATURE_EOF, 'The connection closed before the end of the response body (RFC 9112 §8)', events);
        }
        break;
      case 'switched':
      case 'closed':
      case 'error':
        break;
      default:
        assertNever(phase, 'phase');
    }
    return events;
  }

  /** The octets to write, oldest first; empties the outbox. */
  takeOutput(): Uint8Array[] {
    return this.writer.takeOutput();
  }

  /** Octets received after a 101 or a CONNECT 2xx head, for the next protocol; empties them. */
  takeRemainder(): Uint8Array {
    return this.remainder.length === 0 ? EMPTY_BYTES : this.remainder.takeAll();
  }

  private acceptsRequests(): boolean {
    const name = this.phase.name;
    if (name !== 'idle' && name !== 'head' && name !== 'body') return false;
    for (const p of this.pending) if (p.persistence === 'close') return false;
    return true;
  }

  private current(): PendingRequest {
    const current = this.pending[0];
    if (current === undefined) throw new Error('no pending request');
    return current;
  }

  /** Runs the response side over the queued octets until it needs more. */
  private process(events: Http1Event[]): void {
    let progress = true;
    while (progress) {
      const phase = this.phase;
      switch (phase.name) {
        case 'idle':
          progress = this.startResponse(events);
          break;
        case 'head':
          progress = this.readHead(phase.scan, events);
          break;
        case 'body':
          progress = this.readBody(phase.reader, events);
          break;
        case 'switched':
        case 'closed':
        case 'error':
          progress = false;
          break;
        default:
          assertNever(phase, 'phase');
      }
    }
  }

  private startResponse(events: Http1Event[]): boolean {
    if (this.queue.length === 0) return false;
    const current = this.pending[0];
    if (current === undefined) {
      return this.fail(Http1Errors.UNEXPECTED_DATA, 'Octets arrived while no request was outstanding (RFC 9112 §9.3)', events);
    }
    events.push({ type: 'responseStart', id: current.id });
    this.phase = { name: 'head', scan: newScan() };
    return true;
  }

  private readHead(scan: BlockScan, events: Http1Event[]): boolean {
    const found = scanBlock(this.queue, scan, this.headLimits);
    if (found.kind === 'more') return false;
    if (found.kind === 'error') return this.failWith(found.error, events);
    const head = parseResponseHead(this.queue.take(found.value));
    if (head.kind === 'more') return false;
    if (head.kind === 'error') return this.failWith(head.error, events);
    const { status } = head.value;
    if (status >= 200) return this.onFinalHead(head.value, events);
    if (status === 101) return this.onSwitchingProtocols(head.value, events);
    events.push({ type: 'inform', id: this.current().id, status, headers: head.value.headers });
    this.phase = { name: 'head', scan: newScan() };
    return true;
  }

  /** A 101 must answer an upgrade request, say `connection: upgrade` and name requested protocols (RFC 9110 §7.8, §15.2.2). */
  private onSwitchingProtocols(head: ResponseHead, events: Http1Event[]): boolean {
    const current = this.current();
    if (current.upgrade === undefined) {
      return this.fail(Http1Errors.UNEXPECTED_101, 'A 101 answered a request that did not ask to upgrade (RFC 9110 §15.2.2)', events);
    }
    const requested = current.upgrade;
    const protocols = listElements(head.headers, 'upgrade');
    const valid = listElements(head.headers, 'connection').includes('upgrade') && protocols.length > 0
      && protocols.every((p) => requested.includes(p));
    if (!valid) {
      return this.fail(Http1Errors.INVALID_UPGRADE, 'A 101 must carry connection: upgrade and a requested upgrade protocol (RFC 9110 §7.8)', events);
    }
    events.push({ type: 'upgrade', id: current.id, status: 101, headers: head.headers, protocols });
    return this.switchProtocols();
  }

  private onFinalHead(head: ResponseHead, events: Http1Event[]): boolean {
    const current = this.current();
    const { status, reason, version, headers } = head;
    if (version === 'HTTP/1.0' || listElements(headers, 'connection').includes('close')) current.persistence = 'close';
    if (current.method === 'CONNECT' && status < 300) {
      // RFC 9110 §9.3.6: a 2xx to CONNECT has no content; the tunnel starts after the head.
      events.push({ type: 'response', id: current.id, status, reason, version, headers, fin: true });
      events.push({ type: 'upgrade', id: current.id, status, headers, protocols: [] });
      return this.switchProtocols();
    }
    const framing = responseFraming(current.method, head);
    if (framing.kind === 'more') return false;
    if (framing.kind === 'error') return this.failWith(framing.error, events);
    const f = framing.value;
    events.push({ type: 'response', id: current.id, status, reason, version, headers, fin: f.kind === 'none' });
    switch (f.kind) {
      case 'none':
        return this.endResponse();
      case 'length':
        this.phase = { name: 'body', reader: { kind: 'length', remaining: f.length } };
        return true;
      case 'chunked':
        this.phase = { name: 'body', reader: { kind: 'chunked', decoder: new ChunkedDecoder(this.options) } };
        return true;
      case 'close':
        current.persistence = 'close';
        this.phase = { name: 'body', reader: { kind: 'close' } };
        return true;
      default:
        return assertNever(f, 'framing');
    }
  }

  private readBody(reader: BodyReader, events: Http1Event[]): boolean {
    const id = this.current().id;
    switch (reader.kind) {
      case 'length': {
        const n = Math.min(reader.remaining, this.queue.length);
        if (n === 0) return false;
        reader.remaining -= n;
        const fin = reader.remaining === 0;
        events.push({ type: 'data', id, data: this.queue.take(n), fin });
        return fin ? this.endResponse() : false;
      }
      case 'close':
        if (this.queue.length > 0) events.push({ type: 'data', id, data: this.queue.takeAll(), fin: false });
        return false;
      case 'chunked':
        return this.readChunked(id, reader.decoder, events);
      default:
        return assertNever(reader, 'body reader');
    }
  }

  /** At most one data event per received chunk: the pieces decoded now are joined. */
  private readChunked(id: number, decoder: ChunkedDecoder, events: Http1Event[]): boolean {
    const pieces: Uint8Array[] = [];
    const step = decoder.decode(this.queue, pieces);
    const data = pieces.length === 0 ? undefined : concatBytes(pieces);
    switch (step.kind) {
      case 'more':
        if (data !== undefined) events.push({ type: 'data', id, data, fin: false });
        return false;
      case 'error':
        if (data !== undefined) events.push({ type: 'data', id, data, fin: false });
        return this.failWith(step.error, events);
      case 'done':
        if (step.trailers.length === 0) {
          events.push({ type: 'data', id, data: data ?? EMPTY_BYTES, fin: true });
        } else {
          if (data !== undefined) events.push({ type: 'data', id, data, fin: false });
          events.push({ type: 'trailers', id, headers: step.trailers });
        }
        return this.endResponse();
      default:
        return assertNever(step, 'chunked step');
    }
  }

  /** The response ended: the next one starts, or the connection closes (RFC 9112 §9.3, §9.6). */
  private endResponse(): boolean {
    const done = this.pending.shift();
    if (done !== undefined && done.persistence === 'close') {
      this.phase = CLOSED;
      this.queue.clear();
      return false;
    }
    this.phase = IDLE;
    return true;
  }

  private switchProtocols(): boolean {
    this.pending.shift();
    this.phase = { name: 'switched' };
    while (this.queue.length > 0) this.remainder.push(this.queue.takeUpTo(this.queue.length));
    return false;
  }

  private fail(code: string, message: string, events: Http1Event[]): boolean {
    return this.failWith(new GunError(code, message, { origin: 'remote' }), events);
  }

  private failWith(error: GunError, events: Http1Event[]): boolean {
    this.phase = { name: 'error' };
    this.queue.clear();
    events.push({ type: 'error', error });
    return false;
  }
}
