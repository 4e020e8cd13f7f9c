// The three HTTP/1.1 workloads and who runs them. Node clients get a fresh connection per run
// (connect time and one priming request excluded); wrk and curl are timed as whole processes.
import { curl, findOnPath, wrk } from './clients/c-tools';
import { gunClient } from './clients/gun';
import { nodeHttpClient } from './clients/node-http';
import { undiciClient } from './clients/undici';
import type { Config, NodeClient, Sample, Session } from './types';

export type WorkloadId = 'sequential' | 'pipelined' | 'download';

/** A peer's target: gunhttp/peer must be > `min` (`strict`) or ≥ `min`. */
export interface Target {
  readonly min: number;
  readonly strict: boolean;
}

export interface Contender {
  readonly name: string;
  readonly note?: string;
  /** Runs once, unrecorded, before the first run (JIT warm-up for Node clients). */
  readonly warmUp?: () => Promise<void>;
  readonly measure: () => Promise<Sample>;
  /** Compared with gunhttp against this target; absent for gunhttp itself. */
  readonly target?: Target;
}

export interface Workload {
  readonly id: WorkloadId;
  readonly title: string;
  readonly unit: 'req/s' | 'MiB/s';
  readonly contenders: readonly Contender[];
  /** Peers that could not run, with the reason. */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly why: string }>;
  /**
   * Rounds of warm-up (default 1), each calling every contender's `warmUp` in turn, so every
   * client's last warm-up is followed by the others' as its recorded runs are (the Node clients
   * share node's stream and TLS code, whose JIT feedback each of them changes).
   */
  readonly warmUpRounds?: number;
}

const AHEAD: Target = { min: 1, strict: true };
const MiB = 1024 * 1024;

/** Keeps `depth` small GETs in flight until `requests` were sent or `maxMs` passed. */
export async function smallGets(session: Session, depth: number, requests: number, maxMs: number): Promise<Sample> {
  let issued = 0;
  const start = performance.now();
  const deadline = start + maxMs;
  const worker = async (): Promise<void> => {
    while (issued < requests && performance.now() < deadline) {
      issued++;
      await session.small();
    }
  };
  await Promise.all(Array.from({ length: depth }, worker));
  return { ops: issued, seconds: (performance.now() - start) / 1000 };
}

async function withSession<T>(client: NodeClient, port: number, depth: number, body: (s: Session) => Promise<T>): Promise<T> {
  const session = await client.connect(port, depth);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

/** One timed download of `bytes` through a session; throws when a different length arrived. */
export async function download(session: Session, bytes: number): Promise<Sample> {
  const start = performance.now();
  const read = await session.download(bytes);
  const seconds = (performance.now() - start) / 1000;
  if (read !== bytes) throw new Error(`download: read ${read} of ${bytes} bytes`);
  return { ops: read, seconds };
}

const NODE_CLIENTS: ReadonlyArray<readonly [NodeClient, Target | undefined]> = [
  [gunClient, undefined],
  [nodeHttpClient, AHEAD],
  [undiciClient, AHEAD],
];

function withTarget(target: Target | undefined): { target?: Target } {
  return target === undefined ? {} : { target };
}

/** Builds the workloads for a server on `port`. */
export function workloads(port: number, config: Config): Workload[] {
  const wrkBin = findOnPath('wrk');
  const curlBin = findOnPath('curl');
  const { sequential: seq, pipelined: pipe, downloadBytes } = config;
  const warm = config.warmUp;

  const sequential: Contender[] = NODE_CLIENTS.map(([client, target]) => ({
    name: client.name,
    ...withTarget(target),
    warmUp: () => withSession(client, port, 1, (s) => smallGets(s, 1, warm.requests, warm.maxMs)).then(() => undefined),
    measure: () => withSession(client, port, 1, (s) => smallGets(s, 1, seq.requests, seq.maxMs)),
  }));
  const pipelined: Contender[] = NODE_CLIENTS.map(([client, target]) => ({
    name: client.name,
    ...withTarget(target),
    ...(client.pipelineNote === undefined ? {} : { note: client.pipelineNote }),
    warmUp: () => withSession(client, port, pipe.depth, (s) => smallGets(s, pipe.depth, warm.requests, warm.maxMs)).then(() => undefined),
    measure: () => withSession(client, port, pipe.depth, (s) => smallGets(s, pipe.depth, pipe.requests, pipe.maxMs)),
  }));
  const downloads: Contender[] = NODE_CLIENTS.map(([client, target]) => ({
    name: client.name,
    ...withTarget(target),
    warmUp: () => withSession(client, port, 1, (s) => download(s, 8 * MiB)).then(() => undefined),
    measure: () => withSession(client, port, 1, (s) => download(s, downloadBytes)),
  }));

  const skippedWrk = wrkBin === undefined ? [{ name: 'wrk', why: 'wrk is not on PATH' }] : [];
  if (wrkBin !== undefined) {
    sequential.push({ name: 'wrk', target: { min: 0.9, strict: false }, note: `wrk -t1 -c1 -d${config.wrkSeconds}s`, measure: () => wrk(wrkBin, port, config.wrkSeconds, 1) });
    pipelined.push({
      name: 'wrk',
      target: { min: 0.7, strict: false },
      note: `wrk -t1 -c1 with lua/pipeline.lua: batches of ${pipe.depth} requests in one write`,
      measure: () => wrk(wrkBin, port, config.wrkSeconds, pipe.depth),
    });
  }
  const skippedCurl = curlBin === undefined ? [{ name: 'curl', why: 'curl is not on PATH' }] : [];
  if (curlBin !== undefined) {
    downloads.push({ name: 'curl', target: { min: 0.8, strict: false }, note: 'curl -s -o /dev/null, time_total', measure: () => curl(curlBin, port, downloadBytes) });
  }

  return [
    { id: 'sequential', title: 'Sequential small GETs on one keep-alive connection', unit: 'req/s', contenders: sequential, skipped: skippedWrk },
    { id: 'pipelined', title: `Small GETs, ${pipe.depth} in flight on one connection`, unit: 'req/s', contenders: pipelined, skipped: skippedWrk },
    { id: 'download', title: `Download of ${downloadBytes / MiB} MiB`, unit: 'MiB/s', contenders: downloads, skipped: skippedCurl },
  ];
}

/** A sample as the workload's unit: requests/s, or MiB/s for downloads. */
export function rate(workload: Workload, sample: Sample): number {
  const perSecond = sample.ops / sample.seconds;
  return workload.unit === 'MiB/s' ? perSecond / MiB : perSecond;
}
