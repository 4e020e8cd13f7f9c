// The two pools of the `pool-gets` workload (issue 8): gunhttp's `startPool` (Gun's gun_pool) and
// undici 7's `Pool`, each with POOL_SIZE HTTP/1.1 connections to the origin and one request per
// connection at a time. A session is one pool, its connections opened and each primed with one
// GET /small before it is timed; every response is checked (status 200, 13-byte body).
import { poolGet, startPool } from '@gunhttp/gun';
import type { Connection, StreamRef } from '@gunhttp/gun';
import { Pool } from 'undici';
import { SMALL_BODY_LENGTH } from '../types';
import type { Session } from '../types';

/** Connections per pool, on both sides. */
export const POOL_SIZE = 8;

const HOST = '127.0.0.1';

/** A client of the pool workload: opens one pool of {@link POOL_SIZE} connections to the origin. */
export interface PoolClient {
  readonly name: string;
  readonly note: string;
  connect(port: number): Promise<Session>;
}

/**
 * A FIFO of `permits` slots: `acquire` resolves at once while one is free, else when a holder
 * `release`s (the permit goes straight to the oldest waiter).
 */
export class Gate {
  private readonly waiters: Array<() => void> = [];

  constructor(private permits: number) {}

  acquire(): Promise<void> | undefined {
    if (this.permits > 0) {
      this.permits--;
      return undefined;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next === undefined) this.permits++;
    else next();
  }
}

/** Reads a pooled GET /small: a 200 head, then a 13-byte body. */
async function readSmall(conn: Connection, ref: StreamRef): Promise<void> {
  const head = await conn.await(ref);
  if (head.type !== 'response' || head.status !== 200 || head.fin) throw new Error(`gunhttp pool: unexpected ${head.type} on /small`);
  const { body } = await conn.awaitBody(ref);
  if (body.length !== SMALL_BODY_LENGTH) throw new Error(`gunhttp pool: /small body of ${body.length} bytes`);
}

let scopes = 0;

/**
 * gunhttp's pool, as a user writes it: `startPool`, `awaitUp`, then `poolGet` routed by the host
 * header. Gun's checkout never queues (a busy pool answers `POOL_ERR_NO_CONNECTION_AVAILABLE`, or
 * sleeps between `checkoutRetry` attempts), so the loops share a {@link Gate} of one permit per
 * connection and wait in it for a free one, as undici's Pool queues them internally.
 */
const gunPool: PoolClient = {
  name: 'gunhttp',
  note: `startPool size ${POOL_SIZE}; poolGet + await + awaitBody; loops beyond ${POOL_SIZE} wait in a FIFO gate`,
  async connect(port) {
    const scope = `bench-${++scopes}`;
    const pool = startPool(HOST, port, { scope, size: POOL_SIZE, connOpts: { retry: 0 } });
    const host = pool.authority;
    const reqOpts = { scope };
    const gate = new Gate(POOL_SIZE);
    const session: Session = {
      async small() {
        await gate.acquire();
        try {
          const { conn, streamRef } = await poolGet('/small', { host }, reqOpts);
          await readSmall(conn, streamRef);
        } finally {
          gate.release();
        }
      },
      download: () => Promise.reject(new Error('pool-gets has no download')),
      close: () => pool.stop(),
    };
    try {
      await pool.awaitUp();
      await Promise.all(Array.from({ length: POOL_SIZE }, () => session.small()));
    } catch (error) {
      await pool.stop();
      throw error;
    }
    return session;
  },
};

/** undici 7's `Pool` with `connections: POOL_SIZE`, no pipelining; it queues requests itself. */
const undiciPool: PoolClient = {
  name: 'undici',
  note: `Pool { connections: ${POOL_SIZE}, pipelining: 1 }; request() + body.arrayBuffer()`,
  async connect(port) {
    const pool = new Pool(`http://${HOST}:${port}`, { connections: POOL_SIZE, pipelining: 1 });
    const session: Session = {
      async small() {
        const { statusCode, body } = await pool.request({ path: '/small', method: 'GET' });
        const bytes = await body.arrayBuffer();
        if (statusCode !== 200 || bytes.byteLength !== SMALL_BODY_LENGTH) throw new Error(`undici Pool: /small ${statusCode}, ${bytes.byteLength} bytes`);
      },
      download: () => Promise.reject(new Error('pool-gets has no download')),
      close: () => pool.close(),
    };
    // Opens the connections (undici opens them as requests need them).
    await Promise.all(Array.from({ length: POOL_SIZE }, () => session.small()));
    return session;
  },
};

/** In the order of the table; gunhttp first, as every ratio divides it. */
export const POOL_CLIENTS: readonly PoolClient[] = [gunPool, undiciPool];
