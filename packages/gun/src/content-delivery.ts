import { deliverTo } from '@gunhttp/core';
import type { GunMessage, ReplyTo, StreamRef } from '@gunhttp/core';
import { ContentHandlerChain } from './content-handlers/content-handler.js';
import type { ResolvedContentHandler } from './content-handlers/content-handler.js';
import { DEFAULT_CONTENT_HANDLERS } from './content-handlers/options.js';

/**
 * Runs response bodies through the configured content handlers (Gun's `content_handlers`). With
 * Gun's default `[gunDataHandler]` nothing is routed: `data` messages go out as the layers made
 * them. Otherwise a final response with a body starts a chain for its stream, and that stream's
 * `data` messages feed the chain instead of being delivered; the chain delivers what its handlers
 * make (`data`, `sse`) to the stream's replyTo.
 */
export class ContentDelivery {
  private readonly chains = new Map<StreamRef, ContentHandlerChain>();

  /**
   * Takes a message on its way to `replyTo`; returns true when a chain consumed it (do not
   * deliver it), false to deliver it as it is.
   */
  route(replyTo: ReplyTo<GunMessage>, m: GunMessage, handlers: readonly ResolvedContentHandler[]): boolean {
    switch (m.type) {
      case 'response':
        if (!m.fin && handlers !== DEFAULT_CONTENT_HANDLERS) {
          const deliver = (message: GunMessage): void => deliverTo(replyTo, message);
          this.chains.set(m.streamRef, new ContentHandlerChain(handlers, { conn: m.conn, streamRef: m.streamRef, replyTo, status: m.status, headers: m.headers, deliver }));
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

  /** The connection went down: the bodies in progress will not end. */
  clear(): void {
    this.chains.clear();
  }
}
