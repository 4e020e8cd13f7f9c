import { CoreErrors, localError } from '@gunhttp/core';
import type { Mailbox } from '@gunhttp/core';
import { Connection } from './connection.js';
import type { ConnMessage } from './connection.js';
import { resolveOptions } from './options.js';
import type { GunOptions } from './options.js';

/**
 * Opens a connection to `host:port` (Gun's `gun:open`). Returns at once: the connection is made
 * in the background, retried per `retry`, and announced by an `up` message (see `awaitUp`).
 * Transport is TLS by default on port 443, TCP otherwise.
 *
 * @throws GunError `GUN_ERR_INVALID_OPTION` naming the invalid option; `GUN_ERR_BAD_ARGUMENT`
 *   for a bad host or port.
 */
export function open(host: string, port: number, options?: GunOptions): Connection {
  if (typeof host !== 'string' || host === '') throw localError(CoreErrors.BAD_ARGUMENT, 'The host must be a non-empty string.');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw localError(CoreErrors.BAD_ARGUMENT, `The port must be an integer from 1 to 65535, not ${String(port)}.`);
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const opts = resolveOptions(options, port);
  const conn = new Connection({ kind: 'inet', host: unbracketed, port }, opts, options?.owner as Mailbox<ConnMessage> | undefined);
  conn.start(options ?? {});
  return conn;
}

/**
 * Opens a connection over a unix domain socket (Gun's `gun:open_unix`); the origin is
 * `localhost`, port 80 (443 with TLS), and requests carry `host: localhost`.
 *
 * @throws GunError as {@link open}.
 */
export function openUnix(path: string, options?: GunOptions): Connection {
  if (typeof path !== 'string' || path === '') throw localError(CoreErrors.BAD_ARGUMENT, 'The socket path must be a non-empty string.');
  const opts = resolveOptions(options, 0);
  const conn = new Connection({ kind: 'unix', path }, opts, options?.owner as Mailbox<ConnMessage> | undefined);
  conn.start(options ?? {});
  return conn;
}
