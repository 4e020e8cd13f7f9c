import { deliverTo } from '@gunhttp/core';
import type { GunMessage, ReplyTo, StreamRef } from '@gunhttp/core';
import type { Delivery } from '@gunhttp/tunnel';
import type { ConnMessage } from './connection-types.js';
import { contentDeliveryFor } from './content-delivery.js';
import type { ContentDelivery, FlowAdjust } from './content-delivery.js';
import type { ResolvedContentHandler } from './content-handlers/content-handler.js';
import { validateContentHandlers } from './content-handlers/options.js';
import type { ConnectionCookies } from './cookies.js';
import type { ConnectionProtocol, ResolvedOptions } from './options.js';

/**
 * How a connection hands a layer's message to its replyTo: the cookie store sees it first
 * (Gun §5.19), then the running session's content handlers may take it (Gun §1.7, §5.9), else
 * it goes as the layer made it.
 */
export class MessageDelivery {
  /** The session's content handlers; `undefined` for Gun's default (data is delivered as is). */
  private content: ContentDelivery | undefined;
  private readonly httpContentHandlers: readonly ResolvedContentHandler[];

  /**
   * `urlOf` gives a stream's request URL (for its cookies); `adjustFlow` corrects a stream's flow.
   *
   * @throws GunError `GUN_ERR_INVALID_OPTION` for bad `httpOpts.contentHandlers`.
   */
  constructor(
    private readonly connOpts: ResolvedOptions,
    private readonly cookies: ConnectionCookies | undefined,
    private readonly urlOf: (ref: StreamRef) => URL | undefined,
    private readonly adjustFlow: FlowAdjust,
  ) {
    this.httpContentHandlers = validateContentHandlers(connOpts.httpOpts.contentHandlers, 'options.httpOpts.contentHandlers');
  }

  /** A session speaking `protocol` with `opts` starts: its content handlers apply from now on. */
  sessionStarted(protocol: ConnectionProtocol, opts: ResolvedOptions): void {
    const handlers = protocol === 'http2' ? opts.http2Opts.contentHandlers : opts === this.connOpts ? this.httpContentHandlers : validateContentHandlers(opts.httpOpts.contentHandlers, 'destination.protocols');
    // Gun §5.9: the flow counts what the handlers delivered (e.g. sse events), not data messages.
    this.content = contentDeliveryFor(handlers, this.adjustFlow);
  }

  /** The socket is gone: no session, no content handlers. */
  sessionEnded(): void {
    this.content = undefined;
  }

  deliver(d: Delivery): void {
    const m = d.message;
    if (this.cookies !== undefined && 'streamRef' in m && m.streamRef !== undefined) {
      this.cookies.onMessage(m, this.urlOf(m.streamRef));
    }
    if (this.content?.route(d.replyTo as ReplyTo<GunMessage>, m) === true) return;
    deliverTo(d.replyTo as ReplyTo<ConnMessage>, m as ConnMessage);
  }
}
