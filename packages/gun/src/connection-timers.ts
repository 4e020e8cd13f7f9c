import type { LayerOutput } from '@gunhttp/tunnel';
import type { Session } from './session.js';

/**
 * The connection's timers: the retry delay, and while a socket is up the session's keepalive,
 * its one-shot deadlines (HTTP/2 preface and settings) and the closing timeout. Layers never own
 * timers (DESIGN §4); the session says what a tick does, these say when.
 */
export class ConnectionTimers {
  private retry: NodeJS.Timeout | undefined;
  private keepalive: NodeJS.Timeout | undefined;
  private closing: NodeJS.Timeout | undefined;
  private deadlines: NodeJS.Timeout[] = [];
  private readonly periodic = new Set<NodeJS.Timeout>();

  /** Runs `reconnect` after `ms`. */
  scheduleRetry(ms: number, reconnect: () => void): void {
    this.retry = setTimeout(reconnect, ms);
  }

  cancelRetry(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
  }

  /**
   * Starts the session's keepalive and deadlines; each applies its output while `current()`
   * says the session is still the connection's.
   */
  arm(session: Session, current: () => boolean, apply: (out: LayerOutput | undefined) => void): void {
    if (Number.isFinite(session.keepalive)) {
      this.keepalive = setInterval(() => current() && apply(session.tick()), session.keepalive);
    }
    for (const d of session.deadlines) {
      this.deadlines.push(setTimeout(() => current() && apply(d.check()), d.after));
    }
  }

  /** Calls `tick` every `ms` while the socket is up and `tick` returns true. */
  every(ms: number, tick: () => boolean): void {
    const timer = setInterval(() => {
      if (tick()) return;
      clearInterval(timer);
      this.periodic.delete(timer);
    }, ms);
    this.periodic.add(timer);
  }

  /** Stops the keepalive (a protocol switch brings its own). */
  stopKeepalive(): void {
    clearInterval(this.keepalive);
    this.keepalive = undefined;
  }

  /** Calls `close` after `timeout` ms unless a closing timer runs already; `Infinity`: never. */
  closeAfter(timeout: number, close: () => void): void {
    if (this.closing === undefined && Number.isFinite(timeout)) this.closing = setTimeout(close, timeout);
  }

  /** The socket is gone: every timer but the retry's stops. */
  clearConnection(): void {
    this.stopKeepalive();
    clearTimeout(this.closing);
    this.closing = undefined;
    for (const t of this.deadlines) clearTimeout(t);
    this.deadlines = [];
    for (const t of this.periodic) clearInterval(t);
    this.periodic.clear();
  }
}
