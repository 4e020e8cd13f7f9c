/** Priority fields of HEADERS and PRIORITY frames (RFC 9113 §5.3.2, §6.3): parsed, then ignored. */
export interface PriorityFields {
  readonly exclusive: boolean;
  /** Stream dependency (31 bits). */
  readonly dependency: number;
  /** Weight as sent (0-255; the RFC's weight is this plus one). */
  readonly weight: number;
}

/** One SETTINGS parameter as sent: identifier and 32-bit value (RFC 9113 §6.5.1). */
export type SettingEntry = readonly [id: number, value: number];

/**
 * A decoded HTTP/2 frame (RFC 9113 §6). Payload fields are views into the received bytes, never
 * copies. `padLength` is the Pad Length field (0 when unpadded); for DATA, `flowLength` is the
 * frame's payload length, padding included, which flow control counts (RFC 9113 §6.9).
 */
export type Frame =
  | { readonly type: 'data'; readonly streamId: number; readonly endStream: boolean; readonly data: Uint8Array; readonly padLength: number; readonly flowLength: number }
  | {
    readonly type: 'headers'; readonly streamId: number; readonly endStream: boolean; readonly endHeaders: boolean;
    readonly fragment: Uint8Array; readonly padLength: number; readonly priority: PriorityFields | undefined;
  }
  | { readonly type: 'priority'; readonly streamId: number; readonly priority: PriorityFields }
  | { readonly type: 'rstStream'; readonly streamId: number; readonly errorCode: number }
  | { readonly type: 'settings'; readonly streamId: 0; readonly ack: boolean; readonly settings: readonly SettingEntry[] }
  | {
    readonly type: 'pushPromise'; readonly streamId: number; readonly endHeaders: boolean; readonly promisedStreamId: number;
    readonly fragment: Uint8Array; readonly padLength: number;
  }
  | { readonly type: 'ping'; readonly streamId: 0; readonly ack: boolean; readonly opaque: Uint8Array }
  | { readonly type: 'goAway'; readonly streamId: 0; readonly lastStreamId: number; readonly errorCode: number; readonly debugData: Uint8Array }
  | { readonly type: 'windowUpdate'; readonly streamId: number; readonly increment: number }
  | { readonly type: 'continuation'; readonly streamId: number; readonly endHeaders: boolean; readonly fragment: Uint8Array }
  | { readonly type: 'unknown'; readonly streamId: number; readonly frameType: number; readonly flags: number; readonly payload: Uint8Array };

/** The 9-octet frame header (RFC 9113 §4.1). */
export interface FrameHeader {
  /** Payload length in octets (24 bits). */
  readonly length: number;
  /** Frame type code (`FrameType`; unknown codes are kept as received). */
  readonly frameType: number;
  /** Flags octet (`FrameFlag`). */
  readonly flags: number;
  /** Stream identifier, reserved bit cleared. */
  readonly streamId: number;
}
