import { deliverTo } from '@gunhttp/core';
import type { GunMessage, ReplyTo, StreamRef } from '@gunhttp/core';
import { ContentHandlerChain } from './content-handlers/content-handler.js';
import type { ResolvedContentHandler } from './content-handlers/content-handler.js';
import { DEFAULT_CONTENT_HANDLERS } from './content-handlers/options.js';

/**
 * Changes a stream's message-count flow by `increment` (may be negative): the connection's
 * `updateFlow` command, which streams without a flow ignore.
 */
export type FlowAdjust = (streamRef: StreamRef, increment: number) => void;

/**
 * Runs response bodies through a session's content handlers (Gun's `content_handlers`): a final
 * response with a body starts a chain for its stream, and that stream's `data` messages feed the
 * chain instead of being delivered; the chain delivers what its handlers make (`data`, `sse`) to
 * the stream's replyTo. Made only for handlers other than Gun's default `[gunDataHandler]`
 * ({@link contentDeliveryFor}), whose `data` messages go out as the layers made them.
 *
 * Flow (Gun §1.7, §5.9): the layers spend one unit of a stream's flow per `data` message, but
 * Gun decrements it by what the chain delivered (its summed `flowInc`: one per `sse` event and
 * one for the `sse` `fin` with gunSseHandler, none for a chunk that completes no event), so each
 * chunk's difference goes back through `adjustFlow` before the connection decides whether to
 * keep reading.
 */
export class ContentDelivery {
  private readonly chains = new Map<StreamRef, ContentHandlerChain>();

  constructor(
    private readonly handlers: readonly ResolvedContentHandler[],
    private readonly adjustFlow: FlowAdjust,
  ) {}

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
        const delivered = chain.data(m.fin, m.data);
        if (delivered !== 1) this.adjustFlow(m.streamRef, 1 - delivered);
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

/**
 * The content delivery of a session with these handlers; `undefined` for Gun's default.
 * `adjustFlow` corrects the flow the layers spent per `data` message (see {@link ContentDelivery}).
 */
export function contentDeliveryFor(handlers: readonly ResolvedContentHandler[], adjustFlow: FlowAdjust): ContentDelivery | undefined {
  return handlers === DEFAULT_CONTENT_HANDLERS ? undefined : new ContentDelivery(handlers, adjustFlow);
}
