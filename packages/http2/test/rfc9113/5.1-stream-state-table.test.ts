import {
  CLOSED_STREAM_RECEIPTS, nextStreamState, STREAM_EVENT_OUTCOMES, STREAM_TRANSITIONS, streamEventOutcome,
  type ClosedStreamCause, type Http2ConnectionOptions, type StreamEventOutcome, type StreamState, type StreamTransition,
} from '../../src/index.js';
import { frames, headersFrame, summary, withRequest, written } from '../helpers.js';

/*
 * RFC 9113 §5.1, every (state, event) pair. The expectations are written here from the RFC's
 * text, independently of src/stream-state.ts:
 *   T(x)      the stream moves to x
 *   NO        a frame the state forbids us to send (caller misuse, nothing written)
 *   CONN(c)   a received frame the state forbids: connection error c (§5.4.1)
 *   STRM(c)   a received frame the state forbids: stream error c (§5.4.2)
 *   IGN       allowed and ignored
 */

const T = (state: StreamState): StreamEventOutcome => ({ kind: 'transition', state });
const NO: StreamEventOutcome = { kind: 'notAllowed' };
const IGN: StreamEventOutcome = { kind: 'ignore' };
const CONN = (h2Code: 'PROTOCOL_ERROR' | 'STREAM_CLOSED'): StreamEventOutcome => ({ kind: 'connectionError', h2Code });
const STRM = (h2Code: 'STREAM_CLOSED'): StreamEventOutcome => ({ kind: 'streamError', h2Code });

const STATES: readonly StreamState[] = ['idle', 'reservedLocal', 'reservedRemote', 'open', 'halfClosedLocal', 'halfClosedRemote', 'closed'];
const EVENTS: readonly StreamTransition[] = [
  'sendHeaders', 'recvHeaders', 'sendPushPromise', 'recvPushPromise', 'sendEndStream', 'recvEndStream', 'sendReset', 'recvReset',
];

/** [state, event, expected, the RFC's words]. */
const EXPECTED: ReadonlyArray<readonly [StreamState, StreamTransition, StreamEventOutcome, string]> = [
  ['idle', 'sendHeaders', T('open'), 'sending a HEADERS frame causes the stream to become "open"'],
  ['idle', 'recvHeaders', T('open'), 'receiving a HEADERS frame causes the stream to become "open"'],
  ['idle', 'sendPushPromise', T('reservedLocal'), 'sending a PUSH_PROMISE on another stream reserves the idle stream'],
  ['idle', 'recvPushPromise', T('reservedRemote'), 'receiving a PUSH_PROMISE on another stream reserves the idle stream'],
  ['idle', 'sendEndStream', NO, 'only HEADERS leave idle'],
  ['idle', 'recvEndStream', CONN('PROTOCOL_ERROR'), 'receiving any frame other than HEADERS or PRIORITY on idle: PROTOCOL_ERROR connection error'],
  ['idle', 'sendReset', NO, 'RST_STREAM frames MUST NOT be sent for a stream in the idle state (§6.4)'],
  ['idle', 'recvReset', CONN('PROTOCOL_ERROR'), 'RST_STREAM identifying an idle stream: PROTOCOL_ERROR connection error (§6.4)'],

  ['reservedLocal', 'sendHeaders', T('halfClosedRemote'), 'sending HEADERS moves reserved (local) to half-closed (remote)'],
  ['reservedLocal', 'recvHeaders', CONN('PROTOCOL_ERROR'), 'receiving other than RST_STREAM, PRIORITY, WINDOW_UPDATE: PROTOCOL_ERROR'],
  ['reservedLocal', 'sendPushPromise', NO, 'MUST NOT send other than HEADERS, RST_STREAM, PRIORITY'],
  ['reservedLocal', 'recvPushPromise', CONN('PROTOCOL_ERROR'), 'a promised stream must be idle (§5.1.1, §6.6)'],
  ['reservedLocal', 'sendEndStream', NO, 'MUST NOT send DATA'],
  ['reservedLocal', 'recvEndStream', CONN('PROTOCOL_ERROR'), 'receiving DATA: PROTOCOL_ERROR'],
  ['reservedLocal', 'sendReset', T('closed'), 'either endpoint can send RST_STREAM: closed'],
  ['reservedLocal', 'recvReset', T('closed'), 'RST_STREAM received: closed'],

  ['reservedRemote', 'sendHeaders', NO, 'MUST NOT send other than RST_STREAM, WINDOW_UPDATE, PRIORITY'],
  ['reservedRemote', 'recvHeaders', T('halfClosedLocal'), 'receiving HEADERS moves reserved (remote) to half-closed (local)'],
  ['reservedRemote', 'sendPushPromise', NO, 'MUST NOT send PUSH_PROMISE'],
  ['reservedRemote', 'recvPushPromise', CONN('PROTOCOL_ERROR'), 'receiving other than HEADERS, RST_STREAM, PRIORITY: PROTOCOL_ERROR'],
  ['reservedRemote', 'sendEndStream', NO, 'MUST NOT send DATA'],
  ['reservedRemote', 'recvEndStream', CONN('PROTOCOL_ERROR'), 'receiving DATA: PROTOCOL_ERROR'],
  ['reservedRemote', 'sendReset', T('closed'), 'either endpoint can send RST_STREAM: closed'],
  ['reservedRemote', 'recvReset', T('closed'), 'RST_STREAM received: closed'],

  ['open', 'sendHeaders', T('open'), 'frames of any type may be sent in open'],
  ['open', 'recvHeaders', T('open'), 'frames of any type may be received in open'],
  ['open', 'sendPushPromise', NO, 'a promised stream must be idle'],
  ['open', 'recvPushPromise', CONN('PROTOCOL_ERROR'), 'promising a stream that is not idle is an illegal identifier (§6.6)'],
  ['open', 'sendEndStream', T('halfClosedLocal'), 'sending END_STREAM: half-closed (local)'],
  ['open', 'recvEndStream', T('halfClosedRemote'), 'receiving END_STREAM: half-closed (remote)'],
  ['open', 'sendReset', T('closed'), 'sending RST_STREAM: closed'],
  ['open', 'recvReset', T('closed'), 'receiving RST_STREAM: closed'],

  ['halfClosedLocal', 'sendHeaders', NO, 'cannot be used for sending frames other than WINDOW_UPDATE, PRIORITY, RST_STREAM'],
  ['halfClosedLocal', 'recvHeaders', T('halfClosedLocal'), 'an endpoint can receive any type of frame in this state'],
  ['halfClosedLocal', 'sendPushPromise', NO, 'a promised stream must be idle'],
  ['halfClosedLocal', 'recvPushPromise', CONN('PROTOCOL_ERROR'), 'promising a stream that is not idle (§6.6)'],
  ['halfClosedLocal', 'sendEndStream', NO, 'END_STREAM was already sent'],
  ['halfClosedLocal', 'recvEndStream', T('closed'), 'receiving END_STREAM: closed'],
  ['halfClosedLocal', 'sendReset', T('closed'), 'sending RST_STREAM: closed'],
  ['halfClosedLocal', 'recvReset', T('closed'), 'receiving RST_STREAM: closed'],

  ['halfClosedRemote', 'sendHeaders', T('halfClosedRemote'), 'an endpoint can send a frame of any type in this state'],
  ['halfClosedRemote', 'recvHeaders', STRM('STREAM_CLOSED'), 'frames other than WINDOW_UPDATE, PRIORITY, RST_STREAM: STREAM_CLOSED stream error'],
  ['halfClosedRemote', 'sendPushPromise', NO, 'a promised stream must be idle'],
  ['halfClosedRemote', 'recvPushPromise', CONN('PROTOCOL_ERROR'), 'promising a stream that is not idle (§6.6)'],
  ['halfClosedRemote', 'sendEndStream', T('closed'), 'sending END_STREAM: closed'],
  ['halfClosedRemote', 'recvEndStream', STRM('STREAM_CLOSED'), 'DATA after END_STREAM: STREAM_CLOSED stream error'],
  ['halfClosedRemote', 'sendReset', T('closed'), 'sending RST_STREAM: closed'],
  ['halfClosedRemote', 'recvReset', T('closed'), 'receiving RST_STREAM: closed'],

  ['closed', 'sendHeaders', NO, 'MUST NOT send frames other than PRIORITY on a closed stream'],
  ['closed', 'recvHeaders', CONN('STREAM_CLOSED'), 'frames after END_STREAM: STREAM_CLOSED connection error'],
  ['closed', 'sendPushPromise', NO, 'a promised stream must be idle'],
  ['closed', 'recvPushPromise', CONN('PROTOCOL_ERROR'), 'promising a closed stream (§6.6)'],
  ['closed', 'sendEndStream', NO, 'MUST NOT send frames other than PRIORITY on a closed stream'],
  ['closed', 'recvEndStream', CONN('STREAM_CLOSED'), 'frames after END_STREAM: STREAM_CLOSED connection error'],
  ['closed', 'sendReset', NO, 'MUST NOT send frames other than PRIORITY on a closed stream'],
  ['closed', 'recvReset', IGN, 'RST_STREAM can be received for a short period after END_STREAM'],
];

/** Receipts on a stream closed in each way (§5.1 closed, §5.4.2). */
const CLOSED_EXPECTED: ReadonlyArray<readonly [ClosedStreamCause, 'recvHeaders' | 'recvPushPromise' | 'recvEndStream' | 'recvReset', StreamEventOutcome]> = [
  ['ended', 'recvHeaders', CONN('STREAM_CLOSED')], ['ended', 'recvEndStream', CONN('STREAM_CLOSED')],
  ['ended', 'recvReset', IGN], ['ended', 'recvPushPromise', CONN('PROTOCOL_ERROR')],
  // "The endpoint MUST ignore frames that it receives on closed streams after it has sent a RST_STREAM frame."
  ['resetSent', 'recvHeaders', IGN], ['resetSent', 'recvEndStream', IGN], ['resetSent', 'recvReset', IGN], ['resetSent', 'recvPushPromise', CONN('PROTOCOL_ERROR')],
  // "any frame other than PRIORITY after receiving a RST_STREAM: stream error STREAM_CLOSED", but never RST for RST (§5.4.2).
  ['resetReceived', 'recvHeaders', STRM('STREAM_CLOSED')], ['resetReceived', 'recvEndStream', STRM('STREAM_CLOSED')],
  ['resetReceived', 'recvReset', IGN], ['resetReceived', 'recvPushPromise', CONN('PROTOCOL_ERROR')],
];

describe('RFC 9113 §5.1 stream state table: every (state, event) pair', () => {
  it('lists all 7 states × 8 events exactly once', () => {
    expect(EXPECTED).toHaveLength(STATES.length * EVENTS.length);
    for (const s of STATES) for (const e of EVENTS) expect(EXPECTED.filter(([a, b]) => a === s && b === e)).toHaveLength(1);
    expect(Object.keys(STREAM_EVENT_OUTCOMES).sort()).toEqual([...STATES].sort());
    for (const s of STATES) expect(Object.keys(STREAM_EVENT_OUTCOMES[s]).sort()).toEqual([...EVENTS].sort());
  });

  it.each(EXPECTED)('§5.1 %s --%s--> %j (%s)', (state, event, expected) => {
    expect(STREAM_EVENT_OUTCOMES[state][event]).toEqual(expected);
    expect(streamEventOutcome(state, event)).toEqual(expected);
    expect(nextStreamState(state, event)).toBe(expected.kind === 'transition' ? expected.state : undefined);
    expect(STREAM_TRANSITIONS[state][event]).toBe(expected.kind === 'transition' ? expected.state : undefined);
  });

  it.each(CLOSED_EXPECTED)('§5.1 closed after %s: %s is %j', (how, event, expected) => {
    expect(CLOSED_STREAM_RECEIPTS[how][event]).toEqual(expected);
    expect(streamEventOutcome('closed', event, how)).toEqual(expected);
  });

  it('applies the closed-by row only to received events', () => {
    expect(streamEventOutcome('closed', 'sendHeaders', 'resetReceived')).toEqual(NO);
    expect(streamEventOutcome('open', 'recvHeaders', 'resetReceived')).toEqual(T('open'));
  });
});

describe('RFC 9113 §5.1 closed streams on a connection', () => {
  const data = { type: 'data' as const, streamId: 1, data: new Uint8Array(1) };

  /** Stream 1 closed in the given way; the outbox is empty. */
  function closedBy(how: ClosedStreamCause, options: Http2ConnectionOptions = {}): ReturnType<typeof withRequest> {
    const r = withRequest(options);
    if (how === 'ended') r.h2.receive(frames(headersFrame(r.enc, 1, [[':status', '200']], true)));
    if (how === 'resetSent') r.h2.resetStream(1);
    if (how === 'resetReceived') r.h2.receive(frames({ type: 'rstStream', streamId: 1, errorCode: 8 }));
    r.h2.takeOutput();
    return r;
  }

  const STREAM_CLOSED_RST = { type: 'streamError', streamId: 1, code: 'H2_ERR_STREAM_CLOSED', h2Code: 'STREAM_CLOSED', scope: 'stream' };
  const STREAM_CLOSED_CONN = { type: 'error', code: 'H2_ERR_STREAM_CLOSED', h2Code: 'STREAM_CLOSED', scope: 'connection' };

  it.each([
    ['ended', 'DATA', [STREAM_CLOSED_CONN], 'goAway'],
    ['ended', 'HEADERS', [STREAM_CLOSED_CONN], 'goAway'],
    ['resetSent', 'DATA', [], undefined],
    ['resetSent', 'HEADERS', [], undefined],
    ['resetReceived', 'DATA', [STREAM_CLOSED_RST], 'rstStream'],
    ['resetReceived', 'HEADERS', [STREAM_CLOSED_RST], 'rstStream'],
  ] as const)('closed after %s: %s gives %j', (how, what, expected, frame) => {
    const { h2, enc } = closedBy(how);
    const bytes = what === 'DATA' ? frames(data) : frames(headersFrame(enc, 1, [[':status', '200']]));
    expect(summary(h2.receive(bytes))).toEqual(expected);
    const out = written(h2).filter((f) => f.type === 'goAway' || f.type === 'rstStream');
    expect(out.map((f) => f.type)).toEqual(frame === undefined ? [] : [frame]);
    if (frame === 'rstStream') expect(out[0]).toEqual({ type: 'rstStream', streamId: 1, errorCode: 0x5 });
  });

  it('never answers a RST_STREAM with a RST_STREAM (§5.4.2), whatever closed the stream', () => {
    for (const how of ['ended', 'resetSent', 'resetReceived'] as const) {
      const { h2 } = closedBy(how);
      expect(h2.receive(frames({ type: 'rstStream', streamId: 1, errorCode: 0 }))).toEqual([]);
      expect(written(h2)).toEqual([]);
    }
  });

  it('gives DATA received after RST_STREAM back to the connection window (nobody will consume it)', () => {
    const { h2 } = closedBy('resetReceived', { initialConnectionWindowSize: 65535 });
    h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(16384) }));
    // window 65535 − 16384, nothing held: topped up to target + margin = 131070.
    expect(written(h2)).toEqual([
      { type: 'rstStream', streamId: 1, errorCode: 0x5 },
      { type: 'windowUpdate', streamId: 0, increment: 131070 - (65535 - 16384) },
    ]);
  });
});
