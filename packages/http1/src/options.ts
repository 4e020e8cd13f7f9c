/** Options of {@link Http1ClientConnection}. */
export interface Http1Options {
  /** Version written in request lines (default `HTTP/1.1`; `HTTP/1.0` is Gun's `http_opts.version`). */
  version?: 'HTTP/1.1' | 'HTTP/1.0';
  /**
   * Applied to every header and trailer name written, including the `host`, `content-length`
   * and `transfer-encoding` the codec adds (Gun's `transform_header_name` skipped the added ones).
   */
  transformHeaderName?: (name: string) => string;
  /** Longest status line, in octets without its line ending (default 8192). */
  maxStatusLineLength?: number;
  /** Longest header or trailer field line, in octets without its line ending (default 65536). */
  maxFieldLineLength?: number;
  /** Most fields in a header or trailer section (default 1000). */
  maxHeaderCount?: number;
  /** Largest response head, in octets with line endings (default 100000, Gun 2.4 `max_header_block_size`). */
  maxHeaderBlockSize?: number;
  /** Largest trailer section, in octets with line endings (default 10000, Gun 2.4 `max_trailer_block_size`). */
  maxTrailerBlockSize?: number;
  /** Longest chunk-size line with its extensions, in octets without its line ending (default 4096). */
  maxChunkSizeLineLength?: number;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  readonly version: 'HTTP/1.1' | 'HTTP/1.0';
  readonly transformHeaderName: ((name: string) => string) | undefined;
  readonly maxStatusLineLength: number;
  readonly maxFieldLineLength: number;
  readonly maxHeaderCount: number;
  readonly maxHeaderBlockSize: number;
  readonly maxTrailerBlockSize: number;
  readonly maxChunkSizeLineLength: number;
}

/**
 * Defaults. Gun limits only the head (100000) and trailer (10000) blocks; the per-line and count
 * limits are far above what real servers send (nginx and Apache cap lines at 8 KiB and fields at
 * 100) so they never reject what Gun accepts in practice, while bounding the work per line.
 * The chunk-size line limit bounds chunk extensions, which carry nothing a client uses.
 */
export const HTTP1_DEFAULTS = {
  maxStatusLineLength: 8192,
  maxFieldLineLength: 65536,
  maxHeaderCount: 1000,
  maxHeaderBlockSize: 100000,
  maxTrailerBlockSize: 10000,
  maxChunkSizeLineLength: 4096,
} as const;

export function resolveOptions(options: Http1Options = {}): ResolvedOptions {
  return {
    version: options.version ?? 'HTTP/1.1',
    transformHeaderName: options.transformHeaderName,
    maxStatusLineLength: options.maxStatusLineLength ?? HTTP1_DEFAULTS.maxStatusLineLength,
    maxFieldLineLength: options.maxFieldLineLength ?? HTTP1_DEFAULTS.maxFieldLineLength,
    maxHeaderCount: options.maxHeaderCount ?? HTTP1_DEFAULTS.maxHeaderCount,
    maxHeaderBlockSize: options.maxHeaderBlockSize ?? HTTP1_DEFAULTS.maxHeaderBlockSize,
    maxTrailerBlockSize: options.maxTrailerBlockSize ?? HTTP1_DEFAULTS.maxTrailerBlockSize,
    maxChunkSizeLineLength: options.maxChunkSizeLineLength ?? HTTP1_DEFAULTS.maxChunkSizeLineLength,
  };
}
