import { GunError, StreamRef } from '@gunhttp/core';
import { Http1Layer, Http2Layer, RawLayer, SocksLayer } from '@gunhttp/tunnel';
import type { Layer, LayerContext, LayerOutput, LayerStack, SocksDestination } from '@gunhttp/tunnel';
import { GunErrors } from './errors.js';
import type { ConnectionProtocol, ResolvedOptions } from './options.js';
import { nodeWsPlatform } from './ws-platform.js';

/** What the connection knows that a session needs to make its layer. */
export interface SessionContext extends LayerContext {
  readonly scheme: 'http' | 'https';
  /** `host` / `:authority` when the request has none. */
  readonly authority: string;
  /** Where connection-level `notify` messages go (the owner's mailbox). */
  readonly owner: unknown;
  /**
   * The tunnel the session runs in, after a CONNECT or SOCKS hop: raw data goes to its stream ref
   * and replyTo. `streamRef` is `undefined` after a connection-level SOCKS hop.
   */
  readonly tunnel?: { readonly streamRef: StreamRef | undefined; readonly replyTo: unknown };
}

/** A check made once, `after` ms from the start; returns what to apply, if anything. */
export interface Deadline {
  readonly after: number;
  readonly check: () => LayerOutput | undefined;
}

/**
 * The protocol spoken at the connection level once the transport is up: its layer, the bytes to
 * write first (the HTTP/2 client preface), one-shot deadlines (the HTTP/2 preface and settings
 * timeouts) and the keepalive timer (a bare CRLF for HTTP/1.1, a PING for HTTP/2). The connection
 * owns the timers; the session says what they do.
 */
export interface Session {
  /** `ws` once an HTTP/1.1 upgrade made the connection a Websocket ({@link websocketSession}). */
  readonly protocol: ConnectionProtocol | 'ws';
  readonly layer: Layer;
  readonly opening: LayerOutput | undefined;
  readonly deadlines: readonly Deadline[];
  /** ms between keepalive ticks; `Infinity` for none. */
  readonly keepalive: number;
  /** One keepalive tick. */
  tick(): LayerOutput;
}

/** Makes the session for the protocol the transport settled on (Gun's protocol handler init). */
export function openSession(protocol: ConnectionProtocol, opts: ResolvedOptions, ctx: SessionContext): Session {
  switch (protocol) {
    case 'http2':
      return http2Session(opts, ctx);
    case 'http':
      return http1Session(opts, ctx);
    case 'socks':
      return socksSession(opts, ctx);
    case 'raw':
      return rawSession(ctx);
  }
}

const NO_TIMERS = { deadlines: [], keepalive: Infinity } as const;

/**
 * A SOCKS5 hop (Gun's gun_socks): the greeting is written at once; requests made meanwhile are
 * held by the layer; its `tunnel` directive makes the next hop. `tunnelUp` goes to the replyTo of
 * the tunnel the hop runs in (the owner at connection level), with no stream ref (Gun §5.13).
 */
function socksSession(opts: ResolvedOptions, ctx: SessionContext): Session {
  const layer = new SocksLayer({ destination: opts.socksOpts as SocksDestination, replyTo: ctx.tunnel?.replyTo ?? ctx.owner, conn: ctx.conn, observer: ctx.observer });
  return { protocol: 'socks', layer, opening: layer.start(), ...NO_TIMERS, tick: () => layer.command({ type: 'keepalive' }) };
}

/**
 * Raw bytes after a hop (Gun's gun_raw): data messages carry the tunnel's stream ref. After a
 * connection-level SOCKS hop, which has none, a new ref is made; `tunnelUp` announces it.
 */
function rawSession(ctx: SessionContext): Session {
  const layer = new RawLayer(ctx.tunnel?.streamRef ?? new StreamRef(), ctx.tunnel?.replyTo ?? ctx.owner, ctx.conn);
  return { protocol: 'raw', layer, opening: undefined, ...NO_TIMERS, tick: () => layer.command({ type: 'keepalive' }) };
}

function http1Session(opts: ResolvedOptions, ctx: SessionContext): Session {
  const { cookieIgnoreInformational: _ignored, contentHandlers: _handlers, ...http } = opts.httpOpts;
  const layer = new Http1Layer({ ...http, authority: ctx.authority, conn: ctx.conn, observer: ctx.observer, ws: nodeWsPlatform });
  return {
    protocol: 'http',
    layer,
    opening: undefined,
    deadlines: [],
    keepalive: http.keepalive ?? Infinity,
    tick: () => layer.command({ type: 'keepalive' }),
  };
}

/**
 * The connection after a Websocket upgrade over HTTP/1.1 (Gun §5.10): the HTTP keepalive stops
 * and a PING frame goes every `keepalive` ms (the upgrade's `wsOpts.keepalive`; `Infinity` for
 * none). `stack` now holds the WsLayer.
 */
export function websocketSession(stack: LayerStack, keepalive: number): Session {
  return { protocol: 'ws', layer: stack, opening: undefined, deadlines: [], keepalive, tick: () => stack.command({ type: 'keepalive' }) };
}

/**
 * HTTP/2 (Gun's gun_http2): the preface is written at once; the server's SETTINGS must come
 * within `prefaceTimeout` (else PROTOCOL_ERROR) and acknowledge ours within `settingsTimeout`
 * (else SETTINGS_TIMEOUT, RFC 9113 §6.5.3). Each keepalive tick sends a PING, unless
 * `keepaliveTolerance` PINGs are unanswered already: then GOAWAY NO_ERROR and `down` (Gun §5.4).
 */
function http2Session(opts: ResolvedOptions, ctx: SessionContext): Session {
  const o = opts.http2Opts;
  const layer = new Http2Layer({
    scheme: ctx.scheme,
    authority: ctx.authority,
    closingTimeout: o.closingTimeout,
    codec: o.codec,
    notifySettingsChanged: o.notifySettingsChanged,
    notifyGoAway: o.notifyGoAway,
    ...(o.flow === undefined ? {} : { flow: o.flow }),
    owner: ctx.owner,
    conn: ctx.conn,
    observer: ctx.observer,
    ws: nodeWsPlatform,
  });
  const deadlines: Deadline[] = [
    {
      after: o.prefaceTimeout,
      check: () => (layer.awaitingPreface ? layer.abort(timeoutError(GunErrors.PREFACE_TIMEOUT, `The server's preface (SETTINGS) did not arrive within ${o.prefaceTimeout} ms (RFC 9113 §3.4).`, 'PROTOCOL_ERROR')) : undefined),
    },
    {
      after: o.settingsTimeout,
      check: () => (layer.settingsAckPending ? layer.abort(timeoutError(GunErrors.SETTINGS_TIMEOUT, `The server did not acknowledge our SETTINGS within ${o.settingsTimeout} ms (RFC 9113 §6.5.3).`, 'SETTINGS_TIMEOUT')) : undefined),
    },
  ].filter((d) => Number.isFinite(d.after));
  const tolerance = o.keepaliveTolerance;
  return {
    protocol: 'http2',
    layer,
    opening: layer.start(),
    deadlines,
    keepalive: o.keepalive,
    tick: () => {
      if (tolerance !== undefined && layer.unackedKeepalives >= tolerance) {
        return layer.abort(timeoutError(GunErrors.KEEPALIVE_TIMEOUT, `${layer.unackedKeepalives} keepalive PINGs went unanswered (keepaliveTolerance ${tolerance}).`, 'NO_ERROR'));
      }
      return layer.command({ type: 'keepalive' });
    },
  };
}

function timeoutError(code: string, message: string, h2Code: string): GunError {
  return new GunError(code, message, { origin: 'remote', h2Code, scope: 'connection' });
}
