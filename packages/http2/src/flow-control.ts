import { MAX_WINDOW_SIZE } from './frame-types.js';

/**
 * How a receive window is topped up, after Gun/Cowlib's `ensure_window`: once the window the
 * peer may still use drops to `threshold` or to half the target, whichever is larger, it is
 * raised so that window + data received but not yet consumed reaches `target + margin`, never
 * above `max`. (Topping up at half the target, not only at Gun's small threshold, keeps at least
 * half the target in flight while the update travels.) A reader that consumes as
 * data arrives therefore keeps about `target` octets in flight (a large download runs at line
 * rate) while an idle reader bounds what is buffered to `target + margin` octets.
 */
export interface WindowStrategy {
  /** Octets the window is topped up to (Gun's initial_*_window_size, default 8000000). */
  readonly target: number;
  /** Top up only when the window is at or below this (Gun's *_window_update_threshold, 163840). */
  readonly threshold: number;
  /** Extra octets granted above the target (Gun's *_window_margin_size, 65535). */
  readonly margin: number;
  /** Cap on the window (Gun's max_*_window_size, 2^31-1). */
  readonly max: number;
}

/** A receive window (RFC 9113 §6.9): what the peer may still send, and what the user still holds. */
export class ReceiveWindow {
  /** Octets the peer may still send. */
  window: number;
  /** Octets delivered to the user and not yet reported consumed. */
  unconsumed = 0;

  constructor(initial: number, private readonly strategy: WindowStrategy) {
    this.window = initial;
  }

  /**
   * Counts a received frame: `flowLength` octets (padding included) leave the window, of which
   * `delivered` are held by the user. Returns false, changing nothing, when the frame exceeds
   * the window (a FLOW_CONTROL_ERROR, RFC 9113 §6.9.1).
   */
  receive(flowLength: number, delivered: number): boolean {
    if (flowLength > this.window) return false;
    this.window -= flowLength;
    this.unconsumed += delivered;
    return true;
  }

  /** The user is done with `n` delivered octets (clamped to what is held). */
  consume(n: number): void {
    this.unconsumed = Math.max(0, this.unconsumed - n);
  }

  /** Forgets what the user holds (its stream was reset; the octets will not be consumed). */
  release(): number {
    const held = this.unconsumed;
    this.unconsumed = 0;
    return held;
  }

  /** The WINDOW_UPDATE increment to send now (0 for none), already added to the window. */
  update(): number {
    const { target, threshold, margin, max } = this.strategy;
    if (this.window > Math.max(threshold, target / 2)) return 0;
    const increment = Math.min(target + margin - this.window - this.unconsumed, max - this.window, MAX_WINDOW_SIZE);
    if (increment <= 0) return 0;
    this.window += increment;
    return increment;
  }
}

/** Adds a WINDOW_UPDATE increment to a send window; `undefined` when it would exceed 2^31-1 (RFC 9113 §6.9.1). */
export function growSendWindow(window: number, increment: number): number | undefined {
  const next = window + increment;
  return next > MAX_WINDOW_SIZE ? undefined : next;
}
