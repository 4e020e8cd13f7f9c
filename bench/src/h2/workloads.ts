// The three HTTP/2 workloads and who runs them: small GETs with 100 streams in flight on one
// connection over h2c and over TLS, and a download over TLS. Node clients get a fresh connection
// per run (connect, handshake and one priming request excluded); h2load and curl are timed as
// whole processes.
import { findOnPath } from '../clients/c-tools';
import type { Session } from '../types';
import { download, smallGets } from '../workloads';
import type { Contender, Target, Workload } from '../workloads';
import { curlH2, h2load } from './c-tools';
import { H2_CLIENTS } from './clients';
import type { H2Client, H2Origin } from './clients';

export type H2WorkloadId = 'h2c-gets' | 'h2-gets' | 'h2-download';
export const H2_WORKLOAD_IDS: readonly H2WorkloadId[] = ['h2c-gets', 'h2-gets', 'h2-download'];

/** A workload of this module: the HTTP/1.1 {@link Workload} shape with its own ids. */
export interface H2Workload extends Omit<Workload, 'id'> {
  readonly id: H2WorkloadId;
}

/** The size of the HTTP/2 workloads, from BENCH_QUICK. */
export interface H2Config {
  /** Streams kept in flight on the one connection (h2load `-m`). */
  readonly streams: number;
  /** Requests per client per run (h2load `-n`), and the time bound (ms) that stops a Node client early. */
  readonly gets: { readonly requests: number; readonly maxMs: number };
  /**
   * The unrecorded JIT warm-up of each Node client before a workload's first run. The download's
   * is `downloads` rounds (every Node client in turn) of one download of `bytes` on a fresh
   * connection, as the recorded runs are: one
   * long download on one connection is not enough, since the code that ends a stream and a
   * connection and starts the next one (close, connect, the priming GET) deoptimizes part of the
   * receive path, which V8 reoptimizes only a download or two later. Measured CPU per 100 MiB
   * (gunhttp 245, 175, 101, 97, 91, 85 ms; undici 182, 164, 98, 95, 106, 93; node:http2 166, 121,
   * 111, 115, 99) settles from the third or fourth download on.
   */
  readonly warmUp: { readonly requests: number; readonly maxMs: number; readonly downloads: number; readonly bytes: number };
  readonly downloadBytes: number;
}

const MiB = 1024 * 1024;

export function h2Config(quick: boolean): H2Config {
  return quick
    ? { streams: 100, gets: { requests: 3000, maxMs: 500 }, warmUp: { requests: 1000, maxMs: 300, downloads: 2, bytes: 20 * MiB }, downloadBytes: 20 * MiB }
    : { streams: 100, gets: { requests: 40_000, maxMs: 3000 }, warmUp: { requests: 5000, maxMs: 1500, downloads: 4, bytes: 100 * MiB }, downloadBytes: 100 * MiB };
}

/** The bounds on gunhttp/peer; peers absent here get their ratio printed without one. */
const GETS_TARGETS: Readonly<Record<string, Target>> = {
  'node:http2': { min: 1.5, strict: false },
  undici: { min: 2, strict: false },
};
const CURL_TARGET: Target = { min: 0.8, strict: false };

async function withSession<T>(client: H2Client, origin: H2Origin, streams: number, body: (s: Session) => Promise<T>): Promise<T> {
  const session = await client.connect(origin, streams);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

const targetOf = (t: Target | undefined): { target?: Target } => (t === undefined ? {} : { target: t });

function getsWorkload(id: 'h2c-gets' | 'h2-gets', origin: H2Origin, cfg: H2Config, h2loadBin: string | undefined): H2Workload {
  const { streams, gets, warmUp } = cfg;
  const contenders: Contender[] = H2_CLIENTS.map((client) => ({
    name: client.name,
    ...targetOf(GETS_TARGETS[client.name]),
    ...(client.name === 'undici' && origin.scheme === 'h2c' ? { note: 'useH2c: true (prior knowledge)' } : {}),
    warmUp: () => withSession(client, origin, streams, (s) => smallGets(s, streams, warmUp.requests, warmUp.maxMs)).then(() => undefined),
    measure: () => withSession(client, origin, streams, (s) => smallGets(s, streams, gets.requests, gets.maxMs)),
  }));
  if (h2loadBin !== undefined) {
    contenders.push({
      name: 'h2load',
      note: `h2load -c1 -t1 -m${streams} -n${gets.requests}, connect included; no target`,
      measure: () => h2load(h2loadBin, origin, gets.requests, streams),
    });
  }
  const over = origin.scheme === 'h2' ? 'TLS (h2)' : 'h2c';
  return {
    id,
    title: `HTTP/2 small GETs, ${streams} streams in flight on one connection, ${over}`,
    unit: 'req/s',
    contenders,
    skipped: h2loadBin === undefined ? [{ name: 'h2load', why: 'h2load is not on PATH (apt-get install nghttp2-client)' }] : [],
  };
}

function downloadWorkload(origin: H2Origin, cfg: H2Config, curlBin: string | undefined): H2Workload {
  const contenders: Contender[] = H2_CLIENTS.map((client) => ({
    name: client.name,
    warmUp: () => withSession(client, origin, 1, (s) => download(s, cfg.warmUp.bytes)).then(() => undefined),
    measure: () => withSession(client, origin, 1, (s) => download(s, cfg.downloadBytes)),
  }));
  if (curlBin !== undefined) {
    contenders.push({ name: 'curl', target: CURL_TARGET, note: 'curl --http2 -k -s -o /dev/null, time_total (handshake included)', measure: () => curlH2(curlBin, origin, cfg.downloadBytes) });
  }
  return {
    id: 'h2-download',
    title: `HTTP/2 download of ${cfg.downloadBytes / MiB} MiB over TLS (h2)`,
    unit: 'MiB/s',
    contenders,
    warmUpRounds: cfg.warmUp.downloads,
    skipped: curlBin === undefined ? [{ name: 'curl', why: 'curl is not on PATH' }] : [],
  };
}

/** Builds the HTTP/2 workloads for an origin listening on `h2cPort` and `tlsPort`. */
export function h2Workloads(ports: { readonly h2cPort: number; readonly tlsPort: number; readonly caPem: string }, cfg: H2Config): H2Workload[] {
  const h2c: H2Origin = { scheme: 'h2c', port: ports.h2cPort, caPem: ports.caPem };
  const tls: H2Origin = { scheme: 'h2', port: ports.tlsPort, caPem: ports.caPem };
  const h2loadBin = findOnPath('h2load');
  return [getsWorkload('h2c-gets', h2c, cfg, h2loadBin), getsWorkload('h2-gets', tls, cfg, h2loadBin), downloadWorkload(tls, cfg, findOnPath('curl'))];
}
