/**
 * permessage-deflate (RFC 7692) on node:zlib: the compressor and decompressor the Websocket
 * codec of `@gunhttp/websocket` asks its caller for.
 *
 * Node 20 has no reusable synchronous zlib stream: `deflateRawSync`/`inflateRawSync` start a
 * fresh stream per call, and a stream's synchronous path closes its handle after one call. Context
 * takeover is therefore done with a preset dictionary: each call is primed with the last
 * 2^windowBits octets of the plaintext that went through that direction (what we compressed, or
 * what we inflated). A DEFLATE back-reference reaches at most that far (RFC 1951 §2), so our
 * output and a peer that keeps one continuous stream agree octet for octet.
 */
import * as zlib from 'node:zlib';
import type { DeflateParams, PerMessageDeflate } from '@gunhttp/websocket';

/** Options of {@link nodePerMessageDeflate}; Gun's values by default. */
export interface NodeDeflateOptions {
  /** Which side we are: picks our window (client_max_window_bits for a client). Default `client`. */
  readonly role?: 'client' | 'server';
  /** zlib compression level 0..9; default 9 (Gun's `best_compression`). */
  readonly level?: number;
  /** zlib memLevel 1..9; default 8 (Gun's). */
  readonly memLevel?: number;
}

const SYNC_FLUSH = zlib.constants.Z_SYNC_FLUSH;
/** The largest window; inflating with it accepts every window a peer may use (RFC 7692 §7.1.2). */
const MAX_WINDOW_BITS = 15;
/** zlib refuses 8-bit raw windows; 9 bits never reach further than 2^8 octets back (Gun does the same). */
const MIN_ZLIB_WINDOW_BITS = 9;

/**
 * The last `2^windowBits` octets that went through one direction, in a buffer twice that size so
 * appending is amortised O(n) instead of a copy of the whole window per message.
 */
class History {
  private buf: Uint8Array = new Uint8Array(0);
  private len = 0;

  constructor(private readonly limit: number) {}

  /** The window to prime the next call with, or `undefined` when nothing went through yet. */
  view(): Uint8Array | undefined {
    return this.len === 0 ? undefined : this.buf.subarray(Math.max(0, this.len - this.limit), this.len);
  }

  append(data: Uint8Array): void {
    if (data.length >= this.limit) {
      this.ensure();
      this.buf.set(data.subarray(data.length - this.limit), 0);
      this.len = this.limit;
      return;
    }
    this.ensure();
    if (this.len + data.length > this.buf.length) {
      const keep = Math.min(this.len, this.limit - data.length);
      this.buf.copyWithin(0, this.len - keep, this.len);
      this.len = keep;
    }
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  clear(): void {
    this.len = 0;
  }

  private ensure(): void {
    if (this.buf.length === 0) this.buf = new Uint8Array(2 * this.limit);
  }
}

function checkRange(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function windowBits(bits: number): number {
  return Math.max(MIN_ZLIB_WINDOW_BITS, checkRange(bits, 8, MAX_WINDOW_BITS, 'window bits'));
}

/**
 * The most a sane compressor turns `n` octets into (zlib's deflateBound: stored blocks cost
 * about 5 octets per 16 KiB); compressed input above it cannot inflate to `n` octets or fewer.
 */
function compressedBound(n: number): number {
  return n + Math.floor(n / 4096) + Math.floor(n / 16384) + 64;
}

function asUint8Array(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Parts of one message held until its last call (sync zlib cannot resume a cut stream). */
class Pending {
  private parts: Uint8Array[] = [];
  size = 0;

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.parts.push(data);
    this.size += data.length;
  }

  take(): Uint8Array {
    const out = concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    return out;
  }
}

const EMPTY = new Uint8Array(0);

/**
 * The production permessage-deflate codec on node:zlib (RFC 7692 §7), for
 * `WebSocketConnection({ extensions: { permessageDeflate: { params, codec } } })`.
 *
 * - Compression as Gun: level 9 (`best_compression`), memLevel 8, default strategy, our window
 *   from `params` (client_max_window_bits for a client), 8 bits bumped to 9 (zlib).
 * - Context takeover honoured both ways: history is kept unless that direction's
 *   no_context_takeover was negotiated, and `resetCompressor`/`resetDecompressor` forget it.
 * - A message is compressed (and inflated) whole, at its last call; earlier calls return no octets.
 * - `decompress` returns `'tooLarge'` rather than produce more than `maxSize` octets (or when the
 *   compressed input alone could not fit), `'invalid'` for corrupt DEFLATE data (RFC 7692 §7.2.2).
 *
 * Throws a `RangeError` for window bits outside 8..15, a level outside 0..9 or a memLevel outside 1..9.
 */
export function nodePerMessageDeflate(params: DeflateParams, options: NodeDeflateOptions = {}): PerMessageDeflate {
  const client = (options.role ?? 'client') === 'client';
  const ownBits = windowBits(client ? params.clientMaxWindowBits : params.serverMaxWindowBits);
  const peerBits = windowBits(client ? params.serverMaxWindowBits : params.clientMaxWindowBits);
  const ownTakeover = !(client ? params.clientNoContextTakeover : params.serverNoContextTakeover);
  const peerTakeover = !(client ? params.serverNoContextTakeover : params.clientNoContextTakeover);
  const deflateOptions = {
    level: checkRange(options.level ?? 9, 0, 9, 'level'),
    memLevel: checkRange(options.memLevel ?? 8, 1, 9, 'memLevel'),
    windowBits: ownBits,
    finishFlush: SYNC_FLUSH,
  };
  const sent = new History(1 << ownBits);
  const received = new History(1 << peerBits);
  const toSend = new Pending();
  const toInflate = new Pending();

  return {
    compress(data: Uint8Array, fin: boolean): Uint8Array {
      toSend.push(data);
      if (!fin) return EMPTY;
      const input = toSend.take();
      const dictionary = sent.view();
      const out = zlib.deflateRawSync(input, dictionary === undefined ? deflateOptions : Object.assign({}, deflateOptions, { dictionary }));
      if (ownTakeover) sent.append(input);
      return asUint8Array(out);
    },

    decompress(data: Uint8Array, fin: boolean, maxSize: number): Uint8Array | 'tooLarge' | 'invalid' {
      toInflate.push(data);
      if (toInflate.size > compressedBound(maxSize)) {
        toInflate.take();
        return 'tooLarge';
      }
      if (!fin) return EMPTY;
      const input = toInflate.take();
      const dictionary = received.view();
      const inflateOptions = { windowBits: MAX_WINDOW_BITS, finishFlush: SYNC_FLUSH, maxOutputLength: Math.max(1, maxSize) };
      let out: Buffer;
      try {
        out = zlib.inflateRawSync(input, dictionary === undefined ? inflateOptions : Object.assign({}, inflateOptions, { dictionary }));
      } catch (error) {
        return (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? 'tooLarge' : 'invalid';
      }
      if (out.length > maxSize) return 'tooLarge';
      const result = asUint8Array(out);
      if (peerTakeover) received.append(result);
      return result;
    },

    resetCompressor(): void {
      sent.clear();
    },

    resetDecompressor(): void {
      received.clear();
    },
  };
}
