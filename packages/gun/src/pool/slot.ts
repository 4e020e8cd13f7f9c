import type { Protocol } from '@gunhttp/core';
import type { Connection } from '../connection.js';
import { streamCapacity } from './checkout.js';
import type { PoolConnMeta } from './pool-options.js';
import type { StreamCounts } from './stream-counts.js';

/**
 * A pooled connection's state in the pool (Gun's `conns` map values):
 *
 *   down ── up message ──> setup ── setup function answers { up } ──> up
 *    ^                      │  ^ └─ answers { setup } ─┘               │
 *    └────── down message ──┴──────────────────────────────────────────┘
 */
export type SlotState =
  | { readonly kind: 'down' }
  | { readonly kind: 'setup'; readonly state: unknown }
  | { readonly kind: 'up'; readonly protocol: Protocol; readonly meta: PoolConnMeta };

/** One connection of a pool and what the pool knows of it. */
export interface PoolSlot {
  readonly conn: Connection;
  readonly counts: StreamCounts;
  state: SlotState;
  /** The protocol of the connection's latest `up` (how a cancelled stream frees its slot). */
  wire: Protocol | undefined;
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §6.5.2); `Infinity` until known. */
  maxStreams: number;
}

/** Whether a request may be sent on the connection now: up, and under its stream limit. */
export function hasCapacity(slot: PoolSlot): boolean {
  const s = slot.state;
  return s.kind === 'up' && slot.counts.inFlight < streamCapacity(s.protocol, slot.maxStreams);
}

/** The stream limit a slot checks out against (see {@link streamCapacity}); 0 while not up. */
export function slotCapacity(slot: PoolSlot): number {
  const s = slot.state;
  return s.kind === 'up' ? streamCapacity(s.protocol, slot.maxStreams) : 0;
}
