/**
 * Error codes of `@gunhttp/gun`. `await*` rejects with one of the four kinds Gun's `await`
 * returns (timeout, stream error, connection error, down); the others describe why a connection
 * attempt failed and become the `down`/termination reason.
 */
export const GunErrors = {
  /** `open()` was given an unknown or ill-typed option; the message names it. */
  INVALID_OPTION: 'GUN_ERR_INVALID_OPTION',
  /** `await`, `awaitBody` or `awaitUp`: nothing arrived in time (`{error, timeout}`). */
  TIMEOUT: 'GUN_ERR_TIMEOUT',
  /** `await*`: the stream got an error (`{error, {stream_error, Reason}}`); `cause` is the reason. */
  STREAM_ERROR: 'GUN_ERR_STREAM_ERROR',
  /** `await*`: the connection reported an error (`{error, {connection_error, Reason}}`). */
  CONNECTION_ERROR: 'GUN_ERR_CONNECTION_ERROR',
  /** `await*`: the connection went down or ended (`{error, {down, Reason}}`). */
  DOWN: 'GUN_ERR_DOWN',
  /** The host name could not be resolved. */
  DOMAIN_LOOKUP: 'GUN_ERR_DOMAIN_LOOKUP',
  /** Name resolution took longer than `domainLookupTimeout`. */
  DOMAIN_LOOKUP_TIMEOUT: 'GUN_ERR_DOMAIN_LOOKUP_TIMEOUT',
  /** The TCP (or unix socket) connection failed: refused, unreachable, ... (`cause` has the errno). */
  CONNECT: 'GUN_ERR_CONNECT',
  /** Connecting took longer than `connectTimeout`. */
  CONNECT_TIMEOUT: 'GUN_ERR_CONNECT_TIMEOUT',
  /** The TLS handshake failed: certificate verification, alert, protocol (`cause` has details). */
  TLS_HANDSHAKE: 'GUN_ERR_TLS_HANDSHAKE',
  /** The TLS handshake took longer than `tlsHandshakeTimeout`. */
  TLS_HANDSHAKE_TIMEOUT: 'GUN_ERR_TLS_HANDSHAKE_TIMEOUT',
  /** HTTP/2: the server's preface (its first SETTINGS) did not come within `prefaceTimeout` (GOAWAY PROTOCOL_ERROR). */
  PREFACE_TIMEOUT: 'GUN_ERR_PREFACE_TIMEOUT',
  /** HTTP/2: our SETTINGS were not acknowledged within `settingsTimeout` (GOAWAY SETTINGS_TIMEOUT). */
  SETTINGS_TIMEOUT: 'GUN_ERR_SETTINGS_TIMEOUT',
  /** HTTP/2: `keepaliveTolerance` keepalive PINGs went unanswered (GOAWAY NO_ERROR). */
  KEEPALIVE_TIMEOUT: 'GUN_ERR_KEEPALIVE_TIMEOUT',
  /** The socket failed after the connection was up (reset, write error). */
  SOCKET: 'GUN_ERR_SOCKET',
  /** `streamInfo` while the connection is not up (`{error, not_connected}`). */
  NOT_CONNECTED: 'GUN_ERR_NOT_CONNECTED',
  /** `await` on a stream whose replyTo is a function: there is no mailbox to read. */
  NO_MAILBOX: 'GUN_ERR_NO_MAILBOX',
  /** The operation is not allowed in the connection's state (after `close`, ...). */
  BAD_STATE: 'GUN_ERR_BAD_STATE',
  /**
   * A stream still open when `closingTimeout` expired after `shutdown()` or the owner's close
   * (Gun's `{closed, shutdown}` / `{closed, owner_down}`); no `down` follows to list it.
   */
  CLOSED: 'GUN_ERR_CLOSED',
  /** `setOwner` called by a mailbox that is not the current owner (Gun logs and ignores it; Q24). */
  NOT_OWNER: 'GUN_ERR_NOT_OWNER',
  /**
   * The termination reason when the owner's mailbox was closed with a failure reason (anything
   * but `'normal'` / `'shutdown'`): Gun's `{shutdown, {owner_down, Reason}}`; `cause` is the reason.
   */
  OWNER_DOWN: 'GUN_ERR_OWNER_DOWN',
  /**
   * A proxy sent bytes after its CONNECT 2xx or SOCKS success but before our TLS handshake to the
   * destination began: nothing may precede the client's ClientHello (RFC 8446 §4.1.2).
   */
  TUNNEL_EARLY_DATA: 'GUN_ERR_TUNNEL_EARLY_DATA',
} as const;
