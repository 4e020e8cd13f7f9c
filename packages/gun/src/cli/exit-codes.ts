import { GunError } from '@gunhttp/core';
import { GunErrors } from '../errors.js';

/**
 * Exit codes of the `gun` command. Where curl has a code for the same failure, it is curl's, so
 * scripts written for curl keep working.
 */
export const ExitCodes = {
  OK: 0,
  /** Bad command-line usage. */
  USAGE: 2,
  /** The URL is malformed or its scheme unsupported. */
  BAD_URL: 3,
  /** A name behind a `socks5://` proxy could not be resolved here (curl's couldn't-resolve-proxy). */
  PROXY_DNS: 5,
  /** The host name could not be resolved. */
  DNS: 6,
  /** The connection was refused or could not be made. */
  CONNECT: 7,
  /** The server's reply broke the protocol. */
  PROTOCOL: 8,
  /** `--fail` and the status was 400 or above. */
  HTTP_ERROR: 22,
  /** Writing the output failed. */
  WRITE: 23,
  /** Reading the `--data-binary @FILE` input failed. */
  READ: 26,
  /** A timeout: `--connect-timeout`, `--max-time`, or the name lookup. */
  TIMEOUT: 28,
  /** The TLS handshake failed. */
  TLS: 35,
  /** The connection broke while receiving. */
  RECV: 56,
  /** The server's certificate could not be verified. */
  CERT: 60,
  /** A proxy refused the tunnel: a SOCKS5 failure reply (curl's CURLE_PROXY). */
  PROXY: 97,
} as const;

const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_REVOKED',
  'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE', 'HOSTNAME_MISMATCH',
]);

/** Codes of a reply that broke HTTP/1.1, HTTP/2 or Websocket (a bad 101 included). */
const PROTOCOL_PREFIXES = ['H1_ERR_', 'H2_ERR_', 'WS_ERR_', 'TUNNEL_ERR_WS_'] as const;

function rootCause(error: unknown): unknown {
  let e = error;
  while (e instanceof GunError && e.cause !== undefined && (e.code === GunErrors.DOWN || e.code === GunErrors.STREAM_ERROR || e.code === GunErrors.CONNECTION_ERROR)) e = e.cause;
  return e;
}

/** Maps a failure to the exit code the command ends with. */
export function exitCodeFor(error: unknown): number {
  const e = rootCause(error);
  if (!(e instanceof GunError)) return ExitCodes.RECV;
  switch (e.code) {
    case GunErrors.DOMAIN_LOOKUP:
      return ExitCodes.DNS;
    case GunErrors.CONNECT:
      return ExitCodes.CONNECT;
    case GunErrors.DOMAIN_LOOKUP_TIMEOUT:
    case GunErrors.CONNECT_TIMEOUT:
    case GunErrors.TLS_HANDSHAKE_TIMEOUT:
    case GunErrors.TIMEOUT:
      return ExitCodes.TIMEOUT;
    case GunErrors.TLS_HANDSHAKE: {
      const code = (e.cause as { code?: unknown } | undefined)?.code;
      return typeof code === 'string' && CERT_CODES.has(code) ? ExitCodes.CERT : ExitCodes.TLS;
    }
    default:
      if (e.code.startsWith('SOCKS_ERR_')) return ExitCodes.PROXY;
      return PROTOCOL_PREFIXES.some((p) => e.code.startsWith(p)) || e.code === 'TUNNEL_ERR_CONNECT_PROTOCOL_DISABLED' ? ExitCodes.PROTOCOL : ExitCodes.RECV;
  }
}
