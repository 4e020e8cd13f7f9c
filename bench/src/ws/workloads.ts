// The Websocket workloads (issue 5) and who runs them, against the `ws` echo origin: 13-byte text
// round trips one at a time, and 64 KiB / 1 MiB binary messages echoed with a few in flight. Each
// client gets a fresh upgraded connection per run (connect, handshake and one priming echo excluded).
import type { Sample } from '../types';
import type { Contender, Target, Workload } from '../workloads';
import { WS_CLIENTS } from './clients';
import type { EchoPlan, Payload, WsClient, WsSession } from './clients';

export type WsWorkloadId = 'ws-echo-13' | 'ws-64k' | 'ws-1m';
export const WS_WORKLOAD_IDS: readonly WsWorkloadId[] = ['ws-echo-13', 'ws-64k', 'ws-1m'];

/** A workload of this module: the HTTP/1.1 {@link Workload} shape with its own ids and units. */
export interface WsWorkload extends Omit<Workload, 'id' | 'unit'> {
  readonly id: WsWorkloadId;
  readonly unit: 'round trips/s' | 'MiB/s';
}

/** One workload's size: the measured runs' plan and the unrecorded warm-up's. */
export interface WsPlan {
  readonly run: EchoPlan;
  readonly warmUp: EchoPlan;
}

/** The size of the Websocket workloads, from BENCH_QUICK. */
export interface WsConfig {
  readonly echo: WsPlan;
  readonly kib64: WsPlan;
  readonly mib1: WsPlan;
}

const KiB = 1024;
const MiB = 1024 * 1024;
/** Messages on their way at once in the throughput workloads: enough to keep both ends busy. */
const IN_FLIGHT = 4;

export function wsConfig(quick: boolean): WsConfig {
  const plan = (count: number, inFlight: number, maxMs: number, warmCount: number, warmMs: number): WsPlan => ({
    run: { count, inFlight, maxMs },
    warmUp: { count: warmCount, inFlight, maxMs: warmMs },
  });
  // 64 KiB × 2048 and 1 MiB × 128 are 128 MiB each way per run.
  return quick
    ? { echo: plan(3000, 1, 500, 1000, 300), kib64: plan(512, IN_FLIGHT, 500, 128, 300), mib1: plan(32, IN_FLIGHT, 500, 8, 300) }
    : { echo: plan(20_000, 1, 2000, 5000, 1000), kib64: plan(2048, IN_FLIGHT, 2000, 512, 1000), mib1: plan(128, IN_FLIGHT, 2000, 32, 1000) };
}

/** The bounds on gunhttp/ws; the gunhttp-fn variant gets its ratio printed without one. */
const TARGETS: Readonly<Record<WsWorkloadId, Target>> = {
  'ws-echo-13': { min: 1.3, strict: false },
  'ws-64k': { min: 1.0, strict: false },
  'ws-1m': { min: 1.0, strict: false },
};

async function withSession<T>(client: WsClient, port: number, body: (s: WsSession) => Promise<T>): Promise<T> {
  const session = await client.connect(port);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

/** A run as a {@link Sample}: round trips, or the octets echoed back (for MiB/s). */
async function echoRun(session: WsSession, payload: Payload, plan: EchoPlan, unit: WsWorkload['unit']): Promise<Sample> {
  const start = performance.now();
  const echoed = await session.echo(payload, plan);
  const seconds = (performance.now() - start) / 1000;
  return { ops: unit === 'MiB/s' ? echoed * payload.size : echoed, seconds };
}

function workload(id: WsWorkloadId, title: string, unit: WsWorkload['unit'], payload: Payload, plan: WsPlan, port: number): WsWorkload {
  const contenders: Contender[] = WS_CLIENTS.map((client) => ({
    name: client.name,
    ...(client.note === undefined ? {} : { note: client.note }),
    ...(client.name === 'ws' ? { target: TARGETS[id] } : {}),
    warmUp: () => withSession(client, port, (s) => s.echo(payload, plan.warmUp)).then(() => undefined),
    measure: () => withSession(client, port, (s) => echoRun(s, payload, plan.run, unit)),
  }));
  return { id, title, unit, contenders, skipped: [] };
}

const binary = (size: number): Payload => ({ type: 'binary', data: new Uint8Array(size).fill(0x61), size });

/** Builds the Websocket workloads for the echo origin on `port`. */
export function wsWorkloads(port: number, cfg: WsConfig): WsWorkload[] {
  const { echo, kib64, mib1 } = cfg;
  const hello: Payload = { type: 'text', data: 'Hello, world!', size: 13 };
  return [
    workload('ws-echo-13', `Websocket 13-byte text echo, one at a time on one connection, ≤ ${echo.run.count} or ${echo.run.maxMs / 1000} s`, 'round trips/s', hello, echo, port),
    workload('ws-64k', `Websocket 64 KiB binary echo, ${kib64.run.inFlight} in flight, ${(kib64.run.count * 64 * KiB) / MiB} MiB or ${kib64.run.maxMs / 1000} s`, 'MiB/s', binary(64 * KiB), kib64, port),
    workload('ws-1m', `Websocket 1 MiB binary echo, ${mib1.run.inFlight} in flight, ${mib1.run.count} MiB or ${mib1.run.maxMs / 1000} s`, 'MiB/s', binary(MiB), mib1, port),
  ];
}
