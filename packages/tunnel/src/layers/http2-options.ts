import type { Http2ConnectionOptions } from '@gunhttp/http2';
import type { LayerContext } from '../layer.js';
import type { WsPlatform } from './ws-upgrade.js';

/** Options of `Http2Layer`. */
export interface Http2LayerOptions extends Partial<LayerContext> {
  /** `:scheme` of requests; pushes with another scheme are refused. */
  readonly scheme: 'http' | 'https';
  /** `:authority` when the request has no `host` field (host, with `:port` unless default). */
  readonly authority: string;
  /** ms to wait for streams in flight after our or the server's GOAWAY (Gun default 15000). */
  readonly closingTimeout?: number;
  /** Options of the codec (Gun's `http2_opts` machine keys, camelCased). */
  readonly codec?: Http2ConnectionOptions;
  /** Gun's `notify_settings_changed`: a `notify` message `settingsChanged` to `owner` on each server SETTINGS. */
  readonly notifySettingsChanged?: boolean;
  /** gunhttp: a `notify` message `goAway` to `owner` when the server sends GOAWAY (RFC 9113 §6.8). */
  readonly notifyGoAway?: boolean;
  /** The replyTo of connection-level `notify` messages (the connection's owner). */
  readonly owner?: unknown;
  /** Gun's `flow`: the default message-count flow of requests (a request's own `flow` wins); absent: unlimited. */
  readonly flow?: number;
  /** Randomness, SHA-1 and deflate for RFC 8441 Websockets; without it `wsUpgrade` is `TUNNEL_ERR_UNSUPPORTED`. */
  readonly ws?: WsPlatform;
}
