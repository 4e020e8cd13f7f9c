import { deliverTo } from '@gunhttp/core';
import type { GunMessage, ReplyTo, StreamRef } from '@gunhttp/core';
import { ContentHandlerChain } from './content-handlers/content-handler.js';
import type { ResolvedContentHandler } from './content-handlers/content-handler.js';
import { DEFAULT_CONTENT_HANDLERS } from './content-handlers/options.js';

/**
 * Runs response bodies through a session's content handlers (Gun's `content_handlers`): a final
 * response with a body starts a chain for its stream, and that stream's `data` messages feed the
 * chain instead of being delivered; the chain delivers what its handlers make (`data`, `sse`) to
 * the stream's replyTo. Made only for handlers other than Gun's default `[gunDataHandler]`
 * ({@link contentDeliveryFor}), whose `data` messages go out as the layers made them.
 */
export class ContentDelivery {
  private readonly chains = new Map<StreamRef, ContentHandlerChain>();

  constructor(private readonly handlers: readonly ResolvedContentHandler[]) {}

  /**
   * Takes a message on its way to `replyTo`; returns true when a chain consumed it (do not
   * deliver it), false to deliver it as it is.
   */
  route(replyTo: ReplyTo<GunMessage>, m: GunMessage): boolean {
    switch (m.type) {
      case 'response':
        if (!m.fin) {
          const deliver = (message: GunMessage): void => deliverTo(replyTo, message);
          this.chains.set(m.streamRef, new ContentHandlerChain(this.handlers, { conn: m.conn, streamRef: m.streamRef, replyTo, status: m.status, headers: m.headers, deliver }));
        }
        return false;
      case 'data': {
        const chain = this.chains.get(m.streamRef);
        if (chain === undefined) return false;
        if (m.fin) this.chains.delete(m.streamRef);
        chain.data(m.fin, m.data);
        return true;
      }
      case 'trailers':
      case 'error':
        if (m.streamRef !== undefined) this.chains.delete(m.streamRef);
        return false;
      default:
        return false;
    }
  }

}

/** The content delivery of a session with these handlers; `undefined` for Gun's default. */
export function contentDeliveryFor(handlers: readonly ResolvedContentHandler[]): ContentDelivery | undefined {
  return handlers === DEFAULT_CONTENT_HANDLERS ? undefined : new ContentDelivery(handlers);
}
