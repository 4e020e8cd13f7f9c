import { CoreErrors, GunError, concatBytes } from '@gunhttp/core';
import type { HeaderList, Mailbox, StreamRef } from '@gunhttp/core';
import type { ConnMessage, Connection } from './connection.js';
import { GunErrors } from './errors.js';

/** A message `await` resolves with (Gun's `await` results, as the messages themselves). */
export type AwaitResult = Exclude<ConnMessage, { type: 'up' | 'down' | 'error' }>;

/** What `awaitBody` resolves with: the body, and the trailers when the response had some. */
export interface BodyResult {
  readonly body: Uint8Array;
  readonly trailers?: HeaderList;
}

const STREAM_TYPES = new Set(['inform', 'response', 'data', 'trailers', 'push', 'upgrade', 'ws', 'sse', 'tunnelUp', 'error']);

/** Gun's `await` matches the stream's messages, `notify`, and the connection's errors. */
function forStream(conn: Connection, ref: StreamRef | undefined, m: ConnMessage): boolean {
  if (m.conn !== conn) return false;
  if ((m as { streamRef?: StreamRef }).streamRef === ref) return m.type === 'notify' || STREAM_TYPES.has(m.type);
  return m.type === 'notify' || (m.type === 'error' && m.streamRef === undefined);
}

/** Gun's `await_body` matches the stream's data and trailers, and its and the connection's errors. */
function forBody(conn: Connection, ref: StreamRef | undefined, m: ConnMessage): boolean {
  if (m.conn !== conn) return false;
  if (m.type === 'data' || m.type === 'trailers') return m.streamRef === ref;
  return m.type === 'error' && (m.streamRef === ref || m.streamRef === undefined);
}

function downError(gone: { reason: unknown } | undefined): GunError {
  const reason = gone?.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : reason === undefined ? '' : ` (${String(reason)})`;
  return new GunError(GunErrors.DOWN, `The connection went down${why}`, { origin: 'transport', cause: reason });
}

/** Error messages become rejections (Gun's `{error, ...}` results). */
function settle(m: ConnMessage): ConnMessage {
  if (m.type !== 'error') return m;
  const stream = m.streamRef !== undefined;
  throw new GunError(stream ? GunErrors.STREAM_ERROR : GunErrors.CONNECTION_ERROR, `${stream ? 'Stream' : 'Connection'} error: ${m.reason.message}`, {
    origin: m.reason.origin,
    cause: m.reason,
  });
}

function settled(m: ConnMessage): Promise<ConnMessage> {
  try {
    return Promise.resolve(settle(m));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The waits of one matcher on one stream, made once and reused by every `await` of the stream
 * (no closure per call). It is the tag of its receives: when the stream is killed or the
 * connection ends, the connection's watch rejects them with `GUN_ERR_DOWN`. The watch is held
 * while a receive waits.
 */
class StreamWaits {
  private waiting = 0;
  private unwatch: (() => void) | undefined = undefined;

  constructor(
    readonly conn: Connection,
    readonly mailbox: Mailbox<ConnMessage>,
    readonly ref: StreamRef | undefined,
    readonly match: (m: ConnMessage) => boolean,
  ) {}

  /** The next matching message; queued ones first, even from a stream that is gone. */
  next(timeout: number): Promise<ConnMessage> {
    const queued = this.mailbox.poll(this.match);
    if (queued !== undefined) return settled(queued);
    const gone = this.conn.goneReason(this.ref);
    if (gone !== undefined) return Promise.reject(downError(gone));
    if (this.waiting++ === 0) this.unwatch = this.conn.watch(this.ref, this.gone);
    return this.mailbox.receive(this.match, { timeout, tag: this }).then(this.received, this.failed);
  }

  private readonly gone = (): void => void this.mailbox.cancel(this, downError(this.conn.goneReason(this.ref)));

  private readonly received = (m: ConnMessage): ConnMessage => {
    this.done();
    return settle(m);
  };

  private readonly failed = (error: unknown): never => {
    this.done();
    if (error instanceof GunError && error.code === CoreErrors.TIMEOUT) {
      throw new GunError(GunErrors.TIMEOUT, error.message, { origin: 'local' });
    }
    throw error;
  };

  private done(): void {
    if (--this.waiting > 0) return;
    this.unwatch?.();
    this.unwatch = undefined;
  }
}

/** The stream's `await` waits, made on its first wait and kept in the connection's record of the stream. */
function waitsOf(conn: Connection, mailbox: Mailbox<ConnMessage>, ref: StreamRef): StreamWaits {
  const slot = conn.awaitSlot(ref);
  const cached = slot.waits;
  if (cached instanceof StreamWaits && cached.mailbox === mailbox) return cached;
  const waits = new StreamWaits(conn, mailbox, ref, (m) => forStream(conn, ref, m));
  slot.waits = waits;
  return waits;
}

/**
 * Selective receive for one stream, ending early with `GUN_ERR_DOWN` when the stream is killed
 * or the connection ends. Error messages become rejections (Gun's `{error, ...}` results).
 * `match` replaces Gun's `await` matcher (the stream's messages, `notify`, connection errors).
 */
export function awaitMessage(
  conn: Connection,
  mailbox: Mailbox<ConnMessage>,
  ref: StreamRef | undefined,
  match: ((m: ConnMessage) => boolean) | undefined,
  timeout: number,
): Promise<ConnMessage> {
  if (match === undefined && ref !== undefined) return waitsOf(conn, mailbox, ref).next(timeout);
  return new StreamWaits(conn, mailbox, ref, match ?? ((m) => forStream(conn, ref, m))).next(timeout);
}

/** Gun's `await_body`: data until `fin`, or trailers; other messages stay queued. */
export async function awaitBody(conn: Connection, mailbox: Mailbox<ConnMessage>, ref: StreamRef, timeout: number): Promise<BodyResult> {
  const chunks: Uint8Array[] = [];
  const waits = new StreamWaits(conn, mailbox, ref, (m) => forBody(conn, ref, m));
  for (;;) {
    const m = await waits.next(timeout);
    if (m.type === 'data') {
      if (m.data.length > 0) chunks.push(m.data);
      if (m.fin) return { body: concatBytes(chunks.length === 0 ? [new Uint8Array(0)] : chunks) };
    } else if (m.type === 'trailers') {
      return { body: concatBytes(chunks.length === 0 ? [new Uint8Array(0)] : chunks), trailers: m.headers };
    }
  }
}
