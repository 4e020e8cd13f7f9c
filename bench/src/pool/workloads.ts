// The pool workload (issue 8): small GETs through a pool of 8 HTTP/1.1 connections, gunhttp's
// `startPool` against undici's `Pool`, both on the HTTP/1.1 origin. Each client gets a fresh pool
// per run (its connects and one priming GET per connection not timed).
import type { Session } from '../types';
import { smallGets } from '../workloads';
import type { Contender, Target, Workload } from '../workloads';
import { POOL_CLIENTS, POOL_SIZE } from './clients';
import type { PoolClient } from './clients';

export type PoolWorkloadId = 'pool-gets';
export const POOL_WORKLOAD_IDS: readonly PoolWorkloadId[] = ['pool-gets'];

/** A workload of this module: the HTTP/1.1 {@link Workload} shape with its own ids. */
export interface PoolWorkload extends Omit<Workload, 'id'> {
  readonly id: PoolWorkloadId;
}

/** The size of the pool workload, from BENCH_QUICK. */
export interface PoolConfig {
  /** Concurrent loops, each sending its next GET when its last body is read. */
  readonly loops: number;
  /** Requests per client per run, and the time bound (ms) that stops a run early. */
  readonly gets: { readonly requests: number; readonly maxMs: number };
  /** The unrecorded JIT warm-up of each client. */
  readonly warmUp: { readonly requests: number; readonly maxMs: number };
}

export function poolConfig(quick: boolean): PoolConfig {
  return quick
    ? { loops: 64, gets: { requests: 5000, maxMs: 500 }, warmUp: { requests: 1000, maxMs: 300 } }
    : { loops: 64, gets: { requests: 40_000, maxMs: 3000 }, warmUp: { requests: 5000, maxMs: 1500 } };
}

/** Issue 8: gunhttp's pool at least as fast as undici's. */
const AT_LEAST_UNDICI: Target = { min: 1, strict: false };

async function withPool<T>(client: PoolClient, port: number, body: (s: Session) => Promise<T>): Promise<T> {
  const session = await client.connect(port);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

/** Builds the pool workload for the HTTP/1.1 origin on `port`. */
export function poolWorkloads(port: number, cfg: PoolConfig): PoolWorkload[] {
  const { loops, gets, warmUp } = cfg;
  const contenders: Contender[] = POOL_CLIENTS.map((client) => ({
    name: client.name,
    note: client.note,
    ...(client.name === 'gunhttp' ? {} : { target: AT_LEAST_UNDICI }),
    warmUp: () => withPool(client, port, (s) => smallGets(s, loops, warmUp.requests, warmUp.maxMs)).then(() => undefined),
    measure: () => withPool(client, port, (s) => smallGets(s, loops, gets.requests, gets.maxMs)),
  }));
  return [{ id: 'pool-gets', title: `Small GETs through a pool of ${POOL_SIZE} HTTP/1.1 connections, ${loops} loops`, unit: 'req/s', contenders, skipped: [] }];
}
