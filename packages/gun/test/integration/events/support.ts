import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { StreamRef } from '@gunhttp/core';
import { open } from '../../../src/index.js';
import type { ConnectDestination, Connection, GunOptions } from '../../../src/index.js';
import { EventRecorder } from './event-recorder.js';

/** The two groups of Gun's event_SUITE: every case runs over HTTP/1.1 and over HTTP/2. */
export const PROTOCOLS = ['http', 'http2'] as const;
export type GroupProtocol = (typeof PROTOCOLS)[number];

/** A port on 127.0.0.1 nobody listens on (Gun's suite uses 12345). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The connections a test opened; {@link closeAll} closes them after each test. */
const opened: Connection[] = [];

/**
 * Opens a connection with an {@link EventRecorder} as its event handler (Gun's do_gun_open:
 * `retry: 0` so a failure ends the connection instead of looping).
 */
export function openRecorded(host: string, port: number, options: GunOptions = {}): { conn: Connection; rec: EventRecorder } {
  const rec = new EventRecorder();
  const conn = open(host, port, { retry: 0, ...options, eventHandler: rec.handler });
  opened.push(conn);
  return { conn, rec };
}

/** As {@link openRecorded} on 127.0.0.1, waiting for `up`. */
export async function connectRecorded(port: number, options: GunOptions = {}): Promise<{ conn: Connection; rec: EventRecorder }> {
  const made = openRecorded('127.0.0.1', port, options);
  await made.conn.awaitUp();
  return made;
}

/** Closes every connection opened through this module. */
export function closeAll(): void {
  for (const conn of opened.splice(0)) conn.close();
}

/** The events of a request sent whole, and of a response read to its end, in Gun's order. */
export const REQUEST = ['requestStart', 'requestHeaders', 'requestEnd'] as const;
export const RESPONSE = ['responseStart', 'responseHeaders', 'responseEnd'] as const;

/** A connection to the proxy at `proxyPort` with a tunnel to `destination`; every event kept. */
export async function tunnelled(proxyPort: number, destination: ConnectDestination, options: GunOptions = {}): Promise<{ conn: Connection; rec: EventRecorder; tunnel: StreamRef }> {
  const { conn, rec } = await connectRecorded(proxyPort, options);
  const tunnel = await tunnelThrough(conn, destination);
  return { conn, rec, tunnel };
}

/** `host:port` as the requests' authority (Gun's `authority` field). */
export const authorityOf = (port: number): string => `127.0.0.1:${port}`;

/** A tunnel made: the CONNECT answered 200 (fin) and `tunnelUp` came on its ref. */
export async function tunnelThrough(conn: Connection, destination: ConnectDestination, tunnel?: StreamRef): Promise<StreamRef> {
  const ref = conn.connect(destination, {}, tunnel === undefined ? undefined : { tunnel });
  expect(await conn.await(ref)).toMatchObject({ type: 'response', fin: true, status: 200 });
  expect(await conn.await(ref)).toMatchObject({ type: 'tunnelUp', streamRef: ref });
  return ref;
}

/** Waits for the response of `ref` and its whole body. */
export async function drained(conn: Connection, ref: StreamRef): Promise<void> {
  for (;;) {
    const m = await conn.await(ref);
    if (m.type === 'response') {
      if (!m.fin) await conn.awaitBody(ref);
      return;
    }
  }
}
