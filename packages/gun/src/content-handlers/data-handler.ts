import type { ContentHandler, ContentHandlerContext } from './content-handler.js';

/**
 * Gun's `gun_data_h`, the default content handler and usual end of the chain: delivers each body
 * chunk as a `data` message `{ type: 'data', conn, streamRef, fin, data }` and stops the chain
 * (`done`, flow increment 1). Takes no options.
 */
export const gunDataHandler: ContentHandler<ContentHandlerContext> = {
  init: (ctx) => ctx,
  handle(fin, data, ctx) {
    ctx.deliver({ type: 'data', conn: ctx.conn, streamRef: ctx.streamRef, fin, data });
    return { kind: 'done', flowInc: 1, state: ctx };
  },
};
