import type { StreamRef } from '@gunhttp/core';
import type { GunCommand } from '@gunhttp/tunnel';
import type { ConnectionTimers } from './connection-timers.js';

const EMPTY_PING = new Uint8Array(0);
/** Gun's default `ws_opts.closing_timeout`, ms. */
const WS_CLOSING_TIMEOUT_MS = 15000;

/** The timer options of one Websocket (its `wsOpts`, ms; `Infinity` for none). */
export interface WsTimerOpts {
  readonly keepalive?: number;
  readonly closingTimeout?: number;
}

/**
 * A stack holding Websockets in HTTP/2 streams (RFC 8441): the connection's own, or an HTTP/2
 * tunnel's. Its timers stop when its socket or its tunnel goes.
 */
export interface WsStreamHost {
  readonly timers: ConnectionTimers;
  /** Whether the stack still holds the stream `ref`. */
  holds(ref: StreamRef): boolean;
  /** Runs `cmd` in the stack. */
  command(cmd: GunCommand): void;
}

/**
 * The Websocket timers of a connection (Gun §5.10): each upgrade's `wsOpts.keepalive` and
 * `closingTimeout`, kept by stream ref when `wsUpgrade` is called, then used where the Websocket
 * runs. After an HTTP/1.1 upgrade the whole stack is the Websocket and its session PINGs
 * ({@link keepalive}); a Websocket in an HTTP/2 stream gets its own timers here.
 */
export class WsStreamTimers {
  private readonly opts = new WeakMap<StreamRef, WsTimerOpts>();

  /** `replyTo` gives the replyTo of a stream (for the commands the timers send). */
  constructor(private readonly replyTo: (ref: StreamRef) => unknown) {}

  /** Keeps the timer options of the Websocket upgrade `ref`. */
  set(ref: StreamRef, opts: WsTimerOpts): void {
    this.opts.set(ref, opts);
  }

  /** ms between PINGs of the Websocket `ref` (`Infinity`: none), for an HTTP/1.1 upgrade's session. */
  keepalive(ref: StreamRef | undefined): number {
    return (ref === undefined ? undefined : this.opts.get(ref)?.keepalive) ?? Infinity;
  }

  /**
   * `wsOpts.keepalive` of a Websocket in an HTTP/2 stream of `host` (RFC 8441): a PING frame on
   * that stream every `keepalive` ms while the stream lives; the connection's own keepalive goes on.
   */
  keepStreamAlive(ref: StreamRef, host: WsStreamHost): void {
    const every = this.opts.get(ref)?.keepalive;
    if (every === undefined || !Number.isFinite(every)) return;
    const replyTo = this.replyTo(ref);
    host.timers.every(every, () => {
      if (!host.holds(ref)) return false;
      host.command({ type: 'wsSend', streamRef: ref, replyTo, frames: [{ type: 'ping', data: EMPTY_PING }] });
      return true;
    });
  }

  /**
   * After our close frame on a Websocket in an HTTP/2 stream of `host`, the server's close (or
   * its END_STREAM) must come within `wsOpts.closingTimeout` ms (default 15000); else the stream
   * is cancelled (RST_STREAM CANCEL), as a TCP Websocket's socket would be closed (RFC 6455 §7.1.1).
   */
  boundClose(ref: StreamRef, host: WsStreamHost): void {
    const timeout = this.opts.get(ref)?.closingTimeout ?? WS_CLOSING_TIMEOUT_MS;
    if (!Number.isFinite(timeout)) return;
    host.timers.every(timeout, () => {
      if (host.holds(ref)) host.command({ type: 'cancel', streamRef: ref, replyTo: this.replyTo(ref) });
      return false;
    });
  }
}
