import { Mailbox } from '@gunhttp/core';
import type { GunEventHandler, GunEventName } from '@gunhttp/core';
import { open } from '../../src/index.js';
import type { Connection, GunOptions } from '../../src/index.js';

/** Opens a connection to 127.0.0.1:port and waits for `up`. */
export async function connectTo(port: number, options: GunOptions = {}): Promise<Connection> {
  const conn = open('127.0.0.1', port, { retry: 0, ...options });
  await conn.awaitUp();
  return conn;
}

/** An event handler recording every event name (and payload) in order. */
export function recordEvents(): { handler: GunEventHandler; names: GunEventName[]; events: Array<{ name: GunEventName; event: unknown }> } {
  const names: GunEventName[] = [];
  const events: Array<{ name: GunEventName; event: unknown }> = [];
  const handler = new Proxy({}, {
    get: (_t, prop) => (event: unknown) => {
      names.push(prop as GunEventName);
      events.push({ name: prop as GunEventName, event });
    },
    has: () => true,
  }) as GunEventHandler;
  return { handler, names, events };
}

/** Resolves when the connection has ended for good. */
export function ended(conn: Connection): Promise<unknown> {
  return conn.terminated;
}

/**
 * Servers a test file starts inside its tests, closed after each test once `first` ran (closing
 * the test's connections, say): register one with the returned `started(promise)`.
 */
export function closedAfterEach(first?: () => void): <T extends { close(): Promise<void> }>(p: Promise<T>) => Promise<T> {
  const closers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    first?.();
    await Promise.all(closers.splice(0).map((c) => c.close()));
  });
  return async (p) => {
    const s = await p;
    closers.push(s);
    return s;
  };
}

export const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

export { Mailbox };
