import { getHeader } from '@gunhttp/core';
import type { ContentHandler, ContentHandlerContext, ContentHandlerOptions } from './content-handler.js';
import { invalidOption, isPlainObject } from './options.js';
import { SseParser } from './sse-parser.js';
import type { SseParserOptions } from './sse-parser.js';

/** Options of {@link gunSseHandler} (`[gunSseHandler, { maxLineLength }]`): the parser's limits, see {@link SseParserOptions}. */
export type SseHandlerOptions = { readonly [K in keyof SseParserOptions]: SseParserOptions[K] };

/** The state of {@link gunSseHandler} for one response. */
export interface SseHandlerState {
  readonly ctx: ContentHandlerContext;
  readonly parser: SseParser;
}

const OPTION_KEYS = ['maxLineLength', 'maxDataSize'] as const;

/**
 * Whether a `content-type` value is `text/event-stream`: the media type compared without case,
 * its parameters ignored (`text/event-stream;charset=utf-8`, Gun's `with_mime_param`).
 */
export function isEventStream(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).replace(/^[ \t]+|[ \t]+$/g, '');
  return mediaType.toLowerCase() === 'text/event-stream';
}

function checkOptions(opts: ContentHandlerOptions, path: string): void {
  if (!isPlainObject(opts)) invalidOption(path, 'an object');
  for (const key of Object.keys(opts)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) invalidOption(`${path}.${key}`, `one of ${OPTION_KEYS.join(', ')} (unknown option)`);
  }
  for (const key of OPTION_KEYS) {
    const v = opts[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v > 0)) invalidOption(`${path}.${key}`, 'a positive integer (octets)');
  }
}

/**
 * Gun's `gun_sse_h`: turns a `text/event-stream` body (parameters ignored; other responses are
 * left to the next handler) into `sse` messages, parsed by the WHATWG EventSource rules (see
 * {@link SseParser}): `{ type: 'sse', conn, streamRef, event: { lastEventId, eventType, data,
 * retry? } }`, `{ lastEventId }` alone for a block with only an `id`, and
 * `{ type: 'sse', conn, streamRef, event: 'fin' }` at the end of the body. It consumes the body
 * (`done`); the flow increment is the number of messages delivered (one per event, one for
 * `fin`). A limit exceeded (`GUN_ERR_SSE_LINE_TOO_LONG`, `GUN_ERR_SSE_DATA_TOO_LARGE`) is
 * delivered as the stream's `error` message; the rest of the body is then dropped, `fin` included.
 * Options: {@link SseHandlerOptions}.
 */
export const gunSseHandler: ContentHandler<SseHandlerState, SseHandlerOptions> = {
  init(ctx, opts) {
    if (!isEventStream(getHeader(ctx.headers, 'content-type'))) return undefined;
    return { ctx, parser: new SseParser(opts) };
  },
  handle(fin, data, state) {
    const { ctx, parser } = state;
    const events = parser.receive(data);
    if (fin) events.push(...parser.receiveEof());
    for (const e of events) {
      if (e.type === 'event') ctx.deliver({ type: 'sse', conn: ctx.conn, streamRef: ctx.streamRef, event: e.event });
      else ctx.deliver({ type: 'error', conn: ctx.conn, streamRef: ctx.streamRef, reason: e.error });
    }
    // After a failure the parser stays `failed`: no `fin` follows the error.
    if (parser.state !== 'ended') return { kind: 'done', flowInc: events.length, state };
    ctx.deliver({ type: 'sse', conn: ctx.conn, streamRef: ctx.streamRef, event: 'fin' });
    return { kind: 'done', flowInc: events.length + 1, state };
  },
  checkOptions,
};
