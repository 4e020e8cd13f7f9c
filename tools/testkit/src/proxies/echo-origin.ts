/**
 * A raw echo origin for the tunnel tests' `raw` and `rawtls` cases: every byte received is
 * written back, on {@link startRawOrigin}.
 */
import { startRawOrigin, type RawOrigin } from '../origins.js';

/** Options of {@link startRawEchoOrigin}. */
export interface RawEchoOriginOptions {
  /** TLS with the test PKI's `server` certificate (ALPN `http/1.1`). */
  readonly tls?: boolean;
}

/**
 * Starts a TCP (or TLS) origin on 127.0.0.1 that echoes every byte back on the same connection
 * and ends its side when the client ends. `received()` holds everything it was sent.
 */
export function startRawEchoOrigin(opts: RawEchoOriginOptions = {}): Promise<RawOrigin> {
  return startRawOrigin((socket) => socket.pipe(socket), { tls: opts.tls === true });
}
