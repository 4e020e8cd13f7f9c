import type { StreamRef } from '@gunhttp/core';

/** The PING payload of keepalives (Gun: opaque 0). */
const KEEPALIVE_OPAQUE = 0;
/** The first user PING payload: Gun reserves 1..9999. */
const FIRST_USER_OPAQUE = 10000;

/** A user PING waiting for its ACK. */
export interface PendingPing {
  readonly pingRef: StreamRef;
  readonly replyTo: unknown;
}

/**
 * The PINGs of the HTTP/2 layer (RFC 9113 §6.7, Gun §5.4, §5.11): keepalives carry opaque 0 and
 * are counted until acknowledged; user pings carry a counter from 10000 and are matched to their
 * ACK. Unknown ACKs are ignored.
 */
export class Http2Pings {
  private readonly pending = new Map<number, PendingPing>();
  private next = FIRST_USER_OPAQUE;
  private keepalives = 0;

  /** Keepalives sent and not acknowledged. */
  get unackedKeepalives(): number {
    return this.keepalives;
  }

  /** The payload of a keepalive; counts it. */
  keepalive(): Uint8Array {
    this.keepalives += 1;
    return encodeOpaque(KEEPALIVE_OPAQUE);
  }

  /** The payload of a user ping; call {@link sent} once it is written. */
  nextUserOpaque(): Uint8Array {
    return encodeOpaque(this.next);
  }

  /** Records the user ping whose payload {@link nextUserOpaque} gave. */
  sent(ping: PendingPing): void {
    this.pending.set(this.next, ping);
    this.next += 1;
  }

  /** The user ping an ACK answers, if any; a keepalive ACK lowers the count (never below 0, Gun 2.4). */
  ack(opaque: Uint8Array): PendingPing | undefined {
    const n = decodeOpaque(opaque);
    if (n === KEEPALIVE_OPAQUE) {
      this.keepalives = Math.max(0, this.keepalives - 1);
      return undefined;
    }
    const ping = this.pending.get(n);
    this.pending.delete(n);
    return ping;
  }
}

/** 8 octets, big endian, holding `n` (an integer below 2^53). */
export function encodeOpaque(n: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(n / 0x100000000));
  view.setUint32(4, n >>> 0);
  return out;
}

/** The integer an 8-octet PING payload holds (imprecise above 2^53: such payloads are not ours). */
export function decodeOpaque(opaque: Uint8Array): number {
  const view = new DataView(opaque.buffer, opaque.byteOffset, opaque.byteLength);
  return view.getUint32(0) * 0x100000000 + view.getUint32(4);
}
