import { assertNever, concatBytes, GunError, localError } from '@gunhttp/core';
import type { HeaderList, StreamRef, WsFrame } from '@gunhttp/core';
import { WebSocketConnection, WsCloseCodes } from '@gunhttp/websocket';
import type { DeflateParams, PerMessageDeflate, WsEvent } from '@gunhttp/websocket';
import type { GunCommand, WsSendCommand } from '../commands.js';
import { TunnelErrors } from '../errors.js';
import { ALL_EVENTS, emptyOutput, streamError } from '../layer.js';
import type { EventObserver, LayerContext, Layer, LayerOutput, LayerStreamInfo } from '../layer.js';
import { flowSpent } from './message-flow.js';

/*
 * The layer follows its codec's state (RFC 6455 §7; Gun's gun_ws):
 *
 *          wsSend close, shutdown (close 1001)               the server's close
 *   open ──────────────────────────────────────▶ closing ─────────────────────────▶ closed
 *     │      → `closing` directive (closingTimeout)            → `close` normal
 *     │
 *     │  the server's close (our close queued)  → `close` normal
 *     │  a peer violation (close 1002/1007/1009) → `error` message, `close` with the error
 *     │  EOF                                     → `close` closed
 *     └───────────────────────────────────────────────────────────────────────────▶ closed
 */

/** A frame as a subprotocol handler sees it: whole messages and control frames, or one fragment. */
export type WsHandlerFrame =
  | WsFrame
  /** One frame of a fragmented message (Gun's `{fragment, fin | nofin, Type, Payload}`). */
  | { readonly type: 'fragment'; readonly messageType: 'text' | 'binary'; readonly fin: boolean; readonly data: Uint8Array };

/** What a handler is given at init: the user's `wsOpts` with `silencePings` resolved. */
export type WsHandlerOptions = Readonly<Record<string, unknown>> & { readonly silencePings: boolean };

/**
 * What a handler returns per frame: how many messages it delivered (the flow decrement, Gun
 * §5.9), its next state, and the frames to deliver to the stream's replyTo as `ws` messages.
 */
export interface WsHandlerResult<S> {
  readonly flow: number;
  readonly state: S;
  readonly deliver?: readonly WsFrame[];
}

/**
 * A Websocket subprotocol handler (Gun's `gun_ws_protocol` behaviour): `init` when the upgrade
 * succeeds (with the 101's headers), `handle` for every received frame, in order. Fragments are
 * passed as they arrive; pings and pongs always (the automatic pong is sent regardless).
 */
export interface WsProtocolHandler<S = unknown> {
  init(replyTo: unknown, streamRef: StreamRef, headers: HeaderList, opts: WsHandlerOptions): S;
  handle(frame: WsHandlerFrame, state: S): WsHandlerResult<S>;
}

interface GunWsState {
  readonly silencePings: boolean;
  readonly parts: Uint8Array[];
}

// ignoreBOM keeps a leading U+FEFF: it is text here. The codec validated the UTF-8 already.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Gun's default handler (`gun_ws_h`): reassembles fragments into one `ws` message per message
 * (flow 1; 0 for the fragments before the last), delivers close frames, and pings and pongs only
 * when `silencePings` is false (flow 0 when silenced).
 */
export const gunWsHandler: WsProtocolHandler<GunWsState> = {
  init(_replyTo, _streamRef, _headers, opts) {
    return { silencePings: opts.silencePings, parts: [] };
  },
  handle(frame, state) {
    switch (frame.type) {
      case 'fragment': {
        state.parts.push(frame.data);
        if (!frame.fin) return { flow: 0, state };
        const data = concatBytes(state.parts.splice(0));
        return { flow: 1, state, deliver: [frame.messageType === 'text' ? { type: 'text', data: utf8.decode(data) } : { type: 'binary', data }] };
      }
      case 'ping':
      case 'pong':
        return state.silencePings ? { flow: 0, state } : { flow: 1, state, deliver: [frame] };
      case 'text':
      case 'binary':
      case 'close':
        return { flow: 1, state, deliver: [frame] };
      default:
        return assertNever(frame, 'Websocket frame');
    }
  },
};

/** Options of {@link WsLayer}. */
export interface WsLayerOptions extends Partial<LayerContext> {
  /** The upgrade request's ref: every `ws` message carries it. */
  readonly streamRef: StreamRef;
  readonly replyTo: unknown;
  /** A fresh 4-octet masking key per frame (RFC 6455 §5.3): injected randomness. */
  readonly maskKey: () => Uint8Array;
  /** permessage-deflate, when negotiated (see `validateUpgradeResponse`). */
  readonly deflate?: { readonly params: DeflateParams; readonly codec: PerMessageDeflate };
  /** Gun's `silence_pings`: received pings and pongs are not delivered. Default true. */
  readonly silencePings?: boolean;
  /** ms to wait for the server's close after ours (Gun's `closing_timeout`); default 15000. */
  readonly closingTimeout?: number;
  /** Largest frame payload in octets (the codec's limit, 64 MiB by default) → close 1009. */
  readonly maxFrameSize?: number;
  /** Largest message in octets after inflation (64 MiB by default) → close 1009. */
  readonly maxMessageSize?: number;
  /** Gun's `gun_ws_protocol` module for the selected subprotocol; {@link gunWsHandler} by default. */
  readonly protocolHandler?: WsProtocolHandler;
  /** The 101 (or 2xx) response headers, for the handler's `init`. */
  readonly headers?: HeaderList;
  /** The user's `wsOpts`, for the handler's `init` (custom handlers read `userOpts` there). */
  readonly wsOpts?: Readonly<Record<string, unknown>>;
  /** Gun's `flow`: messages the user accepts before reading should pause (Gun §5.9); off by default. */
  readonly flow?: number;
}

const DEFAULT_CLOSING_TIMEOUT = 15000;
const ONLY_WS = 'This connection only accepts Websocket frames.';

/**
 * The Websocket layer (Gun's gun_ws): one upgraded stream over a client
 * {@link WebSocketConnection}. Received messages go through the subprotocol handler and become
 * `ws` messages for the stream's replyTo; `wsSend` frames are masked and written; pings are
 * answered; a received close is answered and closes the connection (`down` ws, Gun §5.10); our
 * close waits up to `closingTimeout` for the server's. HTTP operations are refused with a
 * connection-wide `TUNNEL_ERR_BAD_STATE`. Events: `wsSendFrameStart`/`wsSendFrameEnd` per frame
 * sent (automatic pongs and close replies included); `wsRecvFrameStart`/`Header`/`End` per frame
 * or message received (see `receivedEvents`).
 */
export class WsLayer implements Layer {
  readonly protocol = 'ws' as const;
  readonly idle = false;
  private readonly codec: WebSocketConnection;
  private readonly streamRef: StreamRef;
  private readonly replyTo: unknown;
  private readonly conn: unknown;
  private readonly observer: EventObserver;
  private readonly closingTimeout: number;
  private readonly extensions: { readonly permessageDeflate?: DeflateParams };
  private readonly handler: WsProtocolHandler;
  private handlerState: unknown;
  private flowLeft: number | undefined;

  /** Throws `WS_ERR_BAD_ARGUMENT` for a bad limit (caller misuse, from the codec). */
  constructor(options: WsLayerOptions) {
    const deflate = options.deflate;
    this.codec = new WebSocketConnection({
      role: 'client',
      maskKey: options.maskKey,
      deliverFragments: true,
      ...(deflate === undefined ? {} : { extensions: { permessageDeflate: deflate } }),
      ...(options.maxFrameSize === undefined ? {} : { maxFrameSize: options.maxFrameSize }),
      ...(options.maxMessageSize === undefined ? {} : { maxMessageSize: options.maxMessageSize }),
    });
    this.streamRef = options.streamRef;
    this.replyTo = options.replyTo;
    this.conn = options.conn;
    this.observer = options.observer ?? ALL_EVENTS;
    this.closingTimeout = options.closingTimeout ?? DEFAULT_CLOSING_TIMEOUT;
    this.extensions = deflate === undefined ? {} : { permessageDeflate: deflate.params };
    this.flowLeft = options.flow;
    this.handler = options.protocolHandler ?? gunWsHandler;
    const opts = Object.assign({}, options.wsOpts, { silencePings: options.silencePings ?? true });
    this.handlerState = this.handler.init(this.replyTo, this.streamRef, options.headers ?? [], opts);
  }

  /** The codec's state: `open`, `closing` (our close sent) or `closed`. */
  get state(): WebSocketConnection['state'] {
    return this.codec.state;
  }

  /** Messages left before reading should pause (Gun §5.9), or `undefined` without flow control. */
  get flow(): number | undefined {
    return this.flowLeft;
  }

  /** Whether the messages delivered used up the flow: the connection stops reading (Gun §5.9). */
  get readPaused(): boolean {
    return flowSpent(this.flowLeft);
  }

  /** The Websocket stream (Gun lists it among the killed streams of a `down`). */
  openStreams(): StreamRef[] {
    return [this.streamRef];
  }

  streamInfo(ref: StreamRef): LayerStreamInfo | undefined {
    return ref === this.streamRef ? { ref, replyTo: this.replyTo, state: 'running' } : undefined;
  }

  receive(chunk: Uint8Array): LayerOutput {
    const out = emptyOutput();
    const wasOpen = this.codec.state === 'open';
    for (const e of this.codec.receive(chunk)) this.onEvent(e, wasOpen, out);
    this.takeWrites(out);
    return out;
  }

  /** The server closed the stream without finishing the close handshake: `down` with `closed`. */
  receiveEof(): LayerOutput {
    const out = emptyOutput();
    const reason = this.codec.state === 'closed' ? 'normal' : 'closed';
    this.codec.receiveEof(); // 1006 (RFC 6455 §7.1.5) is not reported: Gun's reason is `closed`.
    out.directives.push({ type: 'close', reason });
    return out;
  }

  command(cmd: GunCommand): LayerOutput {
    switch (cmd.type) {
      case 'wsSend':
        return this.wsSend(cmd);
      case 'keepalive':
        return this.sendOwn({ type: 'ping' });
      case 'shutdown':
        return this.shutdown();
      case 'updateFlow':
        if (cmd.streamRef === this.streamRef && this.flowLeft !== undefined) this.flowLeft += cmd.increment;
        return emptyOutput();
      case 'request':
      case 'data':
      case 'cancel':
      case 'ping':
      case 'wsUpgrade':
      case 'connect':
        return this.badState(cmd.replyTo);
      default:
        return assertNever(cmd, 'command');
    }
  }

  /** Frames in order; the first close ends the list (later frames dropped, Gun) and starts closing. */
  private wsSend(cmd: WsSendCommand): LayerOutput {
    const out = emptyOutput();
    if (cmd.streamRef !== this.streamRef) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, localError(TunnelErrors.STREAM_NOT_FOUND, 'The stream cannot be found.')));
      return out;
    }
    for (const frame of cmd.frames) {
      if (this.codec.state !== 'open') break;
      const error = this.send(frame, cmd.replyTo, out);
      if (error !== undefined) {
        out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, error));
        break;
      }
      if (frame.type === 'close') out.directives.push({ type: 'closing', timeout: this.closingTimeout });
    }
    return out;
  }

  /** Gun §5.8: close 1001, then wait for the server's close. */
  private shutdown(): LayerOutput {
    switch (this.codec.state) {
      case 'open': {
        const out = this.sendOwn({ type: 'close', code: WsCloseCodes.GOING_AWAY });
        out.directives.push({ type: 'closing', timeout: this.closingTimeout });
        return out;
      }
      case 'closing':
        return emptyOutput();
      case 'closed': {
        const out = emptyOutput();
        out.directives.push({ type: 'close', reason: 'normal' });
        return out;
      }
      default:
        return assertNever(this.codec.state, 'Websocket state');
    }
  }

  /** A frame of the layer's own (keepalive ping, shutdown close); nothing once closing. */
  private sendOwn(frame: WsFrame): LayerOutput {
    const out = emptyOutput();
    if (this.codec.state === 'open') this.send(frame, this.replyTo, out);
    return out;
  }

  /** Queues one frame; a caller misuse (bad close code, control payload > 125) is returned. */
  private send(frame: WsFrame, replyTo: unknown, out: LayerOutput): GunError | undefined {
    try {
      this.codec.send(frame);
    } catch (error) {
      return error instanceof GunError ? error : localError(TunnelErrors.BAD_STATE, String(error), error);
    }
    this.takeWrites(out);
    this.sentEvents(frame, replyTo, out);
    return undefined;
  }

  private onEvent(e: WsEvent, wasOpen: boolean, out: LayerOutput): void {
    if (e.type !== 'error') this.receivedEvents(e, out);
    switch (e.type) {
      case 'text':
      case 'binary':
      case 'fragment':
        this.toHandler(e, out);
        return;
      case 'ping':
      case 'pong': {
        const empty = e.data.length === 0;
        this.toHandler(empty ? { type: e.type } : { type: e.type, data: e.data }, out);
        // The codec answered the ping while open (RFC 6455 §5.5.2).
        if (e.type === 'ping' && wasOpen) this.sentEvents(empty ? { type: 'pong' } : { type: 'pong', data: e.data }, this.replyTo, out);
        return;
      }
      case 'close':
        this.toHandler(e, out);
        if (wasOpen) this.sentEvents(e.code === undefined ? { type: 'close' } : { type: 'close', code: e.code }, this.replyTo, out);
        out.directives.push({ type: 'close', reason: 'normal' });
        return;
      case 'error':
        // The codec queued the close with the error's code (RFC 6455 §7.1.7) while open.
        if (wasOpen && e.error.wsCloseCode !== undefined) this.sentEvents({ type: 'close', code: e.error.wsCloseCode }, this.replyTo, out);
        out.deliveries.push({ replyTo: this.replyTo, message: { type: 'error', conn: this.conn, streamRef: this.streamRef, reason: e.error } });
        out.directives.push({ type: 'close', reason: e.error });
        return;
      default:
        assertNever(e, 'Websocket event');
    }
  }

  /**
   * Gun's `ws_recv_frame_start`, `_header` and `_end` for a frame the codec delivered. The codec
   * hands over whole messages (or fragments with `deliverFragments`), so a message sent in
   * several frames is reported once; `len` is the payload length after decompression.
   */
  private receivedEvents(e: Exclude<WsEvent, { type: 'error' }>, out: LayerOutput): void {
    const { observer } = this;
    const start = observer.observes('wsRecvFrameStart');
    const header = observer.observes('wsRecvFrameHeader');
    const end = observer.observes('wsRecvFrameEnd');
    if (!start && !header && !end) return;
    const base = { streamRef: this.streamRef, replyTo: this.replyTo, extensions: this.extensions };
    const fragState = e.type === 'fragment' ? (e.fin ? 'fin' : 'nofin') : undefined;
    const payload = e.type === 'text' ? new TextEncoder().encode(e.data) : 'data' in e && e.data instanceof Uint8Array ? e.data : new Uint8Array(0);
    const type = e.type === 'fragment' ? e.messageType : e.type;
    const closeCode = e.type === 'close' ? e.code : undefined;
    if (start) out.events.push({ name: 'wsRecvFrameStart', event: { streamRef: base.streamRef, replyTo: base.replyTo, extensions: base.extensions, fragState } });
    if (header) out.events.push({ name: 'wsRecvFrameHeader', event: { streamRef: base.streamRef, replyTo: base.replyTo, extensions: base.extensions, fragState, type, rsv: 0, len: payload.length, maskKey: undefined } });
    if (end) out.events.push({ name: 'wsRecvFrameEnd', event: { streamRef: base.streamRef, replyTo: base.replyTo, extensions: base.extensions, closeCode, payload } });
  }

  private toHandler(frame: WsHandlerFrame, out: LayerOutput): void {
    const result = this.handler.handle(frame, this.handlerState);
    this.handlerState = result.state;
    if (this.flowLeft !== undefined) this.flowLeft -= result.flow;
    for (const f of result.deliver ?? []) {
      out.deliveries.push({ replyTo: this.replyTo, message: { type: 'ws', conn: this.conn, streamRef: this.streamRef, frame: f } });
    }
  }

  private sentEvents(frame: WsFrame, replyTo: unknown, out: LayerOutput): void {
    const start = this.observer.observes('wsSendFrameStart');
    const end = this.observer.observes('wsSendFrameEnd');
    if (!start && !end) return;
    const event = { streamRef: this.streamRef, replyTo, extensions: this.extensions, frame };
    if (start) out.events.push({ name: 'wsSendFrameStart', event });
    if (end) out.events.push({ name: 'wsSendFrameEnd', event });
  }

  private takeWrites(out: LayerOutput): void {
    for (const bytes of this.codec.takeOutput()) out.writes.push(bytes);
  }

  private badState(replyTo: unknown): LayerOutput {
    const out = emptyOutput();
    out.deliveries.push({ replyTo, message: { type: 'error', conn: this.conn, streamRef: undefined, reason: localError(TunnelErrors.BAD_STATE, ONLY_WS) } });
    return out;
  }
}
