/*
 * Stream states (RFC 9113 §5.1), seen from the client. PP = PUSH_PROMISE, H = HEADERS,
 * ES = END_STREAM flag, R = RST_STREAM.
 *
 *                          +--------+
 *                  send PP |        | recv PP
 *                 ,--------+  idle  +--------.
 *                /         |        |         \
 *               v          +--------+          v
 *        +----------+          |           +----------+
 *        |          |          | send H /  |          |
 * ,------+ reserved |          | recv H    | reserved +------.
 * |      | (local)  |          |           | (remote) |      |
 * |      +---+------+          v           +------+---+      |
 * |          |             +--------+             |          |
 * |          |     recv ES |        | send ES     |          |
 * |   send H |     ,-------+  open  +-------.     | recv H   |
 * |          |    /        |        |        \    |          |
 * |          v   v         +---+----+         v   v          |
 * |      +----------+          |           +----------+      |
 * |      |   half-  |          |           |   half-  |      |
 * |      |  closed  |          | send R /  |  closed  |      |
 * |      | (remote) |          | recv R    | (local)  |      |
 * |      +----+-----+          |           +-----+----+      |
 * |           |                |                 |           |
 * |           | send ES /      |       recv ES / |           |
 * |           | send R /       v        send R / |           |
 * |           | recv R     +--------+   recv R   |           |
 * | send R /  `----------->|        |<-----------'  send R / |
 * | recv R                 | closed |               recv R   |
 * `----------------------->|        |<-----------------------'
 *                          +--------+
 *
 * A client never sends PUSH_PROMISE, so `reservedLocal` is unreachable here; it is kept so the
 * table is the RFC's.
 */

/** A stream state (RFC 9113 §5.1). */
export type StreamState = 'idle' | 'reservedLocal' | 'reservedRemote' | 'open' | 'halfClosedLocal' | 'halfClosedRemote' | 'closed';

/**
 * What moves a stream between states: frames and flags sent or received on that stream. A
 * HEADERS with END_STREAM is `sendHeaders`/`recvHeaders` then `sendEndStream`/`recvEndStream`;
 * an END_STREAM alone stands for a DATA frame carrying it. `sendPushPromise`/`recvPushPromise`
 * are events of the promised stream (the frame itself travels on the associated stream).
 */
export type StreamTransition =
  | 'sendHeaders' | 'recvHeaders' | 'sendPushPromise' | 'recvPushPromise'
  | 'sendEndStream' | 'recvEndStream' | 'sendReset' | 'recvReset';

/**
 * What RFC 9113 §5.1 makes of an event in a state:
 * - `transition`: the stream moves to `state` (possibly the same);
 * - `ignore`: allowed, nothing changes (RST_STREAM received on a closed stream, §5.1 closed);
 * - `streamError` / `connectionError`: a received frame the state forbids, with its error code
 *   (§5.4.2 RST_STREAM, §5.4.1 GOAWAY);
 * - `notAllowed`: a frame we may not send in this state (caller misuse, never written).
 */
export type StreamEventOutcome =
  | { readonly kind: 'transition'; readonly state: StreamState }
  | { readonly kind: 'ignore' }
  | { readonly kind: 'streamError'; readonly h2Code: 'STREAM_CLOSED' }
  | { readonly kind: 'connectionError'; readonly h2Code: 'PROTOCOL_ERROR' | 'STREAM_CLOSED' }
  | { readonly kind: 'notAllowed' };

const to = (state: StreamState): StreamEventOutcome => ({ kind: 'transition', state });
const IGNORE: StreamEventOutcome = { kind: 'ignore' };
const NOT_ALLOWED: StreamEventOutcome = { kind: 'notAllowed' };
const CONN_PROTOCOL: StreamEventOutcome = { kind: 'connectionError', h2Code: 'PROTOCOL_ERROR' };
const CONN_CLOSED: StreamEventOutcome = { kind: 'connectionError', h2Code: 'STREAM_CLOSED' };
const STREAM_CLOSED: StreamEventOutcome = { kind: 'streamError', h2Code: 'STREAM_CLOSED' };

/**
 * Every (state, event) pair of RFC 9113 §5.1. Sends the state does not list are `notAllowed`.
 * Receipts: on idle, anything but HEADERS (and PRIORITY) is a PROTOCOL_ERROR connection error
 * (§5.1 idle, §6.4); in the reserved states anything but HEADERS (remote) and RST_STREAM is one
 * too; a PUSH_PROMISE promising a stream that is not idle promises an illegal identifier
 * (§5.1.1, §6.6: PROTOCOL_ERROR connection error); in half-closed (remote) HEADERS and DATA are
 * STREAM_CLOSED stream errors. The `closed` row is a stream closed by END_STREAM both ways:
 * frames after END_STREAM are STREAM_CLOSED connection errors, a late RST_STREAM is ignored.
 * A stream closed by RST_STREAM is refined by {@link CLOSED_STREAM_RECEIPTS}.
 */
export const STREAM_EVENT_OUTCOMES: Readonly<Record<StreamState, Readonly<Record<StreamTransition, StreamEventOutcome>>>> = {
  idle: {
    sendHeaders: to('open'), recvHeaders: to('open'), sendPushPromise: to('reservedLocal'), recvPushPromise: to('reservedRemote'),
    sendEndStream: NOT_ALLOWED, recvEndStream: CONN_PROTOCOL, sendReset: NOT_ALLOWED, recvReset: CONN_PROTOCOL,
  },
  reservedLocal: {
    sendHeaders: to('halfClosedRemote'), recvHeaders: CONN_PROTOCOL, sendPushPromise: NOT_ALLOWED, recvPushPromise: CONN_PROTOCOL,
    sendEndStream: NOT_ALLOWED, recvEndStream: CONN_PROTOCOL, sendReset: to('closed'), recvReset: to('closed'),
  },
  reservedRemote: {
    sendHeaders: NOT_ALLOWED, recvHeaders: to('halfClosedLocal'), sendPushPromise: NOT_ALLOWED, recvPushPromise: CONN_PROTOCOL,
    sendEndStream: NOT_ALLOWED, recvEndStream: CONN_PROTOCOL, sendReset: to('closed'), recvReset: to('closed'),
  },
  open: {
    sendHeaders: to('open'), recvHeaders: to('open'), sendPushPromise: NOT_ALLOWED, recvPushPromise: CONN_PROTOCOL,
    sendEndStream: to('halfClosedLocal'), recvEndStream: to('halfClosedRemote'), sendReset: to('closed'), recvReset: to('closed'),
  },
  halfClosedLocal: {
    sendHeaders: NOT_ALLOWED, recvHeaders: to('halfClosedLocal'), sendPushPromise: NOT_ALLOWED, recvPushPromise: CONN_PROTOCOL,
    sendEndStream: NOT_ALLOWED, recvEndStream: to('closed'), sendReset: to('closed'), recvReset: to('closed'),
  },
  halfClosedRemote: {
    sendHeaders: to('halfClosedRemote'), recvHeaders: STREAM_CLOSED, sendPushPromise: NOT_ALLOWED, recvPushPromise: CONN_PROTOCOL,
    sendEndStream: to('closed'), recvEndStream: STREAM_CLOSED, sendReset: to('closed'), recvReset: to('closed'),
  },
  closed: {
    sendHeaders: NOT_ALLOWED, recvHeaders: CONN_CLOSED, sendPushPromise: NOT_ALLOWED, recvPushPromise: CONN_PROTOCOL,
    sendEndStream: NOT_ALLOWED, recvEndStream: CONN_CLOSED, sendReset: NOT_ALLOWED, recvReset: IGNORE,
  },
};

/** How a closed stream was closed, which decides how later frames on it are treated (RFC 9113 §5.1). */
export type ClosedStreamCause = 'ended' | 'resetSent' | 'resetReceived';

/** The received events of {@link StreamTransition}. */
export type ReceiveTransition = 'recvHeaders' | 'recvPushPromise' | 'recvEndStream' | 'recvReset';

/**
 * Frames received on a closed stream, by how it closed (RFC 9113 §5.1 closed): after END_STREAM
 * both ways (`ended`) as the `closed` row of {@link STREAM_EVENT_OUTCOMES}; after we sent
 * RST_STREAM (`resetSent`) frames are ignored (their header blocks still decoded, §4.3); after
 * the server's RST_STREAM (`resetReceived`) they are STREAM_CLOSED stream errors, except
 * RST_STREAM, never answered with RST_STREAM (§5.4.2). A PUSH_PROMISE promising a closed stream
 * is always a PROTOCOL_ERROR connection error (§6.6).
 */
export const CLOSED_STREAM_RECEIPTS: Readonly<Record<ClosedStreamCause, Readonly<Record<ReceiveTransition, StreamEventOutcome>>>> = {
  ended: { recvHeaders: CONN_CLOSED, recvPushPromise: CONN_PROTOCOL, recvEndStream: CONN_CLOSED, recvReset: IGNORE },
  resetSent: { recvHeaders: IGNORE, recvPushPromise: CONN_PROTOCOL, recvEndStream: IGNORE, recvReset: IGNORE },
  resetReceived: { recvHeaders: STREAM_CLOSED, recvPushPromise: CONN_PROTOCOL, recvEndStream: STREAM_CLOSED, recvReset: IGNORE },
};

/**
 * The §5.1 transitions alone (derived from {@link STREAM_EVENT_OUTCOMES}); a missing entry is a
 * transition the state does not allow.
 */
export const STREAM_TRANSITIONS: Readonly<Record<StreamState, Partial<Record<StreamTransition, StreamState>>>> = Object.fromEntries(
  Object.entries(STREAM_EVENT_OUTCOMES).map(([state, row]) => [
    state,
    Object.fromEntries(Object.entries(row).flatMap(([event, o]) => (o.kind === 'transition' ? [[event, o.state]] : []))),
  ]),
) as Record<StreamState, Partial<Record<StreamTransition, StreamState>>>;

/** The state after `transition`, or `undefined` when §5.1 does not allow it. */
export function nextStreamState(state: StreamState, transition: StreamTransition): StreamState | undefined {
  return STREAM_TRANSITIONS[state][transition];
}

/**
 * What §5.1 makes of `event` in `state`; for a received event on a closed stream, `closedBy`
 * (default `ended`) selects the row of {@link CLOSED_STREAM_RECEIPTS}.
 */
export function streamEventOutcome(state: StreamState, event: StreamTransition, closedBy: ClosedStreamCause = 'ended'): StreamEventOutcome {
  if (state === 'closed' && event.startsWith('recv')) return CLOSED_STREAM_RECEIPTS[closedBy][event as ReceiveTransition];
  return STREAM_EVENT_OUTCOMES[state][event];
}

/** Whether the server may still send HEADERS or DATA on a stream in this state. */
export function canReceive(state: StreamState): boolean {
  return state === 'open' || state === 'halfClosedLocal';
}

/** Whether we may still send HEADERS or DATA on a stream in this state. */
export function canSend(state: StreamState): boolean {
  return state === 'open' || state === 'halfClosedRemote';
}
