import { GunError } from '@gunhttp/core';
import { Http2ClientConnection } from '@gunhttp/http2';
import type { Http2ConnectionOptions } from '@gunhttp/http2';
import { validateContentHandlers } from './content-handlers/options.js';
import type { ContentHandlerSpec, ResolvedContentHandler } from './content-handlers/content-handler.js';
import { GunErrors } from './errors.js';

/**
 * HTTP/2 options (Gun's `http2_opts`, camelCased): Gun's own keys below, plus every option of the
 * codec's {@link Http2ConnectionOptions} (windows, table sizes, frame sizes, limits), which are
 * passed to it unchanged. Gun's defaults: windows of 8000000 octets, push accepted, a server
 * concurrency limit answered with a `too many streams` stream error.
 */
export interface Http2Opts extends Http2ConnectionOptions {
  /** ms to wait for streams in flight after our or the server's GOAWAY. Default 15000. */
  readonly closingTimeout?: number;
  /** ms between keepalive PINGs (opaque 0); `Infinity` (default) sends none. */
  readonly keepalive?: number;
  /**
   * Unacknowledged keepalive PINGs tolerated: when the keepalive timer fires with this many
   * unanswered, the connection is closed (GOAWAY NO_ERROR, then `down`). Absent: never.
   */
  readonly keepaliveTolerance?: number;
  /** Send a `notify` `settingsChanged` message to the owner on each server SETTINGS. Default false. */
  readonly notifySettingsChanged?: boolean;
  /**
   * gunhttp extension: send a `notify` `goAway` message (last stream id, error code, debug data)
   * to the owner when the server sends GOAWAY (RFC 9113 §6.8). Default false.
   */
  readonly notifyGoAway?: boolean;
  /** ms for the server's preface (its first SETTINGS) to arrive. Default 5000. */
  readonly prefaceTimeout?: number;
  /** ms for the server to acknowledge our SETTINGS (else GOAWAY SETTINGS_TIMEOUT). Default 5000. */
  readonly settingsTimeout?: number;
  /** Ignore `set-cookie` in 1xx responses (Gun's `cookie_ignore_informational`). Default false. */
  readonly cookieIgnoreInformational?: boolean;
  /** Gun's `flow`: the default message-count flow of each request (see `ReqOpts.flow`). Absent: unlimited. */
  readonly flow?: number;
  /** The handlers each response body runs through (Gun's `content_handlers`), as `HttpOpts.contentHandlers`. */
  readonly contentHandlers?: readonly ContentHandlerSpec[];
}

/** Gun's keys of {@link Http2Opts}; the others belong to the codec. */
const GUN_KEYS = ['closingTimeout', 'keepalive', 'keepaliveTolerance', 'notifySettingsChanged', 'notifyGoAway', 'prefaceTimeout', 'settingsTimeout', 'cookieIgnoreInformational', 'flow', 'contentHandlers'] as const;

const CODEC_KEYS = [
  'initialConnectionWindowSize', 'initialStreamWindowSize', 'maxConnectionWindowSize', 'maxStreamWindowSize',
  'connectionWindowUpdateThreshold', 'connectionWindowMarginSize', 'streamWindowUpdateThreshold', 'streamWindowMarginSize',
  'maxDecodeTableSize', 'maxEncodeTableSize', 'maxFrameSizeReceived', 'maxFrameSizeSent', 'maxConcurrentStreams', 'enablePush',
  'maxHeaderListSize', 'maxHeaderFields', 'maxFragmentedHeaderBlockSize', 'maxHeaderBlockFragments', 'onStreamLimit', 'huffman',
  'floodLimits',
] as const;

/** The parts of {@link Http2Opts} the client uses, defaults applied. */
export interface ResolvedHttp2Opts {
  readonly closingTimeout: number;
  readonly keepalive: number;
  readonly keepaliveTolerance: number | undefined;
  readonly notifySettingsChanged: boolean;
  readonly notifyGoAway: boolean;
  readonly prefaceTimeout: number;
  readonly settingsTimeout: number;
  readonly cookieIgnoreInformational: boolean;
  readonly flow: number | undefined;
  readonly contentHandlers: readonly ResolvedContentHandler[];
  readonly codec: Http2ConnectionOptions;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMs = (v: unknown): boolean => v === Infinity || (typeof v === 'number' && Number.isInteger(v) && v > 0);

function fail(path: string, expected: string, cause?: unknown): never {
  throw new GunError(GunErrors.INVALID_OPTION, `Invalid option ${path}: expected ${expected}.`, { origin: 'local', cause });
}

/**
 * Validates `http2Opts` (or the options of `{ http2: ... }` in `protocols`) and applies Gun's
 * defaults. Codec options are checked by making a codec with them.
 *
 * @throws GunError `GUN_ERR_INVALID_OPTION` naming the option (`options.http2Opts.keepalive`).
 */
export function resolveHttp2Opts(value: unknown, path: string): ResolvedHttp2Opts {
  if (value === undefined) value = {};
  if (!isObject(value)) fail(path, 'an object');
  const codec: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if ((CODEC_KEYS as readonly string[]).includes(key)) codec[key] = v;
    else if (!(GUN_KEYS as readonly string[]).includes(key)) fail(`${path}.${key}`, `one of ${[...GUN_KEYS, ...CODEC_KEYS].join(', ')} (unknown option)`);
  }
  for (const k of ['closingTimeout', 'keepalive', 'prefaceTimeout', 'settingsTimeout'] as const) {
    if (value[k] !== undefined && !isMs(value[k])) fail(`${path}.${k}`, 'a positive integer (ms) or Infinity');
  }
  const flow = value.flow;
  if (flow !== undefined && !(typeof flow === 'number' && Number.isInteger(flow) && flow > 0)) fail(`${path}.flow`, 'a positive integer');
  const tolerance = value.keepaliveTolerance;
  if (tolerance !== undefined && !(typeof tolerance === 'number' && Number.isInteger(tolerance) && tolerance >= 0)) fail(`${path}.keepaliveTolerance`, 'a non-negative integer');
  for (const k of ['notifySettingsChanged', 'notifyGoAway', 'cookieIgnoreInformational'] as const) {
    if (value[k] !== undefined && typeof value[k] !== 'boolean') fail(`${path}.${k}`, 'a boolean');
  }
  try {
    new Http2ClientConnection(codec as Http2ConnectionOptions);
  } catch (e) {
    fail(path, `valid HTTP/2 codec options (${(e as Error).message})`, e);
  }
  return {
    closingTimeout: (value.closingTimeout as number | undefined) ?? 15000,
    keepalive: (value.keepalive as number | undefined) ?? Infinity,
    keepaliveTolerance: tolerance as number | undefined,
    notifySettingsChanged: value.notifySettingsChanged === true,
    notifyGoAway: value.notifyGoAway === true,
    prefaceTimeout: (value.prefaceTimeout as number | undefined) ?? 5000,
    settingsTimeout: (value.settingsTimeout as number | undefined) ?? 5000,
    cookieIgnoreInformational: value.cookieIgnoreInformational === true,
    flow: flow as number | undefined,
    contentHandlers: validateContentHandlers(value.contentHandlers, `${path}.contentHandlers`),
    codec: codec as Http2ConnectionOptions,
  };
}
