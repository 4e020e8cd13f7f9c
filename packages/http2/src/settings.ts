import type { GunError } from '@gunhttp/core';
import { Http2Errors, connectionError } from './errors.js';
import type { SettingEntry } from './frame.js';
import { DEFAULT_MAX_FRAME_SIZE, DEFAULT_WINDOW_SIZE, MAX_MAX_FRAME_SIZE, MAX_WINDOW_SIZE, SettingId } from './frame-types.js';

/**
 * The SETTINGS of one endpoint (RFC 9113 §6.5.2, RFC 8441 §3), defaults merged. Unlimited
 * values are `Infinity`. Units: octets for sizes, streams for `maxConcurrentStreams`.
 */
export interface Http2Settings {
  /** SETTINGS_HEADER_TABLE_SIZE (0x1): HPACK dynamic table size in octets (default 4096). */
  readonly headerTableSize: number;
  /** SETTINGS_ENABLE_PUSH (0x2) (default true). */
  readonly enablePush: boolean;
  /** SETTINGS_MAX_CONCURRENT_STREAMS (0x3), in streams (default Infinity). */
  readonly maxConcurrentStreams: number;
  /** SETTINGS_INITIAL_WINDOW_SIZE (0x4): stream flow-control window in octets (default 65535). */
  readonly initialWindowSize: number;
  /** SETTINGS_MAX_FRAME_SIZE (0x5): largest frame payload in octets (default 16384). */
  readonly maxFrameSize: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE (0x6): octets, name + value + 32 per field (default Infinity). */
  readonly maxHeaderListSize: number;
  /** SETTINGS_ENABLE_CONNECT_PROTOCOL (0x8, RFC 8441 §3): extended CONNECT allowed (default false). */
  readonly enableConnectProtocol: boolean;
}

/** The protocol's initial settings (RFC 9113 §6.5.2). */
export const DEFAULT_SETTINGS: Http2Settings = Object.freeze({
  headerTableSize: 4096,
  enablePush: true,
  maxConcurrentStreams: Infinity,
  initialWindowSize: DEFAULT_WINDOW_SIZE,
  maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
  maxHeaderListSize: Infinity,
  enableConnectProtocol: false,
});

/**
 * The SETTINGS entries for our preface: only values that differ from the protocol default are
 * sent (as Cowlib does).
 */
export function settingsEntries(local: Http2Settings): SettingEntry[] {
  const out: SettingEntry[] = [];
  const d = DEFAULT_SETTINGS;
  if (local.headerTableSize !== d.headerTableSize) out.push([SettingId.HEADER_TABLE_SIZE, local.headerTableSize]);
  if (local.enablePush !== d.enablePush) out.push([SettingId.ENABLE_PUSH, local.enablePush ? 1 : 0]);
  if (local.maxConcurrentStreams !== d.maxConcurrentStreams) out.push([SettingId.MAX_CONCURRENT_STREAMS, local.maxConcurrentStreams]);
  if (local.initialWindowSize !== d.initialWindowSize) out.push([SettingId.INITIAL_WINDOW_SIZE, local.initialWindowSize]);
  if (local.maxFrameSize !== d.maxFrameSize) out.push([SettingId.MAX_FRAME_SIZE, local.maxFrameSize]);
  if (local.maxHeaderListSize !== d.maxHeaderListSize) out.push([SettingId.MAX_HEADER_LIST_SIZE, local.maxHeaderListSize]);
  if (local.enableConnectProtocol !== d.enableConnectProtocol) out.push([SettingId.ENABLE_CONNECT_PROTOCOL, 1]);
  return out;
}

function settingsError(message: string, h2Code: 'PROTOCOL_ERROR' | 'FLOW_CONTROL_ERROR' = 'PROTOCOL_ERROR'): GunError {
  return connectionError(Http2Errors.SETTINGS, message, h2Code);
}

/** A 0 or 1 setting value as a boolean, or `undefined` when out of range. */
function flagValue(value: number): boolean | undefined {
  return value === 0 ? false : value === 1 ? true : undefined;
}

/**
 * Applies the server's SETTINGS entries to `current` in order (RFC 9113 §6.5.3), validating each
 * value (§6.5.2): ENABLE_PUSH other than 0 (a server MUST NOT send 1), INITIAL_WINDOW_SIZE above
 * 2^31-1 (FLOW_CONTROL_ERROR), MAX_FRAME_SIZE outside 16384..16777215, ENABLE_CONNECT_PROTOCOL
 * other than 0/1 or going back from 1 to 0 (RFC 8441 §3). Unknown identifiers are ignored.
 */
export function applyRemoteSettings(current: Http2Settings, entries: readonly SettingEntry[]): Http2Settings | GunError {
  const next: { -readonly [K in keyof Http2Settings]: Http2Settings[K] } = { ...current };
  for (const [id, value] of entries) {
    switch (id) {
      case SettingId.HEADER_TABLE_SIZE:
        next.headerTableSize = value;
        break;
      case SettingId.ENABLE_PUSH:
        if (value !== 0) return settingsError('A server MUST NOT send SETTINGS_ENABLE_PUSH other than 0 (RFC 9113 §6.5.2)');
        next.enablePush = false;
        break;
      case SettingId.MAX_CONCURRENT_STREAMS:
        next.maxConcurrentStreams = value;
        break;
      case SettingId.INITIAL_WINDOW_SIZE:
        if (value > MAX_WINDOW_SIZE) return settingsError('SETTINGS_INITIAL_WINDOW_SIZE MUST NOT exceed 2^31-1 (RFC 9113 §6.5.2)', 'FLOW_CONTROL_ERROR');
        next.initialWindowSize = value;
        break;
      case SettingId.MAX_FRAME_SIZE:
        if (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_MAX_FRAME_SIZE) {
          return settingsError('SETTINGS_MAX_FRAME_SIZE MUST be between 16384 and 16777215 (RFC 9113 §6.5.2)');
        }
        next.maxFrameSize = value;
        break;
      case SettingId.MAX_HEADER_LIST_SIZE:
        next.maxHeaderListSize = value;
        break;
      case SettingId.ENABLE_CONNECT_PROTOCOL: {
        const flag = flagValue(value);
        if (flag === undefined) return settingsError('SETTINGS_ENABLE_CONNECT_PROTOCOL MUST be 0 or 1 (RFC 8441 §3)');
        if (current.enableConnectProtocol && !flag) return settingsError('SETTINGS_ENABLE_CONNECT_PROTOCOL MUST NOT go from 1 to 0 (RFC 8441 §3)');
        next.enableConnectProtocol = flag;
        break;
      }
      default:
        break;
    }
  }
  return next;
}
