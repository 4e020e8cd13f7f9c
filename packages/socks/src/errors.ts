import { GunError } from '@gunhttp/core';

/** Error codes of `@gunhttp/socks` (Gun's `{socks5, Reason}` errors, named). */
export const SocksErrors = {
  /** The server accepted none of the offered methods: METHOD X'FF' (RFC 1928 §3). */
  NO_ACCEPTABLE_METHODS: 'SOCKS_ERR_NO_ACCEPTABLE_METHODS',
  /** Username/password rejected: STATUS other than X'00' (RFC 1929 §2). */
  AUTH_FAILED: 'SOCKS_ERR_AUTH_FAILED',
  /** REP X'01' general SOCKS server failure (RFC 1928 §6). */
  GENERAL_FAILURE: 'SOCKS_ERR_GENERAL_FAILURE',
  /** REP X'02' connection not allowed by ruleset. */
  NOT_ALLOWED: 'SOCKS_ERR_NOT_ALLOWED',
  /** REP X'03' network unreachable. */
  NETWORK_UNREACHABLE: 'SOCKS_ERR_NETWORK_UNREACHABLE',
  /** REP X'04' host unreachable. */
  HOST_UNREACHABLE: 'SOCKS_ERR_HOST_UNREACHABLE',
  /** REP X'05' connection refused. */
  CONNECTION_REFUSED: 'SOCKS_ERR_CONNECTION_REFUSED',
  /** REP X'06' TTL expired. */
  TTL_EXPIRED: 'SOCKS_ERR_TTL_EXPIRED',
  /** REP X'07' command not supported. */
  COMMAND_NOT_SUPPORTED: 'SOCKS_ERR_COMMAND_NOT_SUPPORTED',
  /** REP X'08' address type not supported. */
  ADDRESS_TYPE_NOT_SUPPORTED: 'SOCKS_ERR_ADDRESS_TYPE_NOT_SUPPORTED',
  /** REP X'09'..X'FF', unassigned; `socksReply` holds the value. */
  UNKNOWN_REPLY: 'SOCKS_ERR_UNKNOWN_REPLY',
  /** The server broke the message formats (wrong version, unoffered method, bad address type). */
  PROTOCOL: 'SOCKS_ERR_PROTOCOL',
  /** The server closed the connection before the handshake finished. */
  CLOSED: 'SOCKS_ERR_CLOSED',
  /** Caller misuse: bad destination, credentials or auth list, start() twice. */
  BAD_ARGUMENT: 'SOCKS_ERR_BAD_ARGUMENT',
} as const;

/** REP values X'01'..X'08' and their codes (RFC 1928 §6). */
export const SOCKS_REPLY_ERRORS: Readonly<Record<number, string>> = Object.freeze({
  1: SocksErrors.GENERAL_FAILURE,
  2: SocksErrors.NOT_ALLOWED,
  3: SocksErrors.NETWORK_UNREACHABLE,
  4: SocksErrors.HOST_UNREACHABLE,
  5: SocksErrors.CONNECTION_REFUSED,
  6: SocksErrors.TTL_EXPIRED,
  7: SocksErrors.COMMAND_NOT_SUPPORTED,
  8: SocksErrors.ADDRESS_TYPE_NOT_SUPPORTED,
});

/** A server's violation or refusal. */
export function socksError(code: string, message: string, socksReply?: number): GunError {
  return new GunError(code, message, socksReply === undefined ? { origin: 'remote' } : { origin: 'remote', socksReply });
}

/** Caller misuse. */
export function badArgument(message: string): GunError {
  return new GunError(SocksErrors.BAD_ARGUMENT, message, { origin: 'local' });
}
