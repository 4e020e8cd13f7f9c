// The proxy workloads (issue 6) and who runs them: sequential small GETs and a download from the
// HTTP/1.1 origin, straight and through a chain of CONNECT proxies (one or two hops). Every ratio
// is gunhttp through one hop over the other row, so `gun-direct` shows what the hop costs
// gunhttp and `undici-1hop` compares the proxied clients. Node clients get a fresh connection
// (and tunnel) per run, its connect, CONNECTs and one priming GET not timed; curl is timed whole.
import { curl, findOnPath } from '../clients/c-tools';
import { median } from '../report';
import type { Sample, Session } from '../types';
import { download, smallGets } from '../workloads';
import type { Contender, Target, Workload } from '../workloads';
import { curlViaProxy } from './c-tools';
import { PROXY_CLIENTS } from './clients';
import type { ProxyClient, ProxyTopology } from './clients';

export type ProxyWorkloadId = 'proxy-small' | 'proxy-download';
export const PROXY_WORKLOAD_IDS: readonly ProxyWorkloadId[] = ['proxy-small', 'proxy-download'];

/** A workload of this module: the HTTP/1.1 {@link Workload} shape with its own ids. */
export interface ProxyWorkload extends Omit<Workload, 'id'> {
  readonly id: ProxyWorkloadId;
}

/** The size of the proxy workloads, from BENCH_QUICK. */
export interface ProxyConfig {
  /** Sequential GETs per client per run, and the time bound (ms) that stops a run early. */
  readonly small: { readonly requests: number; readonly maxMs: number };
  /** Octets of the timed download. */
  readonly downloadBytes: number;
  /**
   * The unrecorded JIT warm-up of each Node client: small GETs, and downloads each on a fresh
   * connection as the recorded runs are (the HTTP/2 download's note in h2/workloads.ts: the
   * receive path settles only after a few connections).
   */
  readonly warmUp: { readonly requests: number; readonly maxMs: number; readonly downloads: number; readonly bytes: number };
}

const MiB = 1024 * 1024;

export function proxyConfig(quick: boolean): ProxyConfig {
  return quick
    ? { small: { requests: 2000, maxMs: 500 }, downloadBytes: 20 * MiB, warmUp: { requests: 1000, maxMs: 300, downloads: 2, bytes: 20 * MiB } }
    : { small: { requests: 10_000, maxMs: 3000 }, downloadBytes: 100 * MiB, warmUp: { requests: 5000, maxMs: 1500, downloads: 3, bytes: 100 * MiB } };
}

/** Issue 6: the download through one hop at ≥ 0.9× the direct rate. The other ratios are reported bare. */
const DOWNLOAD_TARGETS: Readonly<Record<string, Target>> = {
  'gun-direct': { min: 0.9, strict: false },
};

async function withSession<T>(client: ProxyClient, topology: ProxyTopology, body: (s: Session) => Promise<T>): Promise<T> {
  const session = await client.connect(topology);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

const noteOf = (client: ProxyClient): { note?: string } => (client.note === undefined ? {} : { note: client.note });
const targetOf = (t: Target | undefined): { target?: Target } => (t === undefined ? {} : { target: t });

function smallWorkload(topology: ProxyTopology, cfg: ProxyConfig): ProxyWorkload {
  const { small, warmUp } = cfg;
  const contenders: Contender[] = PROXY_CLIENTS.map((client) => ({
    name: client.name,
    ...noteOf(client),
    warmUp: () => withSession(client, topology, (s) => smallGets(s, 1, warmUp.requests, warmUp.maxMs)).then(() => undefined),
    measure: () => withSession(client, topology, (s) => smallGets(s, 1, small.requests, small.maxMs)),
  }));
  return { id: 'proxy-small', title: `Sequential small GETs through CONNECT proxies, ≤ ${small.requests} or ${small.maxMs / 1000} s`, unit: 'req/s', contenders, skipped: [] };
}

/**
 * A download contender that also records this process's CPU time (user + system) of each timed
 * download, shown in its note once the runs are done: the client's own cost per 100 MiB, which the
 * rate alone hides when the proxy and the origin share the cores with it.
 */
function downloadContender(client: ProxyClient, topology: ProxyTopology, cfg: ProxyConfig): Contender {
  const cpuPer100MiB: number[] = [];
  const timed = async (s: Session): Promise<Sample> => {
    const before = process.cpuUsage();
    const sample = await download(s, cfg.downloadBytes);
    const { user, system } = process.cpuUsage(before);
    cpuPer100MiB.push((user + system) / 1000 / (cfg.downloadBytes / (100 * MiB)));
    return sample;
  };
  return {
    name: client.name,
    ...targetOf(DOWNLOAD_TARGETS[client.name]),
    get note(): string {
      const cpu = cpuPer100MiB.length === 0 ? '' : `; client CPU ${Math.round(median(cpuPer100MiB))} ms per 100 MiB (median)`;
      return `${client.note ?? client.name}${cpu}`;
    },
    warmUp: async () => {
      for (let i = 0; i < cfg.warmUp.downloads; i++) await withSession(client, topology, (s) => download(s, cfg.warmUp.bytes));
    },
    measure: () => withSession(client, topology, timed),
  };
}

function downloadWorkload(topology: ProxyTopology, cfg: ProxyConfig, curlBin: string | undefined): ProxyWorkload {
  const contenders: Contender[] = PROXY_CLIENTS.map((client) => downloadContender(client, topology, cfg));
  if (curlBin !== undefined) {
    const bytes = cfg.downloadBytes;
    contenders.push(
      { name: 'curl-1hop', note: 'curl -x <first proxy> --proxytunnel -s -o /dev/null, time_total (connect and CONNECT included)', measure: () => curlViaProxy(curlBin, topology.proxyPorts[0], topology.originPort, bytes) },
      { name: 'curl', note: 'curl straight to the origin: with curl-1hop, what the hop costs a client that costs almost nothing', measure: () => curl(curlBin, topology.originPort, bytes) },
    );
  }
  return {
    id: 'proxy-download',
    title: `Download of ${cfg.downloadBytes / MiB} MiB through CONNECT proxies`,
    unit: 'MiB/s',
    contenders,
    skipped: curlBin === undefined ? [{ name: 'curl', why: 'curl is not on PATH' }] : [],
  };
}

/** Builds the proxy workloads for the HTTP/1.1 origin and the two proxies of {@link ProxyTopology}. */
export function proxyWorkloads(topology: ProxyTopology, cfg: ProxyConfig): ProxyWorkload[] {
  return [smallWorkload(topology, cfg), downloadWorkload(topology, cfg, findOnPath('curl'))];
}
