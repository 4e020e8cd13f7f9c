/*
 * Gun's message-count flow (§5.9) on a stream inside an HTTP/2 CONNECT tunnel: once the inner
 * HTTP/1.1 stream has delivered `flow` messages the tunnel stops reading, as the connection stops
 * reading its socket at the top level, and withholds the CONNECT stream's window (RFC 9113
 * §5.2.2), so the proxy stops relaying and the origin's writes stall; `updateFlow` resumes it.
 * The proxy connection's other streams go on meanwhile. "The server is blocked" is a write
 * waiting for `drain` with no drain for QUIET ms.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startH2ConnectProxy } from '@gunhttp/testkit';
import { open } from '../../../src/index.js';
import type { Connection, ConnMessage, StreamRef } from '../../../src/index.js';
import { closedAfterEach } from '../../support/helpers.js';

const HOST = '127.0.0.1';
const MiB = 1024 * 1024;
const QUIET = 150;
const TOTAL = 32 * MiB;
/** The stream window of the proxy connection: small, so what a paused tunnel lets through is small. */
const WINDOW = 256 * 1024;
/** Window, proxy and socket buffers on both hops stay well below this; an unpaused tunnel reaches TOTAL. */
const BOUND = TOTAL / 2;

let conn: Connection | undefined;
const started = closedAfterEach(() => {
  conn?.close();
  conn = undefined;
});

/** What the origin's body writer did: octets written, whether a write waits for `drain`, drains seen. */
interface BigBody {
  written: number;
  waitingForDrain: boolean;
  drains: number;
  ended: boolean;
}

/** A node:http origin whose every response is TOTAL octets, written 1 MiB at a time, honouring `drain`. */
async function startBigOrigin(): Promise<{ port: number; big: BigBody; close(): Promise<void> }> {
  const big: BigBody = { written: 0, waitingForDrain: false, drains: 0, ended: false };
  const block = Buffer.alloc(MiB, 0x61);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-length': String(TOTAL) });
    const pump = (): void => {
      while (big.written < TOTAL) {
        big.written += MiB;
        if (!res.write(block)) {
          big.waitingForDrain = true;
          res.once('drain', () => {
            big.waitingForDrain = false;
            big.drains++;
            pump();
          });
          return;
        }
      }
      big.ended = true;
      res.end();
    };
    pump();
  });
  server.listen(0, HOST);
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    big,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const quiet = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, QUIET));

/** True once the origin's latest write has waited QUIET ms for a `drain` that did not come; false if it wrote everything. */
async function serverBlocked(big: BigBody): Promise<boolean> {
  for (;;) {
    const drains = big.drains;
    await quiet();
    if (big.ended) return false;
    if (big.waitingForDrain && big.drains === drains) return true;
  }
}

async function nextData(c: Connection, ref: StreamRef): Promise<Extract<ConnMessage, { type: 'data' }>> {
  const m = await c.owner.receive((x) => x.type === 'data' && x.streamRef === ref, { timeout: 5000 });
  if (m.type !== 'data') throw new Error(m.type);
  return m;
}

describe('flow inside an HTTP/2 tunnel (Gun §5.9 within §5.12; RFC 9113 §5.2.2)', () => {
  it('an inner HTTP/1.1 download with flow 1 stalls the origin until updateFlow, then every octet arrives', async () => {
    const origin = await started(startBigOrigin());
    const proxy = await started(startH2ConnectProxy());
    conn = open(HOST, proxy.port, { retry: 0, protocols: ['http2'], http2Opts: { initialStreamWindowSize: WINDOW, maxStreamWindowSize: WINDOW } });
    expect(await conn.awaitUp()).toBe('http2');
    const tunnel = conn.connect({ host: HOST, port: origin.port });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 200 });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', protocol: 'http' });
    const ref = conn.get('/big', {}, { tunnel, flow: 1 });
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200, fin: false });
    let m = await nextData(conn, ref);
    expect(await serverBlocked(origin.big)).toBe(true);
    expect(origin.big.written).toBeLessThan(BOUND);
    // The proxy connection still serves its other streams while the tunnel is paused.
    expect(await conn.await(conn.get('/'))).toMatchObject({ type: 'response', status: 405 });
    const writtenWhilePaused = origin.big.written;
    conn.updateFlow(ref, TOTAL);
    let received = m.data.length;
    while (!m.fin) {
      m = await nextData(conn, ref);
      received += m.data.length;
    }
    expect(received).toBe(TOTAL);
    expect(origin.big.written).toBeGreaterThan(writtenWhilePaused);
  }, 20000);
});
