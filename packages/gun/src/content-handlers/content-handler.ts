/**
 * Content handlers (Gun's `gun_content_handler` behaviour): a chain, made per response, that the
 * response body runs through. Each handler may transform the body and pass it on (`ok`) or consume
 * it and stop the chain (`done`); what they deliver is counted for Gun's message-count flow.
 *
 *   ┌───────────┐ data(fin = false) ↺          ┌──────────┐
 *   │ streaming │ ───── data(fin = true) ────> │ finished │  (data() throws GUN_ERR_BAD_STATE)
 *   └───────────┘                              └──────────┘
 */
import { assertNever, localError } from '@gunhttp/core';
import type { GunMessage, HeaderList, StreamRef } from '@gunhttp/core';
import { GunErrors } from '../errors.js';

/** What a handler is made with, per response (the arguments of Gun's `init/5`). */
export interface ContentHandlerContext {
  /** The connection, stamped as `conn` on the messages the handler delivers. */
  readonly conn: unknown;
  /** The stream the response belongs to. */
  readonly streamRef: StreamRef;
  /** The stream's replyTo (Gun's `ReplyTo`), for reference; deliver through {@link deliver}. */
  readonly replyTo: unknown;
  /** The response's status code, an integer (Gun 1.1). */
  readonly status: number;
  /** The response's header fields. */
  readonly headers: HeaderList;
  /** Delivers a message to the stream's replyTo, as the connection delivers its own messages. */
  readonly deliver: (message: GunMessage) => void;
}

/** A handler's options: the map of Gun's `{Module, Opts}` (empty when none are given). */
export type ContentHandlerOptions = Readonly<Record<string, unknown>>;

/**
 * The result of {@link ContentHandler.handle} (Gun's `{ok, Data, FlowInc, State}` and
 * `{done, FlowInc, State}`): `ok` passes `data` (possibly transformed) to the next handler,
 * `done` stops the chain. `flowInc` is the number of messages the handler delivered.
 */
export type ContentHandlerResult<S> =
  | { readonly kind: 'ok'; readonly data: Uint8Array; readonly flowInc: number; readonly state: S }
  | { readonly kind: 'done'; readonly flowInc: number; readonly state: S };

/**
 * A content handler (Gun's `gun_content_handler` behaviour). `init` runs once per response with a
 * body and returns the handler's state, or `undefined` to stay out of this response's chain (Gun's
 * `disable`). `handle` gets each body chunk, `fin` on the last one (a response ending in trailers
 * never gets `fin`). `checkOptions`, when present, validates the handler's options when the
 * connection is opened (throw `GUN_ERR_INVALID_OPTION` naming `path`).
 */
export interface ContentHandler<S = unknown, O extends ContentHandlerOptions = ContentHandlerOptions> {
  /** Gun's `init/5`: the state for this response, or `undefined` (Gun's `disable`). */
  init(ctx: ContentHandlerContext, opts: O): S | undefined;
  /** Gun's `handle/3`: one body chunk, `fin` on the last. */
  handle(fin: boolean, data: Uint8Array, state: S): ContentHandlerResult<S>;
  /** Validates this handler's options at `open()`; throws `GUN_ERR_INVALID_OPTION` naming `path`. */
  checkOptions?(opts: ContentHandlerOptions, path: string): void;
}

/** A handler as the `contentHandlers` option takes it: bare, or with its options. */
export type ContentHandlerSpec = ContentHandler | readonly [ContentHandler, ContentHandlerOptions];

/** A handler with its options, as {@link validateContentHandlers} returns them. */
export type ResolvedContentHandler = readonly [ContentHandler, ContentHandlerOptions];

interface Link {
  readonly handler: ContentHandler;
  state: unknown;
}

type ChainState = { readonly kind: 'streaming'; readonly links: readonly Link[] } | { readonly kind: 'finished' };

const NO_OPTIONS: ContentHandlerOptions = Object.freeze({});

/** The handler and options of a spec. */
export function resolveSpec(spec: ContentHandlerSpec): ResolvedContentHandler {
  return Array.isArray(spec) ? (spec as ResolvedContentHandler) : [spec as ContentHandler, NO_OPTIONS];
}

/**
 * The content handlers of one response (Gun's `gun_content_handler:init/5` and `handle/3`). Made
 * when a response with a body arrives: each handler's `init` runs in order, those returning
 * `undefined` are left out. {@link data} runs each body chunk through the chain and returns the
 * flow increment, the sum of the `flowInc` of the handlers it reached (decrement the stream's flow
 * by it). With no handler left the body is dropped (increment 0).
 */
export class ContentHandlerChain {
  private state: ChainState;

  constructor(handlers: readonly ContentHandlerSpec[], ctx: ContentHandlerContext) {
    const links: Link[] = [];
    for (const spec of handlers) {
      const [handler, opts] = resolveSpec(spec);
      const state = handler.init(ctx, opts);
      if (state !== undefined) links.push({ handler, state });
    }
    this.state = { kind: 'streaming', links };
  }

  /** Handlers in the chain of this response (those whose `init` did not disable them). */
  get handlers(): ContentHandler[] {
    return this.state.kind === 'streaming' ? this.state.links.map((l) => l.handler) : [];
  }

  /** Whether the last chunk (`fin`) went through. */
  get finished(): boolean {
    return this.state.kind === 'finished';
  }

  /**
   * Runs a body chunk through the chain; `fin` marks the last one. Returns the flow increment.
   *
   * @throws GunError `GUN_ERR_BAD_STATE` after the chunk with `fin`.
   */
  data(fin: boolean, bytes: Uint8Array): number {
    const state = this.state;
    if (state.kind === 'finished') throw localError(GunErrors.BAD_STATE, 'The response body has ended (a chunk with fin was handled).');
    if (fin) this.state = { kind: 'finished' };
    let inc = 0;
    let data = bytes;
    for (const link of state.links) {
      const result = link.handler.handle(fin, data, link.state);
      inc += result.flowInc;
      link.state = result.state;
      switch (result.kind) {
        case 'ok':
          data = result.data;
          break;
        case 'done':
          return inc;
        default:
          assertNever(result, 'content handler result');
      }
    }
    return inc;
  }
}
