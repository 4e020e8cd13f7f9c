import { GunError, localError } from '@gunhttp/core';
import type { HeaderList, StreamRef } from '@gunhttp/core';
import { buildExtensionOffer, buildProtocolHeader, generateKey, GUN_DEFLATE_OFFER } from '@gunhttp/websocket';
import type { DeflateParams, PerMessageDeflate, Sha1 } from '@gunhttp/websocket';
import { TunnelErrors } from '../errors.js';
import type { LayerContext } from '../layer.js';
import { validateUpgradeResponse } from './ws-handshake.js';
import type { WsOffer } from './ws-handshake.js';
import { gunWsHandler } from './ws-layer.js';
import type { WsLayerOptions, WsProtocolHandler } from './ws-layer.js';

/*
 * The Websocket upgrade shared by the HTTP/1.1 (RFC 6455 §4.1) and HTTP/2 (RFC 8441 §4, §5)
 * layers, as Gun's ws_upgrade does it (Gun §5.10):
 *
 *   wsUpgrade ──prepareWsUpgrade──> request sent ──101 / 2xx──> completeWsUpgrade ──ok──> WsLayer
 *                                        │                              └──error──> stream error
 *                                        └──any other status──> a plain response
 */

/**
 * What the stack needs of the platform for Websocket upgrades; `@gunhttp/tunnel` imports no
 * `node:*`, so the client injects them (node:crypto, node:zlib).
 */
export interface WsPlatform {
  /** `n` random octets: the 16-octet `sec-websocket-key` nonce and the 4-octet masking keys. */
  readonly randomBytes: (n: number) => Uint8Array;
  /** SHA-1 (20 octets) to check `sec-websocket-accept` (RFC 6455 §4.2.2). */
  readonly sha1: Sha1;
  /**
   * Builds the permessage-deflate compressor of one Websocket with the negotiated parameters
   * (RFC 7692); gun's `nodePerMessageDeflate` fits. Without it, `compress: true` is refused.
   */
  readonly deflate?: (params: DeflateParams) => PerMessageDeflate;
}

/**
 * The Websocket options the layers read from a `wsUpgrade` command's `opts` (Gun's `ws_opts`,
 * camelCased); other keys are ignored here and passed to the handler's `init`.
 */
export type WsUpgradeOptions = {
  /** Offer permessage-deflate (`client_max_window_bits; server_max_window_bits=15`); default false. */
  readonly compress?: boolean;
  /** Subprotocols offered in order, each with the handler used when the server selects it. */
  readonly protocols?: ReadonlyArray<readonly [string, WsProtocolHandler]>;
  /** The handler when the server selects no subprotocol; {@link gunWsHandler} by default. */
  readonly defaultProtocol?: WsProtocolHandler;
  /** Received pings and pongs are not delivered; default true. */
  readonly silencePings?: boolean;
  /** ms to wait for the server's close after ours (Gun's `closing_timeout`); default 15000. */
  readonly closingTimeout?: number;
  /** Messages delivered before reading should pause (Gun §5.9); off by default. */
  readonly flow?: number;
  /** Largest frame payload in octets (64 MiB by default) → close 1009. */
  readonly maxFrameSize?: number;
  /** Largest message in octets after inflation (64 MiB by default) → close 1009. */
  readonly maxMessageSize?: number;
};

/** A Websocket upgrade sent and waiting for its response. */
export interface WsHandshake {
  /** `sec-websocket-key`, or `null` over HTTP/2 (RFC 8441 §5: no key, no accept). */
  readonly key: string | null;
  readonly offer: WsOffer;
  readonly options: WsUpgradeOptions;
  /** The command's `opts` as given, for the handler's `init`. */
  readonly rawOptions: Readonly<Record<string, unknown>>;
  /** The Websocket fields of the request, in Gun's order, before the user's. */
  readonly headers: HeaderList;
  readonly platform: WsPlatform;
}

/**
 * Reads the options and builds the request fields of an upgrade: over HTTP/1.1 (`withKey`)
 * `connection`, `upgrade`, `sec-websocket-version`, `sec-websocket-key`; over HTTP/2 only
 * `sec-websocket-version`; then `sec-websocket-protocol` and `sec-websocket-extensions` as Gun
 * sends them. Returns a `GunError` (origin local) for caller misuse: `TUNNEL_ERR_BAD_ARGUMENT`
 * for ill-typed options, `TUNNEL_ERR_UNSUPPORTED` for `compress` without `platform.deflate`,
 * `WS_ERR_BAD_ARGUMENT` for a subprotocol that is not a token.
 */
export function prepareWsUpgrade(opts: Readonly<Record<string, unknown>>, platform: WsPlatform, withKey: boolean): WsHandshake | GunError {
  const options = readWsOptions(opts);
  if (options instanceof GunError) return options;
  const compress = options.compress === true;
  if (compress && platform.deflate === undefined) {
    return localError(TunnelErrors.UNSUPPORTED, 'compress needs a permessage-deflate implementation (WsPlatform.deflate).');
  }
  const names = (options.protocols ?? []).map(([name]) => name);
  const headers: HeaderList = [];
  let key: string | null = null;
  try {
    if (withKey) {
      key = generateKey(platform.randomBytes);
      headers.push(['connection', 'upgrade'], ['upgrade', 'websocket'], ['sec-websocket-version', '13'], ['sec-websocket-key', key]);
    } else {
      headers.push(['sec-websocket-version', '13']);
    }
    if (names.length > 0) headers.push(['sec-websocket-protocol', buildProtocolHeader(names)]);
  } catch (error) {
    return error instanceof GunError ? error : localError(TunnelErrors.BAD_ARGUMENT, String(error), error);
  }
  if (compress) headers.push(['sec-websocket-extensions', buildExtensionOffer(GUN_DEFLATE_OFFER)]);
  return { key, offer: { protocols: names, deflate: compress ? GUN_DEFLATE_OFFER : null }, options, rawOptions: opts, headers, platform };
}

/** Who the upgraded Websocket belongs to. */
export interface WsOwner extends Partial<LayerContext> {
  readonly streamRef: StreamRef;
  readonly replyTo: unknown;
}

/** The outcome of {@link completeWsUpgrade}. */
export type WsCompletion =
  | { readonly kind: 'ok'; readonly layer: WsLayerOptions }
  | { readonly kind: 'error'; readonly error: GunError };

/**
 * Checks the 101 (or RFC 8441 2xx) with {@link validateUpgradeResponse} and, when it passes,
 * gives the options of the stream's `WsLayer`: masking keys from `platform.randomBytes`,
 * the negotiated deflate, the handler of the selected subprotocol (else `defaultProtocol`, else
 * {@link gunWsHandler}), the response headers for the handler's `init`.
 */
export function completeWsUpgrade(handshake: WsHandshake, headers: HeaderList, owner: WsOwner): WsCompletion {
  const platform = handshake.platform;
  const result = validateUpgradeResponse(handshake.key, headers, handshake.offer, platform.sha1);
  if (result.kind === 'error') return result;
  const o = handshake.options;
  const selected = o.protocols?.find(([name]) => name === result.protocol)?.[1];
  const random = platform.randomBytes;
  const deflate = result.deflate === undefined || platform.deflate === undefined
    ? {}
    : { deflate: { params: result.deflate, codec: platform.deflate(result.deflate) } };
  const layer: WsLayerOptions = {
    maskKey: () => random(4),
    ...owner,
    ...deflate,
    protocolHandler: selected ?? o.defaultProtocol ?? gunWsHandler,
    headers,
    wsOpts: handshake.rawOptions,
    ...pick(o, 'silencePings'),
    ...pick(o, 'closingTimeout'),
    ...pick(o, 'flow'),
    ...pick(o, 'maxFrameSize'),
    ...pick(o, 'maxMessageSize'),
  };
  return { kind: 'ok', layer };
}

function pick<K extends keyof WsUpgradeOptions>(o: WsUpgradeOptions, k: K): Pick<WsUpgradeOptions, K> | Record<string, never> {
  return o[k] === undefined ? {} : ({ [k]: o[k] } as Pick<WsUpgradeOptions, K>);
}

type Check = (v: unknown) => boolean;

const isHandler = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as WsProtocolHandler).init === 'function' && typeof (v as WsProtocolHandler).handle === 'function';
const isOctets = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

const CHECKS: Readonly<Record<keyof WsUpgradeOptions, readonly [Check, string]>> = {
  compress: [(v) => typeof v === 'boolean', 'a boolean'],
  protocols: [(v) => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && isHandler(p[1])), 'a list of [name, handler] pairs'],
  defaultProtocol: [isHandler, 'a handler with init and handle'],
  silencePings: [(v) => typeof v === 'boolean', 'a boolean'],
  closingTimeout: [(v) => typeof v === 'number' && v >= 0, 'a number of ms'],
  flow: [(v) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0, 'a positive integer'],
  maxFrameSize: [isOctets, 'a non-negative integer of octets'],
  maxMessageSize: [isOctets, 'a non-negative integer of octets'],
};

/** The known keys of `opts`, type-checked (the client validates first; this guards the layer). */
function readWsOptions(opts: Readonly<Record<string, unknown>>): WsUpgradeOptions | GunError {
  for (const [key, [check, what]] of Object.entries(CHECKS)) {
    const value = opts[key];
    if (value !== undefined && !check(value)) return localError(TunnelErrors.BAD_ARGUMENT, `wsOpts.${key} must be ${what}.`);
  }
  return opts as WsUpgradeOptions;
}
