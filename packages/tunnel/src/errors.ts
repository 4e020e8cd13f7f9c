/**
 * Error codes of `@gunhttp/tunnel`: Gun's `badstate` and `closing` stream errors, and the
 * failures of protocol switches and tunnels.
 */
export const TunnelErrors = {
  /** `{badstate, "The stream cannot be found."}` */
  STREAM_NOT_FOUND: 'TUNNEL_ERR_STREAM_NOT_FOUND',
  /** `{badstate, "The stream has already been closed."}` */
  STREAM_CLOSED: 'TUNNEL_ERR_STREAM_CLOSED',
  /** `{badstate, "The stream is not a tunnel."}` */
  NOT_A_TUNNEL: 'TUNNEL_ERR_NOT_A_TUNNEL',
  /** A request while an HTTP/1.1 request body is still being streamed (Gun crashes there). */
  BODY_IN_PROGRESS: 'TUNNEL_ERR_BODY_IN_PROGRESS',
  /** The operation is not possible in the current protocol (raw, Websocket, ...). */
  BAD_STATE: 'TUNNEL_ERR_BAD_STATE',
  /** `closing`: the connection is closing and takes no new streams; pipelined ones are dropped. */
  CLOSING: 'TUNNEL_ERR_CLOSING',
  /**
   * `{badstate, "CONNECT can only be used with HTTP/1.1 when no other streams are active."}`: over
   * HTTP/1.1 a CONNECT takes the whole connection (RFC 9110 §9.3.6), so it waits for no stream.
   */
  CONNECT_BUSY: 'TUNNEL_ERR_CONNECT_BUSY',
  /**
   * A command or bytes reached a layer after its `tunnel` directive: the connection now leads to
   * the destination and the client should have replaced the layer.
   */
  TUNNELLED: 'TUNNEL_ERR_TUNNELLED',
  /** A CONNECT answered with a status other than 2xx. */
  UNEXPECTED_STATUS: 'TUNNEL_ERR_UNEXPECTED_STATUS',
  /** The protocol is not supported by this version of the stack. */
  UNSUPPORTED: 'TUNNEL_ERR_UNSUPPORTED',
  /** Ill-typed `wsUpgrade` options (caller misuse, delivered as a stream error). */
  BAD_ARGUMENT: 'TUNNEL_ERR_BAD_ARGUMENT',
  /** `wsSend` on a stream that is not an upgraded Websocket (Gun's `badstate`). */
  NOT_A_WEBSOCKET: 'TUNNEL_ERR_NOT_A_WEBSOCKET',
  /**
   * A Websocket over HTTP/2 before the server's SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3;
   * Gun sends it anyway and the server refuses it).
   */
  CONNECT_PROTOCOL_DISABLED: 'TUNNEL_ERR_CONNECT_PROTOCOL_DISABLED',
  /**
   * Gun's `{stream_error, _, 'Tunnel closed unexpectedly.'}`: the HTTP/2 stream of the tunnel a
   * stream ran through ended (RST_STREAM, the proxy's END_STREAM, a cancel) before the stream did.
   */
  TUNNEL_CLOSED: 'TUNNEL_ERR_TUNNEL_CLOSED',
  /** The server ended a Websocket's HTTP/2 stream without the close handshake (RFC 8441 §5, RFC 6455 §7.1.5). */
  WS_STREAM_ENDED: 'TUNNEL_ERR_WS_STREAM_ENDED',
} as const;
