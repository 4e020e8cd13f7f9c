/**
 * Gun's event_SUITE cases cancel, cancel_remote, disconnect and terminate (Gun §1.5 events 26
 * to 28). The cases inside tunnels (cancel_connect, cancel_remote_connect, origin_changed_*,
 * protocol_changed_*) are in tunnel-events.test.ts (HTTP/1.1 proxy) and
 * tunnel-events-http2.test.ts (HTTP/2 proxy).
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { startHttp2Origin, startHttpOrigin } from '@gunhttp/testkit';
import type { Http2Origin, TestOrigin } from '@gunhttp/testkit';
import { GunErrors } from '../../../src/index.js';
import { PROTOCOLS, closeAll, closedPort, connectRecorded, openRecorded } from './support.js';

afterEach(closeAll);

/** A TCP server that accepts and holds connections until told to drop them (Gun's init_origin + exit). */
async function startDroppingServer(): Promise<{ port: number; drop(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const drop = (): void => {
    for (const s of sockets) s.destroy();
  };
  return {
    port: (server.address() as AddressInfo).port,
    drop,
    close: () => {
      drop();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe.each(PROTOCOLS)('cancel, disconnect and terminate events over %s (Gun event_SUITE)', (protocol) => {
  let origin: TestOrigin | Http2Origin;
  beforeAll(async () => {
    origin = protocol === 'http' ? await startHttpOrigin() : await startHttp2Origin();
  });
  afterAll(() => origin.close());

  it('cancel gives endpoint local and reason cancel, after the request events (Gun cancel)', async () => {
    const { conn, rec } = await connectRecorded(origin.port, { protocols: [protocol] });
    const ref = conn.post('/delay?ms=200', []);
    conn.cancel(ref);
    expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders', 'cancel']);
    expect(rec.first('cancel')).toEqual({ streamRef: ref, replyTo: conn.owner, endpoint: 'local', reason: 'cancel' });
    // Cancelling again reports nothing more (the stream is already stopping or gone).
    conn.cancel(ref);
    expect(rec.all('cancel')).toHaveLength(1);
  });

  it('disconnect gives reason closed when the server drops the connection, then terminate without retries (Gun disconnect)', async () => {
    const server = await startDroppingServer();
    try {
      const { conn, rec } = await connectRecorded(server.port, { protocols: [protocol] });
      server.drop();
      expect(await rec.waitFor('disconnect')).toEqual({ reason: 'closed' });
      await conn.terminated;
      expect(rec.names.slice(-2)).toEqual(['disconnect', 'terminate']);
      expect(rec.first('terminate')).toEqual({ state: 'connected', reason: 'closed' });
    } finally {
      await server.close();
    }
  });

  it('after a disconnect, a retry reports the lookup and connect events again, without a second init (Gun §5.1)', async () => {
    const server = await startDroppingServer();
    try {
      const { conn, rec } = await connectRecorded(server.port, { protocols: [protocol], retry: 1 });
      rec.clear();
      server.drop();
      await rec.waitFor('connectEnd');
      expect(rec.names).toEqual(['disconnect', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd']);
      expect(rec.first('connectEnd')).toMatchObject({ protocol });
      conn.close();
    } finally {
      await server.close();
    }
  });

  it('terminate gives the state and the reason when the connection is closed before it is up, and nothing follows it (Gun terminate)', async () => {
    const port = await closedPort();
    const { conn, rec } = openRecorded('127.0.0.1', port, { protocols: [protocol], retry: 5 });
    conn.close();
    // Gun's gun:close ends the process with reason `shutdown`. The state is the one the
    // connection was in: the lookup of an IP address has ended, the connect has not started.
    expect(rec.first('terminate')).toEqual({ state: 'domainLookup', reason: 'shutdown' });
    expect(rec.names).toEqual(['init', 'domainLookupStart', 'domainLookupEnd', 'terminate']);
    expect(await conn.terminated).toBe('shutdown');
    // A second connection to the same port, opened later, is refused after the first one's
    // abandoned attempt: once it has ended, the first would have reported its connect events.
    const later = openRecorded('127.0.0.1', port, { protocols: [protocol] });
    await later.conn.terminated;
    expect(later.rec.names).toContain('connectEnd');
    expect(rec.names).toEqual(['init', 'domainLookupStart', 'domainLookupEnd', 'terminate']);
    // The abandoned attempt went on to its connect without moving the state back.
    expect(conn.info().stateName).toBe('terminated');
  });

  it('terminate gives reason shutdown after a graceful shutdown, after the disconnect (Gun shutdown)', async () => {
    const { conn, rec } = await connectRecorded(origin.port, { protocols: [protocol] });
    conn.shutdown();
    expect(await conn.terminated).toBe('shutdown');
    expect(rec.names.slice(-2)).toEqual(['disconnect', 'terminate']);
    expect(rec.first('terminate')).toMatchObject({ reason: 'shutdown' });
  });

  it('terminate gives the last failure when the retries are exhausted, in state notConnected', async () => {
    const { conn, rec } = openRecorded('127.0.0.1', await closedPort(), { protocols: [protocol], retry: 0 });
    await conn.terminated;
    expect(rec.first('terminate')).toMatchObject({ reason: { code: GunErrors.CONNECT } });
    expect(rec.names.slice(-2)).toEqual(['connectEnd', 'terminate']);
  });
});

describe('remote cancel over http2 (Gun event_SUITE cancel_remote, HTTP/2 only)', () => {
  let origin: Http2Origin;
  beforeAll(async () => {
    origin = await startHttp2Origin();
  });
  afterAll(() => origin.close());

  it('cancel gives endpoint remote and the RST_STREAM code when the server resets the stream', async () => {
    const { conn, rec } = await connectRecorded(origin.port, { protocols: ['http2'] });
    const ref = conn.post('/reset', []);
    const cancel = await rec.waitFor('cancel');
    expect(cancel).toEqual({ streamRef: ref, replyTo: conn.owner, endpoint: 'remote', reason: 'REFUSED_STREAM' });
    expect(rec.namesFor(ref)).toEqual(['requestStart', 'requestHeaders', 'cancel']);
  });
});
