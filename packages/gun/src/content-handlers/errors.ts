/**
 * Error codes of the server-sent events parser (WHATWG HTML §9.2.5 sets no limits; these bound
 * the memory one response can hold). They are peer violations: delivered as the stream's `error`
 * message, never thrown.
 */
export const SseErrors = {
  /** A line of the event stream is longer than `maxLineLength` octets. */
  LINE_TOO_LONG: 'GUN_ERR_SSE_LINE_TOO_LONG',
  /** The data of one event is larger than `maxDataSize` octets. */
  DATA_TOO_LARGE: 'GUN_ERR_SSE_DATA_TOO_LARGE',
} as const;
