import { CoreErrors, GunError, Mailbox, isToken, localError } from '@gunhttp/core';
import type { InvalidRequestHeaders, ReplyTo, StreamRef, WsFrame } from '@gunhttp/core';
import type { WsProtocolHandler } from '@gunhttp/tunnel';
import type { ConnMessage } from './connection.js';
import { GunErrors } from './errors.js';

/**
 * Websocket options of `wsUpgrade` (Gun's `ws_opts`, camelCased; Gun's `ws_upgrade/4`, whose
 * options replace the connection's rather than merge with them). Unknown keys are rejected.
 */
export interface WsOpts {
  /** Offer permessage-deflate (RFC 7692) as Gun does; default false. */
  readonly compress?: boolean;
  /**
   * Subprotocols offered in `sec-websocket-protocol`, in order, each with the handler used when
   * the server selects it (Gun's `[{Name, Module}]`); names are tokens.
   */
  readonly protocols?: ReadonlyArray<readonly [string, WsProtocolHandler]>;
  /** The handler when the server selects no subprotocol; Gun's `gun_ws_h` (`gunWsHandler`) by default. */
  readonly defaultProtocol?: WsProtocolHandler;
  /** Anything, for custom handlers: their `init` gets these options, `userOpts` included. */
  readonly userOpts?: unknown;
  /**
   * ms between PING frames sent once the connection is a Websocket (HTTP/1.1 upgrade only: over
   * HTTP/2 the connection's `http2Opts.keepalive` PINGs go on); `Infinity` (default) sends none.
   */
  readonly keepalive?: number;
  /** Received pings and pongs are not delivered as `ws` messages (pongs are still sent); default true. */
  readonly silencePings?: boolean;
  /** ms to wait for the server's close after ours; default 15000. */
  readonly closingTimeout?: number;
  /** Messages the user accepts before reading should pause (Gun §5.9); off by default. */
  readonly flow?: number;
  /** Where the `upgrade` and `ws` messages go: a mailbox or a function. Default: the owner's mailbox. */
  readonly replyTo?: ReplyTo<ConnMessage>;
  /** Largest frame payload accepted, in octets (64 MiB by default) → close 1009. */
  readonly maxFrameSize?: number;
  /** Largest message accepted after inflation, in octets (64 MiB by default) → close 1009. */
  readonly maxMessageSize?: number;
  /** `raise` (default) throws on CR/LF/NUL in a header value; `ignore` sends it verbatim. */
  readonly invalidRequestHeaders?: InvalidRequestHeaders;
  /**
   * The CONNECT tunnel the upgrade goes through (Gun's `tunnel`, only in `wsUpgrade`'s options,
   * taken out before the others are checked); the upgrade's ref is nested in it.
   */
  readonly tunnel?: StreamRef;
}

type Check = readonly [test: (v: unknown) => boolean, expected: string];

const isHandler = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as WsProtocolHandler).init === 'function' && typeof (v as WsProtocolHandler).handle === 'function';
const isProtocol = (p: unknown): boolean => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && isToken(p[0]) && isHandler(p[1]);
const isTimeout = (v: unknown): boolean => v === Infinity || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
const isPositiveTimeout = (v: unknown): boolean => v === Infinity || (typeof v === 'number' && Number.isInteger(v) && v > 0);
const isOctets = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

// `tunnel` is not among them: wsUpgrade takes it out first (Gun rejects it anywhere else).
const WS_CHECKS: Readonly<Record<Exclude<keyof WsOpts, 'tunnel'>, Check>> = {
  compress: [(v) => typeof v === 'boolean', 'a boolean'],
  protocols: [(v) => Array.isArray(v) && v.every(isProtocol), 'a list of [name, handler] pairs (name a token, handler with init and handle)'],
  defaultProtocol: [isHandler, 'a handler with init and handle'],
  userOpts: [() => true, 'anything'],
  keepalive: [isPositiveTimeout, 'a positive integer (ms) or Infinity'],
  silencePings: [(v) => typeof v === 'boolean', 'a boolean'],
  closingTimeout: [isTimeout, 'a non-negative integer (ms) or Infinity'],
  flow: [(v) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0, 'a positive integer'],
  replyTo: [(v) => v instanceof Mailbox || typeof v === 'function', 'a Mailbox or a function'],
  maxFrameSize: [isOctets, 'a positive integer (octets)'],
  maxMessageSize: [isOctets, 'a positive integer (octets)'],
  invalidRequestHeaders: [(v) => v === 'raise' || v === 'ignore', "'raise' or 'ignore'"],
};

function fail(path: string, expected: string): never {
  throw new GunError(GunErrors.INVALID_OPTION, `Invalid option ${path}: expected ${expected}.`, { origin: 'local' });
}

/**
 * Checks `wsUpgrade` options (Gun asserts them in the caller).
 *
 * @throws GunError `GUN_ERR_INVALID_OPTION` naming the first bad key (`wsOpts.compress`).
 */
export function validateWsOpts(value: unknown): WsOpts {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('wsOpts', 'an object');
  const opts = value as Record<string, unknown>;
  for (const key of Object.keys(opts)) {
    const check = (WS_CHECKS as Readonly<Record<string, Check | undefined>>)[key];
    if (check === undefined) fail(`wsOpts.${key}`, `one of ${Object.keys(WS_CHECKS).join(', ')} (unknown option)`);
    if (opts[key] !== undefined && !check[0](opts[key])) fail(`wsOpts.${key}`, check[1]);
  }
  return opts as WsOpts;
}

const FRAME_CHECKS: Readonly<Record<WsFrame['type'], (f: Record<string, unknown>) => boolean>> = {
  text: (f) => typeof f.data === 'string',
  binary: (f) => f.data instanceof Uint8Array,
  ping: (f) => f.data === undefined || f.data instanceof Uint8Array,
  pong: (f) => f.data === undefined || f.data instanceof Uint8Array,
  close: (f) => (f.code === undefined || Number.isInteger(f.code)) && (f.reason === undefined || typeof f.reason === 'string'),
};

/**
 * One frame or a list of frames, as `wsSend` takes them, checked for shape. Codes and sizes are
 * the codec's to check (a bad close code or a control payload over 125 octets is a stream error).
 *
 * @throws GunError `GUN_ERR_BAD_ARGUMENT` for a frame of an unknown type or with ill-typed fields.
 */
export function toFrames(input: WsFrame | readonly WsFrame[]): WsFrame[] {
  const frames: readonly unknown[] = Array.isArray(input) ? input : [input];
  for (const f of frames) {
    const type = typeof f === 'object' && f !== null ? (f as { type?: unknown }).type : undefined;
    const check = typeof type === 'string' ? (FRAME_CHECKS as Readonly<Record<string, ((f: Record<string, unknown>) => boolean) | undefined>>)[type] : undefined;
    if (check === undefined || !check(f as Record<string, unknown>)) {
      throw localError(CoreErrors.BAD_ARGUMENT, 'A Websocket frame is { type: text, data: string }, { type: binary, data: Uint8Array }, { type: ping | pong, data? }, or { type: close, code?, reason? }.');
    }
  }
  return frames as WsFrame[];
}
