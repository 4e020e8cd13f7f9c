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

function forStream(conn: Connection, ref: StreamRef | undefined, m: ConnMessage): boolean {
  if (m.conn !== conn) return false;
  if (m.type === 'notify') return true;
  if (m.type === 'error' && m.streamRef === undefined) return true;
  return STREAM_TYPES.has(m.type) && (m as { streamRef?: StreamRef }).streamRef === ref;
}

function downError(gone: { reason: unknown } | undefined): GunError {
  const reason = gone?.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : reason === undefined ? '' : ` (${String(reason)})`;
  return new GunError(GunErrors.DOWN, `The connection went down${why}`, { origin: 'transport', cause: reason });
}

/**
 * Selective receive for one stream, ending early with `GUN_ERR_DOWN` when the stream is killed
 * or the connection ends. Error messages become rejections (Gun's `{error, ...}` results).
 */
export async function awaitMessage(
  conn: Connection,
  mailbox: Mailbox<ConnMessage>,
  ref: StreamRef | undefined,
  match: ((m: ConnMessage) => boolean) | undefined,
  timeout: number,
): Promise<ConnMessage> {
  const test = match ?? ((m: ConnMessage) => forStream(conn, ref, m));
  const queued = mailbox.poll(test);
  if (queued !== undefined) return settle(queued);
  const gone = conn.goneReason(ref);
  if (gone !== undefined) throw downError(gone);
  try {
    const m = await mailbox.receive(test, { timeout, bind: (cancel) => conn.watch(ref, () => cancel(downError(conn.goneReason(ref)))) });
    return settle(m);
  } catch (error) {
    if (error instanceof GunError && error.code === CoreErrors.TIMEOUT) {
      throw new GunError(GunErrors.TIMEOUT, `No message arrived within ${timeout} ms.`, { origin: 'local' });
    }
    throw error;
  }
}

function settle(m: ConnMessage): ConnMessage {
  if (m.type !== 'error') return m;
  const stream = m.streamRef !== undefined;
  throw new GunError(stream ? GunErrors.STREAM_ERROR : GunErrors.CONNECTION_ERROR, `${stream ? 'Stream' : 'Connection'} error: ${m.reason.message}`, {
    origin: m.reason.origin,
    cause: m.reason,
  });
}

/** Gun's `await_body`: data until `fin`, or trailers; other messages stay queued. */
export async function awaitBody(conn: Connection, mailbox: Mailbox<ConnMessage>, ref: StreamRef, timeout: number): Promise<BodyResult> {
  const chunks: Uint8Array[] = [];
  const match = (m: ConnMessage): boolean =>
    m.conn === conn &&
    (((m.type === 'data' || m.type === 'trailers') && m.streamRef === ref) || (m.type === 'error' && (m.streamRef === ref || m.streamRef === undefined)));
  for (;;) {
    const m = await awaitMessage(conn, mailbox, ref, match, timeout);
    if (m.type === 'data') {
      if (m.data.length > 0) chunks.push(m.data);
      if (m.fin) return { body: concatBytes(chunks.length === 0 ? [new Uint8Array(0)] : chunks) };
    } else if (m.type === 'trailers') {
      return { body: concatBytes(chunks.length === 0 ? [new Uint8Array(0)] : chunks), trailers: m.headers };
    }
  }
}
