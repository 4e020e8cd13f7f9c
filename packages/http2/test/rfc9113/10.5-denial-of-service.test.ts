import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { DEFAULT_FLOOD_LIMITS, Http2ClientConnection, type FloodKind, type Http2Event } from '../../src/index.js';
import { concat, connected, frames, get, serverEncoder, summary, written } from '../helpers.js';

/*
 * RFC 9113 §10.5: "an endpoint that doesn't monitor use of these features exposes itself to a
 * risk of denial of service": SETTINGS, PING, RST_STREAM, empty DATA and CONTINUATION floods
 * end in a connection error ENHANCE_YOUR_CALM once more than `count` arrive within `windowMs`.
 */

const N = 3;
const WINDOW = 1000;
const FLOOD = { type: 'error', code: 'H2_ERR_FLOOD', h2Code: 'ENHANCE_YOUR_CALM', scope: 'connection' };

interface FloodCase {
  readonly kind: FloodKind;
  /** A connection ready for the flood, with `limit` for its kind. */
  readonly make: (limit: { count: number; windowMs: number }) => Http2ClientConnection;
  /** The i-th unit of the flood (0-based): the bytes holding one counted frame. */
  readonly unit: (i: number) => Uint8Array;
  /** The events one accepted unit produces. */
  readonly accepted: (i: number) => unknown[];
}

const opaque = (i: number): Uint8Array => new Uint8Array([0, 0, 0, 0, 0, 0, 0, i]);

/** A connection whose `streams` GETs got a response head without END_STREAM. */
function withResponses(limit: { count: number; windowMs: number }, kind: FloodKind, streams: number): Http2ClientConnection {
  const h2 = connected({ floodLimits: { [kind]: limit } });
  const enc = serverEncoder();
  for (let i = 0; i < streams; i++) {
    const id = h2.request(get(), { endStream: true });
    h2.receive(frames({ type: 'headers', streamId: id, fragment: enc.encode([[':status', '200']]) }));
  }
  h2.takeOutput();
  return h2;
}

/**
 * A response block that needs no dynamic table (each stream's block is the same octets):
 * `:status 200` (static index 8) and `x-part: continued` as a literal without indexing.
 */
const BLOCK = Uint8Array.from([0x88, 0x00, 6, ...Buffer.from('x-part'), 9, ...Buffer.from('continued')]);

/** The i-th response block cut into HEADERS + CONTINUATION, on stream 2i + 1. */
function splitResponse(i: number): Uint8Array {
  const id = 2 * i + 1;
  return frames(
    { type: 'headers', streamId: id, fragment: BLOCK.subarray(0, 2), endStream: true, endHeaders: false },
    { type: 'continuation', streamId: id, fragment: BLOCK.subarray(2), endHeaders: true },
  );
}

const CASES: FloodCase[] = [
  {
    kind: 'settings',
    make: (limit) => {
      const h2 = new Http2ClientConnection({ floodLimits: { settings: limit } });
      h2.start();
      h2.takeOutput();
      return h2;
    },
    unit: () => frames({ type: 'settings' }),
    accepted: () => [{ type: 'settings', settings: expect.anything() }],
  },
  {
    kind: 'ping',
    make: (limit) => connected({ floodLimits: { ping: limit } }),
    unit: (i) => frames({ type: 'ping', opaque: opaque(i) }),
    accepted: (i) => [{ type: 'ping', opaque: opaque(i) }],
  },
  {
    kind: 'rstStream',
    make: (limit) => {
      const h2 = connected({ floodLimits: { rstStream: limit } });
      h2.request(get(), { endStream: true });
      h2.takeOutput();
      return h2;
    },
    // The first resets stream 1; the others hit a closed stream and are ignored (RFC 9113 §5.1).
    unit: () => frames({ type: 'rstStream', streamId: 1, errorCode: 8 }),
    accepted: (i) => (i === 0 ? [{ type: 'rstStream', streamId: 1, errorCode: 8, h2Code: 'CANCEL' }] : []),
  },
  {
    kind: 'emptyData',
    make: (limit) => withResponses(limit, 'emptyData', 1),
    unit: () => frames({ type: 'data', streamId: 1, data: new Uint8Array(0) }),
    accepted: () => [],
  },
  {
    kind: 'continuation',
    make: (limit) => {
      const h2 = connected({ floodLimits: { continuation: limit } });
      for (let i = 0; i <= N; i++) h2.request(get(), { endStream: true });
      h2.takeOutput();
      return h2;
    },
    unit: splitResponse,
    accepted: (i) => [{ type: 'response', streamId: 2 * i + 1, status: 200, headers: [[':status', '200'], ['x-part', 'continued']], endStream: true }],
  },
];

function flood(c: FloodCase, h2: Http2ClientConnection, count: number, now?: number): Http2Event[] {
  const bytes = concat(...Array.from({ length: count }, (_, i) => c.unit(i)));
  return now === undefined ? h2.receive(bytes) : h2.receive(bytes, now);
}

describe('RFC 9113 §10.5 flood limits (option floodLimits)', () => {
  describe.each(CASES)('$kind', (c) => {
    const limit = { count: N, windowMs: WINDOW };
    const acceptedEvents = (n: number): unknown[] => Array.from({ length: n }, (_, i) => c.accepted(i)).flat();

    it(`accepts ${N} frames in one window (N = count)`, () => {
      const h2 = c.make(limit);
      expect(summary(flood(c, h2, N))).toEqual(acceptedEvents(N));
      expect(h2.state).not.toBe('closed');
      expect(written(h2).filter((f) => f.type === 'goAway')).toEqual([]);
    });

    it(`treats frame ${N + 1} in one window as a connection error ENHANCE_YOUR_CALM (N + 1), on every chunking`, () => {
      const bytes = concat(...Array.from({ length: N + 1 }, (_, i) => c.unit(i)));
      expectEventsForAllChunkings(() => c.make(limit), bytes, [...acceptedEvents(N), FLOOD], { normalize: summary });
    });

    it('writes GOAWAY with ENHANCE_YOUR_CALM (0xb) after the answers to the accepted frames, and closes', () => {
      const h2 = c.make(limit);
      const events = flood(c, h2, N + 1);
      expect(summary(events).at(-1)).toEqual(FLOOD);
      const out = written(h2);
      const answers = out.filter((f) => (f.type === 'ping' || f.type === 'settings') && f.ack).length;
      expect(answers).toBe(c.kind === 'ping' || c.kind === 'settings' ? N : 0);
      expect(out.at(-1)).toEqual({ type: 'goAway', streamId: 0, lastStreamId: 0, errorCode: 0xb, debugData: expect.anything() });
      expect(h2.state).toBe('closed');
    });

    it('restarts the count when now − windowStart >= windowMs', () => {
      const h2 = c.make(limit);
      expect(summary(flood(c, h2, N, 5000))).toEqual(acceptedEvents(N));
      const next = c.unit(N);
      // Still inside the window started at 5000: one more is a flood...
      const probe = c.make(limit);
      probe.receive(concat(...Array.from({ length: N }, (_, i) => c.unit(i))), 5000);
      expect(summary(probe.receive(next, 5000 + WINDOW - 1)).at(-1)).toEqual(FLOOD);
      // ...but at windowStart + windowMs the window restarts and the frame is accepted.
      expect(summary(h2.receive(next, 5000 + WINDOW))).toEqual(c.accepted(N));
      expect(h2.state).not.toBe('closed');
    });
  });

  it('without now (0) the counts cover the connection life', () => {
    const h2 = connected({ floodLimits: { ping: { count: 2, windowMs: 1 } } });
    h2.receive(frames({ type: 'ping', opaque: opaque(1) }));
    h2.receive(frames({ type: 'ping', opaque: opaque(2) }));
    expect(summary(h2.receive(frames({ type: 'ping', opaque: opaque(3) })))).toEqual([FLOOD]);
  });

  it('does not count PING ACKs, SETTINGS ACKs, DATA with octets or END_STREAM', () => {
    const h2 = connected({ floodLimits: { ping: { count: 1 }, settings: { count: 1 }, emptyData: { count: 1 } } });
    h2.ping(opaque(1));
    h2.ping(opaque(2));
    h2.takeOutput();
    const enc = serverEncoder();
    h2.request(get(), { endStream: true });
    const events = h2.receive(concat(
      frames({ type: 'ping', ack: true, opaque: opaque(1) }, { type: 'ping', ack: true, opaque: opaque(2) }),
      frames({ type: 'settings', ack: true }, { type: 'settings', ack: true }),
      frames({ type: 'headers', streamId: 1, fragment: enc.encode([[':status', '200']]) }),
      frames({ type: 'data', streamId: 1, data: new Uint8Array(1) }, { type: 'data', streamId: 1, data: new Uint8Array(1) }),
      frames({ type: 'data', streamId: 1, data: new Uint8Array(0), endStream: true }),
    ));
    expect(events.map((e) => e.type)).not.toContain('error');
  });

  it('counts a padding-only DATA frame as empty', () => {
    const h2 = withResponses({ count: 1, windowMs: WINDOW }, 'emptyData', 1);
    const padded = frames({ type: 'data', streamId: 1, data: new Uint8Array(0), padLength: 4 });
    expect(summary(h2.receive(concat(padded, padded)))).toEqual([FLOOD]);
  });

  it('defaults to 100 SETTINGS, 1000 PINGs and 10000 RST_STREAM, empty DATA and CONTINUATION per 10000 ms', () => {
    expect(DEFAULT_FLOOD_LIMITS).toEqual({
      settings: { count: 100, windowMs: 10000 },
      ping: { count: 1000, windowMs: 10000 },
      rstStream: { count: 10000, windowMs: 10000 },
      emptyData: { count: 10000, windowMs: 10000 },
      continuation: { count: 10000, windowMs: 10000 },
    });
  });

  it('by default accepts 1000 PINGs at one instant and rejects the 1001st', () => {
    const h2 = connected();
    const pings = concat(...Array.from({ length: 1000 }, () => frames({ type: 'ping', opaque: opaque(0) })));
    expect(h2.receive(pings, 42).filter((e) => e.type === 'error')).toEqual([]);
    expect(summary(h2.receive(frames({ type: 'ping', opaque: opaque(0) }), 42))).toEqual([FLOOD]);
  });
});
