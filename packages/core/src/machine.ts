/**
 * The sans-I/O contract every codec follows (DESIGN §2): bytes in, events out; commands in,
 * bytes out. No sockets, timers, clock or randomness inside.
 *
 * A peer's violation is the last event of a batch (`{ type: 'error', error }`), never a throw;
 * events decoded earlier from the same chunk are kept. Caller misuse throws a `GunError`.
 */
export interface SansIoMachine<E extends { type: string }> {
  /** Feeds bytes from the peer; returns every event they complete, in wire order. */
  receive(chunk: Uint8Array): E[];
  /** Tells the machine the peer closed its side; returns the events that follow from it. */
  receiveEof(): E[];
  /** Bytes to write to the peer, oldest first; empties the outbox. */
  takeOutput(): Uint8Array[];
  /** Bytes received after a protocol switch (101, CONNECT 2xx, SOCKS), for the next protocol. */
  takeRemainder(): Uint8Array;
  /** The machine's state name, for `info()` and traces. */
  readonly state: string;
}
