import type { StreamRef } from '@gunhttp/core';
import type { GunCommand, LayerOutput, LayerStack } from '@gunhttp/tunnel';
import type { ConnectionTimers } from './connection-timers.js';
import { websocketSession } from './session.js';
import type { Session } from './session.js';
import type { WsStreamHost, WsStreamTimers } from './ws-stream-timers.js';

/** The stack a {@link StackSession} times: the connection's own, or an HTTP/2 tunnel's. */
export interface SessionStackHost {
  readonly stack: LayerStack | undefined;
  /** Applies what the stack produced on a timer. */
  apply(out: LayerOutput | undefined): void;
  /** Runs a command in the stack. */
  command(cmd: GunCommand): void;
}

/**
 * The session running on one layer stack and its timers (layers own none, DESIGN §4): the
 * keepalive and deadlines of the protocol (Gun §5.4, §5.11), the Websocket PINGs after an
 * HTTP/1.1 upgrade and those of Websockets in HTTP/2 streams (§5.10), the closing timeout (§5.8).
 *
 *   idle ──begin(session)──> running ──end()──> idle      (a hop: end() then begin() again)
 *                              │  a 101 made the stack a Websocket: the websocket session runs
 */
export class StackSession implements WsStreamHost {
  private session: Session | undefined;
  /** The session whose timers run: a hop made while a session starts must not arm it twice. */
  private armed: Session | undefined;

  constructor(
    readonly timers: ConnectionTimers,
    private readonly ws: WsStreamTimers,
    private readonly host: SessionStackHost,
  ) {}

  /** The protocol of the session running; `undefined` when none is. */
  get protocol(): Session['protocol'] | undefined {
    return this.session?.protocol;
  }

  /** `session` now runs on the host's stack (its timers start with {@link arm}). */
  begin(session: Session): void {
    this.session = session;
  }

  /** Starts the session's keepalive and deadlines; each applies its output while the session is still current. */
  arm(): void {
    const session = this.session;
    if (session === undefined || session === this.armed) return;
    this.armed = session;
    this.timers.arm(session, () => this.session === session && this.host.stack !== undefined, (out) => this.host.apply(out));
  }

  /** The stack is gone, or a hop replaces its protocol: no session, every timer of the stack stops. */
  end(): void {
    this.session = undefined;
    this.timers.clearConnection();
  }

  /**
   * Looks at what the stack produced before it is applied: a 101 that made the stack a
   * Websocket, Websockets upgraded in HTTP/2 streams (RFC 8441) whose PINGs start.
   */
  inspect(out: LayerOutput): void {
    const stack = this.host.stack;
    if (stack?.protocol === 'ws' && this.session !== undefined && this.session.protocol !== 'ws') this.switchedToWebsocket(stack);
    if (this.session?.protocol !== 'http2') return;
    for (const d of out.deliveries) {
      if (d.message.type === 'upgrade') this.ws.keepStreamAlive(d.message.streamRef, this);
    }
  }

  /** After our close frame on a Websocket in an HTTP/2 stream of the stack, its closing timeout ({@link WsStreamTimers.boundClose}). */
  boundWebsocketClose(ref: StreamRef): void {
    if (this.session?.protocol === 'http2') this.ws.boundClose(ref, this);
  }

  holds(ref: StreamRef): boolean {
    return this.host.stack?.streamInfo(ref) !== undefined;
  }

  command(cmd: GunCommand): void {
    this.host.command(cmd);
  }

  /**
   * Gun §5.10: a 101 made the stack a Websocket. The HTTP keepalive stops; the upgrade's
   * `wsOpts.keepalive` PINGs start. `down` and `info()` now say `ws` (the stack's protocol).
   */
  private switchedToWebsocket(stack: LayerStack): void {
    const ref = stack.openStreams()[0];
    this.timers.stopKeepalive();
    this.session = websocketSession(stack, this.ws.keepalive(ref));
    this.arm();
  }
}
