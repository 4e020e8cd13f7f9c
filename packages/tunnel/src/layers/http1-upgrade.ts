/*
 * Protocol upgrades over HTTP/1.1 (RFC 9110 §7.8, §15.2.2; Gun §5.10, §5.16):
 *
 *   wsUpgrade ──GET + handshake fields──▶ awaiting 101 ──valid 101──▶ `upgrade` + switchProtocol ws
 *                                               └──────invalid 101──▶ stream error + close
 *   request with connection: upgrade ──101──▶ `upgrade` + switchProtocol raw
 *   either ──any other status──▶ a plain response (http1-layer.ts)
 *
 * Also the request events every HTTP/1.1 request reports.
 */
import { GunError, headerTokens, localError } from '@gunhttp/core';
import type { GunEvent, HeaderList, StreamRef } from '@gunhttp/core';
import type { Http1Options } from '@gunhttp/http1';
import type { RequestCommand, WsUpgradeCommand } from '../commands.js';
import { TunnelErrors } from '../errors.js';
import { streamError } from '../layer.js';
import type { EventObserver, LayerContext, LayerOutput } from '../layer.js';
import { completeWsUpgrade, prepareWsUpgrade } from './ws-upgrade.js';
import type { WsHandshake, WsPlatform } from './ws-upgrade.js';

/** The GET of a Websocket upgrade and the handshake to check its 101 against. */
export interface WsUpgradeRequest {
  readonly request: RequestCommand;
  readonly handshake: WsHandshake;
}

/**
 * Gun's ws_upgrade over HTTP/1.1 (RFC 6455 §4.1): a GET with the handshake fields before the
 * user's. Returns `TUNNEL_ERR_BAD_STATE` over HTTP/1.0 (Gun) and the errors of
 * `prepareWsUpgrade` for bad options.
 */
export function wsUpgradeRequest(cmd: WsUpgradeCommand, platform: WsPlatform, version: Http1Options['version']): WsUpgradeRequest | GunError {
  const handshake = version === 'HTTP/1.0'
    ? localError(TunnelErrors.BAD_STATE, 'Websocket cannot be used over an HTTP/1.0 connection (RFC 6455 §4.1).')
    : prepareWsUpgrade(cmd.opts, platform, true);
  if (handshake instanceof GunError) return handshake;
  const headers = [...handshake.headers, ...cmd.headers];
  const request: RequestCommand = {
    type: 'request', streamRef: cmd.streamRef, replyTo: cmd.replyTo, method: 'GET', path: cmd.path, headers, body: undefined, function: 'wsUpgrade',
  };
  return { request, handshake };
}

/** The stream a 101 answered, and the layer's context. */
export interface UpgradedStream extends LayerContext {
  readonly ref: StreamRef;
  readonly replyTo: unknown;
  /** What is left of the request's message-count flow (Gun §5.9), for a switch to raw. */
  readonly flow?: number;
}

/**
 * A 101 (checked by the codec: RFC 9110 §7.8): with a Websocket `handshake`, checked further
 * (accept, extensions, subprotocol, Gun §5.10) into an `upgrade` message and a `switchProtocol` to
 * `ws` carrying the WsLayer's options, or a stream error and `close` (Gun closes); without one,
 * an `upgrade` message and a `switchProtocol` to `raw` (Gun §5.16). `remainder`: the bytes after it.
 */
export function switchAfter101(
  s: UpgradedStream, handshake: WsHandshake | undefined, protocols: string[], headers: HeaderList, remainder: Uint8Array, out: LayerOutput,
): void {
  const { observer } = s;
  const base = { streamRef: s.ref, replyTo: s.replyTo };
  if (handshake === undefined) {
    out.deliveries.push({ replyTo: s.replyTo, message: { type: 'upgrade', conn: s.conn, streamRef: s.ref, protocols, headers } });
    if (observer.observes('protocolChanged')) out.events.push({ name: 'protocolChanged', event: { protocol: 'raw', streamRef: s.ref } });
    out.directives.push({ type: 'switchProtocol', protocol: 'raw', ...base, remainder, ...(s.flow === undefined ? {} : { flow: s.flow }) });
    return;
  }
  if (observer.observes('responseInform')) out.events.push({ name: 'responseInform', event: { streamRef: base.streamRef, replyTo: base.replyTo, status: 101, headers } });
  const done = completeWsUpgrade(handshake, headers, { streamRef: base.streamRef, replyTo: base.replyTo, conn: s.conn, observer });
  if (done.kind === 'error') {
    out.deliveries.push(streamError(s.conn, s.replyTo, s.ref, done.error));
    out.directives.push({ type: 'close', reason: done.error });
    return;
  }
  out.deliveries.push({ replyTo: s.replyTo, message: { type: 'upgrade', conn: s.conn, streamRef: s.ref, protocols: ['websocket'], headers } });
  if (observer.observes('protocolChanged')) out.events.push({ name: 'protocolChanged', event: { protocol: 'ws', streamRef: s.ref } });
  out.directives.push({ type: 'switchProtocol', protocol: 'ws', ...base, remainder, ws: done.layer });
}

/**
 * Gun's request_start and request_headers events (and request_end when the request is complete:
 * a full body, an upgrade, a CONNECT), those that `observer` reads, appended to `events`. Their
 * `headers` are the fields written, in the codec's order (RFC 9112 §3, §6): the framing field it
 * adds, `host` (the user's first, else
 * `authority`), then the user's fields without `host`, `transfer-encoding`, and `content-length`
 * unless a streamed body keeps the user's. `version` decides the framing of a streamed body
 * without content-length (chunked in HTTP/1.1, none in HTTP/1.0); unknown, no field is listed.
 * A CONNECT's events have no `path` (Gun).
 */
export function requestEvents(
  cmd: RequestCommand, authority: string, plain: boolean, version: Http1Options['version'] | undefined, observer: EventObserver, events: GunEvent[],
): void {
  const start = observer.observes('requestStart');
  const head = observer.observes('requestHeaders');
  if (start || head) {
    const { streamRef, replyTo, method } = cmd;
    const { host, headers } = sentFields(cmd, authority, plain, version);
    const started = cmd.function === 'connect'
      ? { streamRef, replyTo, function: cmd.function, method, authority: host, headers }
      : { streamRef, replyTo, function: cmd.function, method, authority: host, path: cmd.path, headers };
    if (start) events.push({ name: 'requestStart', event: started });
    if (head) events.push({ name: 'requestHeaders', event: started });
  }
  if ((cmd.body !== undefined || !plain) && observer.observes('requestEnd')) events.push({ name: 'requestEnd', event: { streamRef: cmd.streamRef, replyTo: cmd.replyTo } });
}

/** The request's fields as the HTTP/1.1 codec writes them, and its host (see {@link requestEvents}). */
function sentFields(cmd: RequestCommand, authority: string, plain: boolean, version: Http1Options['version'] | undefined): { host: string; headers: HeaderList } {
  let userLength = false;
  let userHost: string | undefined;
  for (const [name, value] of cmd.headers) {
    if (name === 'content-length') userLength = true;
    else if (name === 'host' && userHost === undefined) userHost = value;
  }
  const framing = framingField(cmd, plain, userLength, version);
  const keepUserLength = framing === undefined && plain && cmd.body === undefined && userLength;
  const host = userHost ?? authority;
  const headers: HeaderList = framing === undefined ? [['host', host]] : [framing, ['host', host]];
  for (const field of cmd.headers) {
    const name = field[0];
    if (name !== 'host' && name !== 'transfer-encoding' && (keepUserLength || name !== 'content-length')) headers.push(field);
  }
  return { host, headers };
}

/** The framing field the codec adds (RFC 9112 §6.1, §6.2): none for CONNECT or an upgrade GET. */
function framingField(cmd: RequestCommand, plain: boolean, userLength: boolean, version: Http1Options['version'] | undefined): [string, string] | undefined {
  if (!plain || cmd.method === 'CONNECT') return undefined;
  if (cmd.body !== undefined) return ['content-length', String(cmd.body.length)];
  if (userLength || version !== 'HTTP/1.1') return undefined;
  return ['transfer-encoding', 'chunked'];
}

/** Whether request headers ask for a protocol upgrade (`connection: upgrade` + `upgrade`). */
export function isUpgradeRequest(headers: HeaderList): boolean {
  return headerTokens(headers, 'connection').includes('upgrade') && headers.some(([n]) => n === 'upgrade');
}
