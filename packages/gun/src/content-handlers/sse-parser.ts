/**
 * Incremental parser of a `text/event-stream` body: WHATWG HTML §9.2.5 "Parsing an event stream"
 * and §9.2.6 "Interpreting an event stream", plus Gun's lone-id event (cow_sse).
 *
 * Line reading (the state below; `failed` and `ended` are absorbing):
 *
 *   ┌───────────┐ EF BB BF dropped, or the first octet   ┌──────┐   CR    ┌─────────┐
 *   │ bom (0-2) │ ─────── that does not continue it ───> │ line │ ──────> │ afterCr │
 *   └───────────┘                                        └──────┘ <────── └─────────┘
 *                                                          │ LF ↺    next octet (an LF is skipped)
 *   a limit exceeded ──> failed (all input ignored, even the end)
 *   receiveEof() ──> ended (receive throws)
 *
 * Lines are split on octets before decoding: CR and LF never occur inside a UTF-8 multi-octet
 * sequence, so each field value can be decoded alone, and a sequence cut by a line end decodes
 * to U+FFFD exactly as a decoder of the whole stream would give. Octets of an unterminated line
 * are copied and kept until its end arrives, so any chunking gives the same events.
 */
import { GunError, assertNever, localError } from '@gunhttp/core';
import type { SseEvent } from '@gunhttp/core';
import { GunErrors } from '../errors.js';
import { SseErrors } from './errors.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const COLON = 0x3a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** The UTF-8 byte order mark, dropped once at the start of the stream (WHATWG Encoding "UTF-8 decode"). */
const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/**
 * Default {@link SseParserOptions.maxLineLength}: 4 MiB. Large enough for a whole JSON document on
 * one `data:` line, small enough that a server never ending its line cannot exhaust memory.
 */
export const DEFAULT_SSE_MAX_LINE_LENGTH = 4 * 1024 * 1024;
/**
 * Default {@link SseParserOptions.maxDataSize}: 16 MiB. Bounds the data buffer of one event (many
 * `data:` lines without the blank line that dispatches them).
 */
export const DEFAULT_SSE_MAX_DATA_SIZE = 16 * 1024 * 1024;

/** Limits of an {@link SseParser}, in octets. */
export interface SseParserOptions {
  /** Octets of one line, its terminator excluded. Default {@link DEFAULT_SSE_MAX_LINE_LENGTH}. */
  readonly maxLineLength?: number;
  /** Octets of one event's data (its values joined by LF). Default {@link DEFAULT_SSE_MAX_DATA_SIZE}. */
  readonly maxDataSize?: number;
}

/** What {@link SseParser.receive} produces: an event, or the peer's violation (always last). */
export type SseParserEvent =
  | { readonly type: 'event'; readonly event: SseEvent }
  | { readonly type: 'error'; readonly error: GunError };

/** The parser's state name (see the diagram at the top of `sse-parser.ts`). */
export type SseParserState = 'bom' | 'line' | 'afterCr' | 'failed' | 'ended';

type ReadState =
  | { readonly kind: 'bom'; readonly matched: number }
  | { readonly kind: 'line' }
  | { readonly kind: 'afterCr' }
  | { readonly kind: 'failed' }
  | { readonly kind: 'ended' };

/** The buffers of the event being built (WHATWG §9.2.6), emptied at each dispatch. */
interface EventBlock {
  readonly data: string[];
  /** Octets of `data` joined by LF. */
  dataSize: number;
  eventType: string;
  /** The `id` set in this block, if any: Gun dispatches it alone when there is no data. */
  id: string | undefined;
}

type Field = 'data' | 'event' | 'id' | 'retry';
const FIELDS: ReadonlyArray<readonly [Field, Uint8Array]> = (['data', 'event', 'id', 'retry'] as const).map(
  (name) => [name, Uint8Array.from(name, (c) => c.charCodeAt(0))] as const,
);

// ignoreBOM: a U+FEFF inside the stream is content; only the stream's first one is dropped (above).
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

const emptyBlock = (): EventBlock => ({ data: [], dataSize: 0, eventType: '', id: undefined });

function checkLimit(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw localError(GunErrors.INVALID_OPTION, `${name} must be a positive integer (octets).`);
  return value;
}

/**
 * Parses a server-sent events stream given in chunks of any size (WHATWG HTML §9.2.5, §9.2.6):
 * lines end with CRLF, LF or CR (a CRLF split between chunks is one end); a leading UTF-8 BOM is
 * dropped once; `:` lines are comments; one space after the field's colon is removed; `data`
 * values are joined by LF; `event` sets the type (default `message`); `id` sets the last event ID
 * unless it holds U+0000; `retry` of ASCII digits sets the reconnection time (ms); unknown fields
 * are ignored; a blank line dispatches the event. An event without data is not dispatched, except
 * Gun's lone-id case: a block that set `id` gives `{ lastEventId }` alone. Invalid UTF-8 becomes
 * U+FFFD. At the end of the stream an unfinished event is discarded.
 *
 * Dispatched events are `{ lastEventId, eventType, data }` plus `retry` once a valid `retry` field
 * was seen (the stream's reconnection time, kept like the last event ID).
 *
 * Errors (delivered as the last event, then all input is ignored): `GUN_ERR_SSE_LINE_TOO_LONG`,
 * `GUN_ERR_SSE_DATA_TOO_LARGE`. Throws `GUN_ERR_INVALID_OPTION` for bad limits and
 * `GUN_ERR_BAD_STATE` for `receive` after `receiveEof`.
 */
export class SseParser {
  private read: ReadState = { kind: 'bom', matched: 0 };
  /** Copies of the octets of the unterminated line. */
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private block: EventBlock = emptyBlock();
  private lastId = '';
  private reconnectionTime: number | undefined;
  private readonly maxLineLength: number;
  private readonly maxDataSize: number;

  constructor(options: SseParserOptions = {}) {
    this.maxLineLength = checkLimit(options.maxLineLength, 'maxLineLength', DEFAULT_SSE_MAX_LINE_LENGTH);
    this.maxDataSize = checkLimit(options.maxDataSize, 'maxDataSize', DEFAULT_SSE_MAX_DATA_SIZE);
  }

  /** The state name (see the file's diagram). */
  get state(): SseParserState {
    return this.read.kind;
  }

  /** The last event ID string (WHATWG): the latest dispatched `id`, `''` before any. */
  get lastEventId(): string {
    return this.lastId;
  }

  /** The reconnection time (ms) the stream set with `retry`, or `undefined`. */
  get retry(): number | undefined {
    return this.reconnectionTime;
  }

  /** Parses a chunk; returns the events it completes, in stream order. */
  receive(chunk: Uint8Array): SseParserEvent[] {
    if (this.read.kind === 'ended') throw localError(GunErrors.BAD_STATE, 'The event stream has ended (receiveEof was called).');
    const out: SseParserEvent[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const read = this.read;
      switch (read.kind) {
        case 'bom':
          pos = this.skipBom(chunk, pos, read.matched);
          break;
        case 'afterCr':
          // CRLF is one line end, even when the CR ended the previous chunk (WHATWG §9.2.5 `eol`).
          if (chunk[pos] === LF) pos++;
          this.read = { kind: 'line' };
          break;
        case 'line':
          pos = this.scanLine(chunk, pos, out);
          break;
        case 'failed':
          return out;
        default:
          assertNever(read, 'SSE parser state');
      }
    }
    return out;
  }

  /**
   * The stream ended: an unfinished line or event is discarded (WHATWG §9.2.6). The state becomes
   * `ended`, or stays `failed` after a violation.
   */
  receiveEof(): SseParserEvent[] {
    if (this.read.kind !== 'failed') this.read = { kind: 'ended' };
    this.pending = [];
    this.pendingLength = 0;
    this.block = emptyBlock();
    return [];
  }

  /** Matches the stream's first octets against the BOM; returns where line reading starts. */
  private skipBom(chunk: Uint8Array, pos: number, matched: number): number {
    let m = matched;
    while (pos < chunk.length && m < BOM.length && chunk[pos] === BOM[m]) {
      pos++;
      m++;
    }
    if (m === BOM.length) this.read = { kind: 'line' };
    else if (pos < chunk.length) {
      // Not a BOM: the octets matched so far start the first line.
      if (m > 0) this.keep(BOM.slice(0, m));
      this.read = { kind: 'line' };
    } else this.read = { kind: 'bom', matched: m };
    return pos;
  }

  /** Reads up to the next line end; returns the position after it (or the chunk's end). */
  private scanLine(chunk: Uint8Array, pos: number, out: SseParserEvent[]): number {
    for (let i = pos; i < chunk.length; i++) {
      const c = chunk[i];
      if (c !== LF && c !== CR) continue;
      if (c === CR) this.read = { kind: 'afterCr' };
      this.endLine(chunk.subarray(pos, i), out);
      return i + 1;
    }
    if (this.pendingLength + chunk.length - pos > this.maxLineLength) this.lineTooLong(out);
    else this.keep(chunk.slice(pos));
    return chunk.length;
  }

  private keep(octets: Uint8Array): void {
    this.pending.push(octets);
    this.pendingLength += octets.length;
  }

  private endLine(tail: Uint8Array, out: SseParserEvent[]): void {
    if (this.pendingLength + tail.length > this.maxLineLength) return this.lineTooLong(out);
    let line = tail;
    if (this.pendingLength > 0) {
      line = new Uint8Array(this.pendingLength + tail.length);
      let offset = 0;
      for (const part of this.pending) {
        line.set(part, offset);
        offset += part.length;
      }
      line.set(tail, offset);
      this.pending = [];
      this.pendingLength = 0;
    }
    this.processLine(line, out);
  }

  /** One line (WHATWG §9.2.6): blank, comment, or `field[:[ ]value]`. */
  private processLine(line: Uint8Array, out: SseParserEvent[]): void {
    if (line.length === 0) return this.dispatch(out);
    if (line[0] === COLON) return;
    const colon = line.indexOf(COLON);
    const nameEnd = colon === -1 ? line.length : colon;
    let valueStart = colon === -1 ? line.length : colon + 1;
    if (line[valueStart] === SPACE) valueStart++;
    const value = line.subarray(valueStart);
    const field = fieldOf(line, nameEnd);
    switch (field) {
      case 'data':
        return this.addData(value, out);
      case 'event':
        this.block.eventType = utf8.decode(value);
        return;
      case 'id':
        return this.setId(utf8.decode(value));
      case 'retry':
        return this.setRetry(value);
      case undefined:
        return;
      default:
        assertNever(field, 'SSE field');
    }
  }

  private addData(value: Uint8Array, out: SseParserEvent[]): void {
    const block = this.block;
    const size = block.dataSize + (block.data.length > 0 ? 1 : 0) + value.length;
    if (size > this.maxDataSize) {
      return this.fail(out, SseErrors.DATA_TOO_LARGE, `The data of one event must not exceed ${this.maxDataSize} octets (maxDataSize).`);
    }
    block.data.push(utf8.decode(value));
    block.dataSize = size;
  }

  /** WHATWG §9.2.6: an `id` holding U+0000 is ignored. */
  private setId(id: string): void {
    if (!id.includes('\0')) this.block.id = id;
  }

  /** WHATWG §9.2.6: only ASCII digits; values beyond 2^53 - 1 ms are ignored too. */
  private setRetry(value: Uint8Array): void {
    if (value.length === 0) return;
    let n = 0;
    for (const c of value) {
      if (c < DIGIT_0 || c > DIGIT_9) return;
      n = n * 10 + (c - DIGIT_0);
    }
    if (Number.isSafeInteger(n)) this.reconnectionTime = n;
  }

  /** A blank line (WHATWG §9.2.6 "dispatch the event"), with Gun's lone-id event. */
  private dispatch(out: SseParserEvent[]): void {
    const block = this.block;
    this.block = emptyBlock();
    if (block.id !== undefined) this.lastId = block.id;
    if (block.data.length === 0) {
      if (block.id !== undefined) out.push({ type: 'event', event: { lastEventId: block.id } });
      return;
    }
    const event: SseEvent = {
      lastEventId: this.lastId,
      eventType: block.eventType === '' ? 'message' : block.eventType,
      data: block.data.join('\n'),
      ...(this.reconnectionTime === undefined ? {} : { retry: this.reconnectionTime }),
    };
    out.push({ type: 'event', event });
  }

  private lineTooLong(out: SseParserEvent[]): void {
    this.fail(out, SseErrors.LINE_TOO_LONG, `A line of the event stream must not exceed ${this.maxLineLength} octets (maxLineLength).`);
  }

  private fail(out: SseParserEvent[], code: string, message: string): void {
    out.push({ type: 'error', error: new GunError(code, message, { origin: 'remote' }) });
    this.read = { kind: 'failed' };
    this.pending = [];
    this.pendingLength = 0;
    this.block = emptyBlock();
  }
}

/** The field a line names (compared octet by octet: field names are case-sensitive). */
function fieldOf(line: Uint8Array, nameEnd: number): Field | undefined {
  for (const [field, name] of FIELDS) {
    if (name.length !== nameEnd) continue;
    let i = 0;
    while (i < nameEnd && line[i] === name[i]) i++;
    if (i === nameEnd) return field;
  }
  return undefined;
}
