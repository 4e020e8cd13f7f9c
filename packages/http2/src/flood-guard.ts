import { Http2Errors, misuse } from './errors.js';

/*
 * Flood limits (RFC 9113 §10.5): frames that cost us work or force an answer while carrying
 * nothing for the user are counted per kind in a fixed window of time. One more than the count
 * within a window is a connection error ENHANCE_YOUR_CALM.
 *
 *   window ──frame──> count + 1 ──count <= limit──> window
 *     ^                   └──────count > limit───> flooded (GOAWAY ENHANCE_YOUR_CALM)
 *     └── now − windowStart >= windowMs: count = 0, windowStart = now
 *
 * Time is the caller's (`receive(chunk, now)`, monotonic ms); without it `now` is 0, the window
 * never restarts and the counts cover the connection's life.
 */

/** The frame kinds counted against flood limits. */
export type FloodKind = 'settings' | 'ping' | 'rstStream' | 'emptyData' | 'continuation';

/** One flood limit: at most `count` frames in any window of `windowMs` milliseconds. */
export interface FloodLimit {
  /** Frames allowed per window (integer ≥ 1, or `Infinity` for no limit). */
  readonly count: number;
  /** Window length in milliseconds (> 0; `Infinity`: the connection's life). */
  readonly windowMs: number;
}

/**
 * The `floodLimits` option of `Http2ClientConnection`: per kind, a partial {@link FloodLimit}
 * merged over {@link DEFAULT_FLOOD_LIMITS}.
 *
 * - `settings`: SETTINGS frames without ACK (each forces a SETTINGS ACK, RFC 9113 §6.5.3).
 * - `ping`: PING frames without ACK (each forces a PING ACK, RFC 9113 §6.7).
 * - `rstStream`: RST_STREAM frames (RFC 9113 §6.4), on any stream.
 * - `emptyData`: DATA frames with no data octets (padding alone counts as empty) and no END_STREAM.
 * - `continuation`: CONTINUATION frames (RFC 9113 §6.10), across header blocks; one block is
 *   also capped by `maxHeaderBlockFragments`.
 */
export type FloodLimitsOption = { readonly [K in FloodKind]?: Partial<FloodLimit> };

/** Flood limits with defaults applied. */
export type FloodLimits = { readonly [K in FloodKind]: FloodLimit };

/** The default window: 10 s, long enough to smooth bursts, short enough to catch a flood fast. */
const WINDOW_MS = 10_000;

/**
 * Default flood limits, per 10 000 ms. A server sends SETTINGS a handful of times per
 * connection: 100 is generous. PINGs are rare too, but RTT or BDP probes (gRPC) may send one per
 * round trip: 1000 (100/s) leaves room. RST_STREAM, empty DATA and CONTINUATION may come once or
 * twice per stream: 10 000 lets a client running 1,000 concurrent streams turn all of them over
 * every second, each one reset by the server, without tripping.
 */
export const DEFAULT_FLOOD_LIMITS: FloodLimits = Object.freeze({
  settings: Object.freeze({ count: 100, windowMs: WINDOW_MS }),
  ping: Object.freeze({ count: 1000, windowMs: WINDOW_MS }),
  rstStream: Object.freeze({ count: 10_000, windowMs: WINDOW_MS }),
  emptyData: Object.freeze({ count: 10_000, windowMs: WINDOW_MS }),
  continuation: Object.freeze({ count: 10_000, windowMs: WINDOW_MS }),
});

const KINDS = Object.keys(DEFAULT_FLOOD_LIMITS) as FloodKind[];

function bad(message: string): never {
  throw misuse(Http2Errors.BAD_ARGUMENT, message);
}

function resolveLimit(kind: FloodKind, given: Partial<FloodLimit>): FloodLimit {
  if (typeof given !== 'object' || given === null) bad(`Option floodLimits.${kind} must be an object { count, windowMs }.`);
  for (const key of Object.keys(given)) {
    if (key !== 'count' && key !== 'windowMs') bad(`Option floodLimits.${kind} has an unknown key ${key}.`);
  }
  const { count, windowMs } = Object.assign({}, DEFAULT_FLOOD_LIMITS[kind], given);
  if (typeof count !== 'number' || !(count === Infinity || (Number.isInteger(count) && count >= 1))) {
    bad(`Option floodLimits.${kind}.count must be an integer of at least 1, or Infinity.`);
  }
  if (typeof windowMs !== 'number' || Number.isNaN(windowMs) || windowMs <= 0) bad(`Option floodLimits.${kind}.windowMs must be a number above 0.`);
  return { count, windowMs };
}

/**
 * Applies {@link DEFAULT_FLOOD_LIMITS} under the given limits.
 * @throws GunError `H2_ERR_BAD_ARGUMENT` for an unknown kind or key, or a value out of range.
 */
export function resolveFloodLimits(option: FloodLimitsOption | undefined): FloodLimits {
  if (option === undefined) return DEFAULT_FLOOD_LIMITS;
  if (typeof option !== 'object' || option === null) bad('Option floodLimits must be an object.');
  for (const key of Object.keys(option)) {
    if (!(KINDS as string[]).includes(key)) bad(`Option floodLimits has an unknown kind ${key}.`);
  }
  const out = {} as Record<FloodKind, FloodLimit>;
  for (const kind of KINDS) {
    const given = option[kind];
    out[kind] = given === undefined ? DEFAULT_FLOOD_LIMITS[kind] : resolveLimit(kind, given);
  }
  return out;
}

/** A fixed-window counter per kind. */
export class FloodGuard {
  private readonly windows = new Map<FloodKind, { start: number; count: number }>();

  constructor(private readonly limits: FloodLimits) {}

  /** Counts one frame of `kind` at `now` (ms); false when it is one too many for the window. */
  allow(kind: FloodKind, now: number): boolean {
    const { count: limit, windowMs } = this.limits[kind];
    let w = this.windows.get(kind);
    if (w === undefined) {
      w = { start: now, count: 0 };
      this.windows.set(kind, w);
    } else if (now - w.start >= windowMs) {
      w.start = now;
      w.count = 0;
    }
    w.count += 1;
    return w.count <= limit;
  }
}
