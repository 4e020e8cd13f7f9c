export { ContentHandlerChain } from './content-handler.js';
export type {
  ContentHandler, ContentHandlerContext, ContentHandlerOptions, ContentHandlerResult, ContentHandlerSpec, ResolvedContentHandler,
} from './content-handler.js';
export { gunDataHandler } from './data-handler.js';
export { gunSseHandler, isEventStream } from './sse-handler.js';
export type { SseHandlerOptions, SseHandlerState } from './sse-handler.js';
export { SseParser, DEFAULT_SSE_MAX_LINE_LENGTH, DEFAULT_SSE_MAX_DATA_SIZE } from './sse-parser.js';
export type { SseParserEvent, SseParserOptions, SseParserState } from './sse-parser.js';
export { SseErrors } from './errors.js';
export { DEFAULT_CONTENT_HANDLERS, validateContentHandlers } from './options.js';
