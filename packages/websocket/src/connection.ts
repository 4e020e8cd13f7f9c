import { assertNever, ByteQueue, concatBytes, EMPTY_BYTES, utf8Encode } from '@gunhttp/core';
import type { GunError, SansIoMachine, WsFrame } from '@gunhttp/core';
import { encodeClosePayload, parseClosePayload } from './close.js';
import { badArgument, wsError, WsCloseCodes, WsErrors } from './errors.js';
import { applyMask, encodeFrame, isControl, MAX_CONTROL_PAYLOAD, Opcode, parseFrameHeader } from './frame.js';
import type { FrameHeader } from './frame.js';
import { checkFrameHeader } from './frame-rules.js';
import { DEFLATE_TAIL } from './permessage-deflate.js';
import type { DeflateParams, PerMessageDeflate } from './permessage-deflate.js';
import { Utf8Validator } from './utf8-validator.js';

/*
 * Connection states (RFC 6455 §7; the handshake happened before this machine exists):
 *
 *             send(close)                       peer's close
 *   open ───────────────────▶ closing ─────────────────────────▶ closed
 *     │                                                            ▲
 *     │  peer's close (our close reply queued), peer violation     │
 *     │  (close with its code queued), EOF (1006, nothing sent)    │
 *     └────────────────────────────────────────────────────────────┘
 *
 * Receiving, per message (RFC 6455 §5.4):
 *
 *   idle ──text/binary, FIN=0──▶ assembling ──continuation, FIN=1──▶ idle
 *                                  ▲     │ continuation, FIN=0
 *                                  └─────┘   (control frames may come in between)
 */

/** The connection's state name. */
export type WebSocketState = 'open' | 'closing' | 'closed';

/** Events of {@link WebSocketConnection.receive}. */
export type WsEvent =
  | { readonly type: 'text'; readonly data: string }
  | { readonly type: 'binary'; readonly data: Uint8Array }
  | { readonly type: 'ping'; readonly data: Uint8Array }
  | { readonly type: 'pong'; readonly data: Uint8Array }
  /** No `code`: the peer's close had no status (1005, RFC 6455 §7.1.5). */
  | { readonly type: 'close'; readonly code?: number; readonly reason?: string }
  /** One frame of a fragmented message, only with `deliverFragments` (payload inflated and validated). */
  | { readonly type: 'fragment'; readonly messageType: 'text' | 'binary'; readonly fin: boolean; readonly data: Uint8Array }
  | { readonly type: 'error'; readonly error: GunError };

/** Extensions negotiated in the handshake. */
export interface NegotiatedExtensions {
  /** permessage-deflate: the parameters from `parseExtensionResponse` and the caller's zlib glue. */
  readonly permessageDeflate?: { readonly params: DeflateParams; readonly codec: PerMessageDeflate };
}

/** Options of {@link WebSocketConnection}. */
export interface WebSocketConnectionOptions {
  /** `client` masks what it sends and rejects masked frames; `server` the reverse (RFC 6455 §5.1). */
  readonly role: 'client' | 'server';
  /** Returns a fresh 4-octet masking key per frame (RFC 6455 §5.3); required for clients. */
  readonly maskKey?: () => Uint8Array;
  readonly extensions?: NegotiatedExtensions;
  /** Largest frame payload in octets; default 64 MiB. Larger → close 1009. */
  readonly maxFrameSize?: number;
  /** Largest message in octets, after inflation; default 64 MiB. Larger → close 1009. */
  readonly maxMessageSize?: number;
  /** Deliver fragmented messages frame by frame (`fragment` events) instead of whole. */
  readonly deliverFragments?: boolean;
}

/**
 * Default message limit: 64 MiB is far above what chat, RPC and streaming APIs send, while
 * keeping one peer from making us buffer without bound (Gun has no limit; ws uses 100 MiB).
 */
export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
/** Default frame limit: the message limit, since servers usually send a message as one frame. */
export const DEFAULT_MAX_FRAME_SIZE = DEFAULT_MAX_MESSAGE_SIZE;

type MessageState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'assembling'; readonly messageType: 'text' | 'binary'; readonly encoding: 'identity' | 'deflate'; size: number; readonly parts: Uint8Array[] };

const IDLE: MessageState = { kind: 'idle' };
// ignoreBOM keeps a leading U+FEFF, which is text here, not a byte order mark.
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

function checkLimit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw badArgument(`${name} must be a non-negative integer of octets`);
  return value;
}

/**
 * A Websocket connection after the handshake (RFC 6455 §5-§7, RFC 7692 §6-§7): frames in,
 * events out; frames to send in, bytes out. Clients mask every frame with the injected key;
 * messages are sent unfragmented; pings are answered with pongs; a received close is answered
 * by echoing its status code (RFC 6455 §5.5.1; Gun answers 1000). Peer violations end the batch
 * with an `error` event whose `wsCloseCode` (1002, 1007, 1009) is also the close frame queued.
 * Source: Gun's gun_ws and cowlib's cow_ws.
 */
export class WebSocketConnection implements SansIoMachine<WsEvent> {
  private current: WebSocketState = 'open';
  private message: MessageState = IDLE;
  private readonly queue = new ByteQueue();
  private outbox: Uint8Array[] = [];
  private readonly validator = new Utf8Validator();
  private readonly role: 'client' | 'server';
  private readonly maskKey: (() => Uint8Array) | undefined;
  private readonly deflate: { readonly params: DeflateParams; readonly codec: PerMessageDeflate } | undefined;
  private readonly maxFrameSize: number;
  private readonly maxMessageSize: number;
  private readonly deliverFragments: boolean;

  /** Throws `WS_ERR_BAD_ARGUMENT` for a client without `maskKey` or a bad limit. */
  constructor(options: WebSocketConnectionOptions) {
    if (options.role !== 'client' && options.role !== 'server') throw badArgument("role must be 'client' or 'server'");
    if (options.role === 'client' && options.maskKey === undefined) throw badArgument('A client masks every frame: maskKey is required (RFC 6455 §5.3)');
    this.role = options.role;
    this.maskKey = options.maskKey;
    this.deflate = options.extensions?.permessageDeflate;
    this.maxMessageSize = checkLimit(options.maxMessageSize, DEFAULT_MAX_MESSAGE_SIZE, 'maxMessageSize');
    this.maxFrameSize = checkLimit(options.maxFrameSize, DEFAULT_MAX_FRAME_SIZE, 'maxFrameSize');
    this.deliverFragments = options.deliverFragments === true;
  }

  /** `open`, `closing` (our close sent) or `closed`. */
  get state(): WebSocketState {
    return this.current;
  }

  /** Feeds bytes from the peer; returns the events of every frame they complete. */
  receive(chunk: Uint8Array): WsEvent[] {
    if (this.isClosed()) return [];
    this.queue.push(chunk);
    const events: WsEvent[] = [];
    while (!this.isClosed()) {
      const parsed = parseFrameHeader(this.queue);
      if (parsed.kind === 'more') break;
      if (parsed.kind === 'error') return this.fail(events, parsed.error);
      const header = parsed.value;
      const violation = checkFrameHeader(header, this.frameContext());
      if (violation !== null) return this.fail(events, violation);
      if (this.queue.length < header.headerLength + header.length) break;
      this.queue.skip(header.headerLength);
      const payload = this.readPayload(header);
      const error = isControl(header.opcode) ? this.onControl(header, payload, events) : this.onData(header, payload, events);
      if (error !== null) return this.fail(events, error);
    }
    return events;
  }

  /** The peer closed the stream: without a close handshake that is close 1006 (RFC 6455 §7.1.5). */
  receiveEof(): WsEvent[] {
    if (this.current === 'closed') return [];
    this.current = 'closed';
    const error = wsError(WsErrors.CLOSED_ABNORMALLY, 'The connection closed without a close frame (RFC 6455 §7.1.5: 1006)', WsCloseCodes.ABNORMAL);
    return [{ type: 'error', error }];
  }

  /**
   * Queues one frame; false (nothing queued) once our close was sent or the connection closed
   * (RFC 6455 §5.5.1). Throws `WS_ERR_BAD_ARGUMENT` for a control payload over 125 octets, a
   * close code that must not be sent (1005, 1006, 1015, ...) or a bad masking key.
   */
  send(frame: WsFrame): boolean {
    if (this.current !== 'open') return false;
    switch (frame.type) {
      case 'text':
        this.sendData(Opcode.TEXT, this.deflate === undefined ? encodeText(frame.data) : utf8Encode(frame.data));
        return true;
      case 'binary':
        this.sendData(Opcode.BINARY, frame.data);
        return true;
      case 'ping':
      case 'pong':
        this.sendControl(frame.type === 'ping' ? Opcode.PING : Opcode.PONG, frame.data ?? EMPTY_BYTES);
        return true;
      case 'close':
        this.sendControl(Opcode.CLOSE, encodeClosePayload(frame));
        this.current = 'closing';
        return true;
      default:
        return assertNever(frame, 'frame type');
    }
  }

  takeOutput(): Uint8Array[] {
    const out = this.outbox;
    this.outbox = [];
    return out;
  }

  /** Bytes received after the peer's close frame (nothing follows a Websocket). */
  takeRemainder(): Uint8Array {
    return this.current === 'closed' ? this.queue.takeAll() : EMPTY_BYTES;
  }

  private isClosed(): boolean {
    return this.current === 'closed';
  }

  /** The payload, unmasked into a copy when masked (RFC 6455 §5.3), else a view of the input. */
  private readPayload(header: FrameHeader): Uint8Array {
    const view = this.queue.take(header.length);
    if (header.maskKey === null) return view;
    const payload = view.slice();
    applyMask(payload, header.maskKey);
    return payload;
  }

  private frameContext() {
    const m = this.message;
    return {
      role: this.role,
      deflate: this.deflate !== undefined,
      message: m.kind === 'idle' ? ('none' as const) : m.encoding,
      messageSize: m.kind === 'idle' ? 0 : m.size,
      maxFrameSize: this.maxFrameSize,
      maxMessageSize: this.maxMessageSize,
    };
  }

  /** Fails the connection (RFC 6455 §7.1.7): a close with the error's code, then nothing more. */
  private fail(events: WsEvent[], error: GunError): WsEvent[] {
    if (this.current === 'open' && error.wsCloseCode !== undefined) {
      this.writeFrame(Opcode.CLOSE, encodeClosePayload({ code: error.wsCloseCode }), 0);
    }
    this.current = 'closed';
    this.message = IDLE;
    this.queue.clear();
    events.push({ type: 'error', error });
    return events;
  }

  private onControl(header: FrameHeader, payload: Uint8Array, events: WsEvent[]): GunError | null {
    switch (header.opcode) {
      case Opcode.PING:
        if (this.current === 'open') this.writeFrame(Opcode.PONG, payload, 0);
        events.push({ type: 'ping', data: payload });
        return null;
      case Opcode.PONG:
        events.push({ type: 'pong', data: payload });
        return null;
      default: {
        const info = parseClosePayload(payload);
        if (info instanceof Error) return info;
        // Echo the status code (RFC 6455 §5.5.1); a close without one is answered by an empty close.
        if (this.current === 'open') this.writeFrame(Opcode.CLOSE, encodeClosePayload(info.code === undefined ? {} : { code: info.code }), 0);
        this.current = 'closed';
        events.push({ type: 'close', ...info });
        return null;
      }
    }
  }

  private onData(header: FrameHeader, raw: Uint8Array, events: WsEvent[]): GunError | null {
    const m: MessageState = this.message.kind === 'assembling' ? this.message : {
      kind: 'assembling',
      messageType: header.opcode === Opcode.TEXT ? 'text' : 'binary',
      encoding: (header.rsv & 0b100) !== 0 ? 'deflate' : 'identity',
      size: 0,
      parts: [],
    };
    const data = m.encoding === 'deflate' ? this.inflate(raw, header.fin, this.maxMessageSize - m.size) : raw;
    if (!(data instanceof Uint8Array)) return data;
    m.size += data.length;
    if (m.size > this.maxMessageSize) {
      return wsError(WsErrors.TOO_LARGE, `Message exceeds maxMessageSize ${this.maxMessageSize} (RFC 6455 §7.4.1: 1009)`, WsCloseCodes.TOO_BIG);
    }
    if (m.messageType === 'text' && !(this.validator.push(data) && (!header.fin || this.validator.end()))) {
      this.validator.reset();
      return wsError(WsErrors.INVALID_UTF8, 'Text messages MUST be valid UTF-8 (RFC 6455 §8.1: 1007)', WsCloseCodes.INVALID_PAYLOAD);
    }
    const whole = header.fin && this.message.kind === 'idle';
    if (this.deliverFragments && !whole) events.push({ type: 'fragment', messageType: m.messageType, fin: header.fin, data });
    else m.parts.push(data);
    if (!header.fin) {
      this.message = m;
      return null;
    }
    this.message = IDLE;
    if (!this.deliverFragments || whole) events.push(messageEvent(m.messageType, concatBytes(m.parts)));
    return null;
  }

  /** Inflates one frame's payload; the tail goes back on the last frame (RFC 7692 §7.2.2). */
  private inflate(raw: Uint8Array, fin: boolean, budget: number): Uint8Array | GunError {
    const codec = this.deflate!.codec;
    const first = codec.decompress(raw, false, budget);
    if (typeof first === 'string' || !fin) return first instanceof Uint8Array ? first : inflateError(first);
    const last = codec.decompress(DEFLATE_TAIL, true, budget - first.length);
    if (typeof last === 'string') return inflateError(last);
    if (this.peerNoContextTakeover()) codec.resetDecompressor();
    return first.length === 0 ? last : concatBytes([first, last]);
  }

  private peerNoContextTakeover(): boolean {
    const p = this.deflate!.params;
    return this.role === 'client' ? p.serverNoContextTakeover : p.clientNoContextTakeover;
  }

  private ownNoContextTakeover(): boolean {
    const p = this.deflate!.params;
    return this.role === 'client' ? p.clientNoContextTakeover : p.serverNoContextTakeover;
  }

  /** A whole message, compressed when deflate was negotiated (RFC 7692 §7.2.1). */
  private sendData(opcode: number, payload: Uint8Array): void {
    if (this.deflate === undefined) {
      this.writeFrame(opcode, payload, 0);
      return;
    }
    const compressed = stripTail(this.deflate.codec.compress(payload, true));
    if (this.ownNoContextTakeover()) this.deflate.codec.resetCompressor();
    this.writeFrame(opcode, compressed, 0b100);
  }

  private sendControl(opcode: number, payload: Uint8Array): void {
    if (payload.length > MAX_CONTROL_PAYLOAD) throw badArgument('Control frames carry at most 125 octets (RFC 6455 §5.5)');
    this.writeFrame(opcode, payload, 0);
  }

  private writeFrame(opcode: number, payload: Uint8Array, rsv: number): void {
    if (this.role === 'server') {
      this.outbox.push(encodeFrame({ opcode, payload, rsv }));
      return;
    }
    const key = this.maskKey!();
    if (!(key instanceof Uint8Array) || key.length !== 4) throw badArgument('maskKey must return 4 octets (RFC 6455 §5.3)');
    this.outbox.push(encodeFrame({ opcode, payload, rsv, maskKey: key }));
  }
}

/**
 * Short texts are encoded into one reused array (the frame copies them out at once) rather than
 * a new one per message; at most 3 octets per UTF-16 unit, so `encodeInto` never truncates.
 */
const SCRATCH = new Uint8Array(3 * 1024);
const textEncoder = new TextEncoder();

function encodeText(text: string): Uint8Array {
  if (text.length * 3 > SCRATCH.length) return utf8Encode(text);
  return SCRATCH.subarray(0, textEncoder.encodeInto(text, SCRATCH).written);
}

function messageEvent(type: 'text' | 'binary', data: Uint8Array): WsEvent {
  return type === 'text' ? { type, data: textDecoder.decode(data) } : { type, data };
}

function inflateError(kind: 'tooLarge' | 'invalid'): GunError {
  return kind === 'tooLarge'
    ? wsError(WsErrors.TOO_LARGE, 'The inflated message exceeds maxMessageSize (RFC 7692 §8.1, RFC 6455 §7.4.1: 1009)', WsCloseCodes.TOO_BIG)
    : wsError(WsErrors.INFLATE_FAILED, 'The compressed payload is not valid DEFLATE data (RFC 7692 §7.2.2)', WsCloseCodes.INVALID_PAYLOAD);
}

/** Removes the 00 00 FF FF a sync flush ends with (RFC 7692 §7.2.1). */
function stripTail(data: Uint8Array): Uint8Array {
  const n = data.length;
  const hasTail = n >= 4 && data[n - 4] === 0 && data[n - 3] === 0 && data[n - 2] === 0xff && data[n - 1] === 0xff;
  return hasTail ? data.subarray(0, n - 4) : data;
}
