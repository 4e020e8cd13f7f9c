/**
 * Where a {@link GunError} comes from: `local` is caller misuse, `remote` a peer's violation,
 * `transport` the socket, DNS or TLS below the protocols.
 */
export type GunErrorOrigin = 'local' | 'remote' | 'transport';

/**
 * The wire consequence of an error, where the protocol has one: the HTTP/2 error code and its
 * scope (RFC 9113 §5.4), the Websocket close code (RFC 6455 §7.4) or the SOCKS5 reply (RFC 1928 §6).
 */
export interface GunErrorWire {
  readonly h2Code?: string;
  readonly scope?: 'connection' | 'stream';
  readonly wsCloseCode?: number;
  readonly socksReply?: number;
}

/** Options of the {@link GunError} constructor. */
export interface GunErrorOptions extends GunErrorWire {
  readonly origin?: GunErrorOrigin;
  readonly cause?: unknown;
}

/**
 * The one error class of gunhttp. `code` is stable (tests and users match on it, never on the
 * message); `message` states the rule and cites it; `origin` says whose fault it is.
 *
 * Codes are listed per package in its `errors.ts` (`CoreErrors`, `Http1Errors`, ...).
 */
export class GunError extends Error {
  /** Stable identifier, such as `H1_ERR_INVALID_CHUNK_SIZE`. */
  readonly code: string;
  /** `local` (caller misuse), `remote` (the peer) or `transport` (socket, DNS, TLS). */
  readonly origin: GunErrorOrigin;
  /** HTTP/2 error code name (`PROTOCOL_ERROR`, ...) when the error maps to one. */
  readonly h2Code: string | undefined;
  /** Whether an HTTP/2 error concerns one stream or the whole connection. */
  readonly scope: 'connection' | 'stream' | undefined;
  /** Websocket close code the error leads to. */
  readonly wsCloseCode: number | undefined;
  /** SOCKS5 reply field (REP) that caused the error. */
  readonly socksReply: number | undefined;

  constructor(code: string, message: string, options: GunErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GunError';
    this.code = code;
    this.origin = options.origin ?? 'remote';
    this.h2Code = options.h2Code;
    this.scope = options.scope;
    this.wsCloseCode = options.wsCloseCode;
    this.socksReply = options.socksReply;
  }
}

/** Error codes of `@gunhttp/core`. */
export const CoreErrors = {
  /** A header name is not a token (RFC 9110 §5.1). */
  INVALID_HEADER_NAME: 'GUN_ERR_INVALID_HEADER_NAME',
  /** A header value holds CR, LF or NUL (RFC 9110 §5.5): it would split the request. */
  INVALID_HEADER_VALUE: 'GUN_ERR_INVALID_REQUEST_HEADER',
  /** Nothing matched within the timeout of a mailbox receive or an await. */
  TIMEOUT: 'GUN_ERR_TIMEOUT',
  /** A receive was made on a closed mailbox. */
  MAILBOX_CLOSED: 'GUN_ERR_MAILBOX_CLOSED',
  /** A receive was abandoned through its AbortSignal. */
  ABORTED: 'GUN_ERR_ABORTED',
  /** A caller passed an argument of the wrong shape. */
  BAD_ARGUMENT: 'GUN_ERR_BAD_ARGUMENT',
} as const;

/** Builds a caller-misuse error (origin `local`). */
export function localError(code: string, message: string, cause?: unknown): GunError {
  return new GunError(code, message, cause === undefined ? { origin: 'local' } : { origin: 'local', cause });
}

/** Reports an impossible value at the end of an exhaustive `switch` (DESIGN §6). */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${String(value)}`);
}
