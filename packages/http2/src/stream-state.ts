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

/** What moves a stream between states: frames and flags sent or received. */
export type StreamTransition =
  | 'sendHeaders' | 'recvHeaders' | 'sendPushPromise' | 'recvPushPromise'
  | 'sendEndStream' | 'recvEndStream' | 'sendReset' | 'recvReset';

/** The §5.1 transitions; a missing entry is a transition the state does not allow. */
export const STREAM_TRANSITIONS: Readonly<Record<StreamState, Partial<Record<StreamTransition, StreamState>>>> = {
  idle: { sendHeaders: 'open', recvHeaders: 'open', sendPushPromise: 'reservedLocal', recvPushPromise: 'reservedRemote' },
  reservedLocal: { sendHeaders: 'halfClosedRemote', sendReset: 'closed', recvReset: 'closed' },
  reservedRemote: { recvHeaders: 'halfClosedLocal', sendReset: 'closed', recvReset: 'closed' },
  open: { sendEndStream: 'halfClosedLocal', recvEndStream: 'halfClosedRemote', sendReset: 'closed', recvReset: 'closed', sendHeaders: 'open', recvHeaders: 'open' },
  halfClosedLocal: { recvEndStream: 'closed', sendReset: 'closed', recvReset: 'closed', recvHeaders: 'halfClosedLocal' },
  halfClosedRemote: { sendEndStream: 'closed', sendReset: 'closed', recvReset: 'closed', sendHeaders: 'halfClosedRemote' },
  closed: {},
};

/** The state after `transition`, or `undefined` when §5.1 does not allow it. */
export function nextStreamState(state: StreamState, transition: StreamTransition): StreamState | undefined {
  return STREAM_TRANSITIONS[state][transition];
}

/** Whether the server may still send HEADERS or DATA on a stream in this state. */
export function canReceive(state: StreamState): boolean {
  return state === 'open' || state === 'halfClosedLocal';
}

/** Whether we may still send HEADERS or DATA on a stream in this state. */
export function canSend(state: StreamState): boolean {
  return state === 'open' || state === 'halfClosedRemote';
}
