// Runs the HTTP/1.1 workloads against one node:http server, the HTTP/2 workloads against one
// node:http2 server and the Websocket workloads against one `ws` server, each in a child
// process, interleaving the clients within each run, then prints medians and gunhttp/peer
// ratios and writes results/<date>.json and results/<date>.svg.
// BENCH_QUICK=1 shrinks every workload.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { startH2Server } from './h2/origin';
import { H2_WORKLOAD_IDS, h2Config, h2Workloads } from './h2/workloads';
import type { H2Workload } from './h2/workloads';
import { compare, median, renderSvg, renderTable } from './report';
import type { BenchReport, WorkloadResult } from './report';
import type { Config, Sample } from './types';
import { workloads } from './workloads';
import type { Workload } from './workloads';
import { startWsServer } from './ws/origin';
import { WS_WORKLOAD_IDS, wsConfig, wsWorkloads } from './ws/workloads';
import type { WsWorkload } from './ws/workloads';
import { startProxies } from './proxy/start';
import { PROXY_WORKLOAD_IDS, proxyConfig, proxyWorkloads } from './proxy/workloads';
import type { ProxyWorkload } from './proxy/workloads';
import { poolConfig, poolWorkloads } from './pool/workloads';
import type { PoolWorkload } from './pool/workloads';

type AnyWorkload = Workload | H2Workload | WsWorkload | ProxyWorkload | PoolWorkload;

const MiB = 1024 * 1024;

function config(quick: boolean): Config {
  return quick
    ? { quick, runs: 3, warmUp: { requests: 1000, maxMs: 500 }, sequential: { requests: 3000, maxMs: 1000 }, pipelined: { requests: 5000, maxMs: 1000, depth: 10 }, downloadBytes: 20 * MiB, wrkSeconds: 1 }
    : { quick, runs: 5, warmUp: { requests: 5000, maxMs: 2000 }, sequential: { requests: 20000, maxMs: 5000 }, pipelined: { requests: 50000, maxMs: 5000, depth: 10 }, downloadBytes: 100 * MiB, wrkSeconds: 3 };
}

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'server.js'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port?: unknown }) => (typeof m.port === 'number' ? resolve({ child, port: m.port }) : reject(new Error('The server sent no port.'))));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The server exited with ${String(code)} before listening.`)));
  });
}

/** A sample as the workload's unit: requests/s, or MiB/s for downloads. */
function rate(w: AnyWorkload, sample: Sample): number {
  const perSecond = sample.ops / sample.seconds;
  return w.unit === 'MiB/s' ? perSecond / MiB : perSecond;
}

async function runWorkload(w: AnyWorkload, runs: number): Promise<WorkloadResult> {
  for (let round = 0; round < (w.warmUpRounds ?? 1); round++) for (const c of w.contenders) await c.warmUp?.();
  const samples = new Map<string, number[]>(w.contenders.map((c) => [c.name, []]));
  for (let run = 0; run < runs; run++) {
    // Rotate who goes first so no client always follows the same one.
    const order = w.contenders.map((_, i) => w.contenders[(i + run) % w.contenders.length]!);
    for (const c of order) {
      const value = rate(w, await c.measure());
      samples.get(c.name)!.push(value);
      process.stderr.write(`  ${w.id} run ${run + 1}/${runs} ${c.name}: ${value.toFixed(1)} ${w.unit}\n`);
    }
  }
  const results = compare(
    w.contenders.map((c) => {
      const runsOf = samples.get(c.name)!;
      return { name: c.name, runs: runsOf, median: median(runsOf), ...(c.note === undefined ? {} : { note: c.note }), ...(c.target === undefined ? {} : { target: c.target }) };
    }),
  );
  return { id: w.id, title: w.title, unit: w.unit, results, skipped: w.skipped };
}

const list = (name: string): string[] | undefined => process.env[name]?.split(',').map((s) => s.trim()).filter((s) => s !== '');
const isH2 = (id: string): boolean => (H2_WORKLOAD_IDS as readonly string[]).includes(id);
const isWs = (id: string): boolean => (WS_WORKLOAD_IDS as readonly string[]).includes(id);
const isProxy = (id: string): boolean => (PROXY_WORKLOAD_IDS as readonly string[]).includes(id);

/** BENCH_WORKLOADS / BENCH_CLIENTS (comma-separated ids / names) narrow the run, e.g. for profiling. */
function selected(all: AnyWorkload[]): AnyWorkload[] {
  const ids = list('BENCH_WORKLOADS');
  const clients = list('BENCH_CLIENTS');
  return all
    .filter((w) => ids === undefined || ids.includes(w.id))
    .map((w) => (clients === undefined ? w : { ...w, contenders: w.contenders.filter((c) => clients.includes(c.name)) }));
}

async function main(): Promise<void> {
  const quick = process.env['BENCH_QUICK'] === '1';
  const cfg = config(quick);
  const h2cfg = h2Config(quick);
  const wscfg = wsConfig(quick);
  const started = new Date();
  // Each origin is started only when one of its workloads is selected.
  const ids = list('BENCH_WORKLOADS');
  const children: ChildProcess[] = [];
  try {
    const all: AnyWorkload[] = [];
    if (ids === undefined || ids.some((id) => !isH2(id) && !isWs(id))) {
      const { child, port } = await startServer();
      children.push(child);
      all.push(...workloads(port, cfg));
      // The pool workload (issue 8): gunhttp's and undici's pools of 8 connections to this origin.
      all.push(...poolWorkloads(port, poolConfig(quick)));
      // The proxy workloads (issue 6) go to this origin through two forked CONNECT proxies.
      if (ids === undefined || ids.some(isProxy)) {
        const proxies = await startProxies();
        children.push(...proxies.map((p) => p.child));
        all.push(...proxyWorkloads({ originPort: port, proxyPorts: [proxies[0].port, proxies[1].port] }, proxyConfig(quick)));
      }
    }
    if (ids === undefined || ids.some(isH2)) {
      const h2 = await startH2Server();
      children.push(h2.child);
      all.push(...h2Workloads(h2, h2cfg));
    }
    if (ids === undefined || ids.some(isWs)) {
      const ws = await startWsServer();
      children.push(ws.child);
      all.push(...wsWorkloads(ws.port, wscfg));
    }
    const results: WorkloadResult[] = [];
    for (const w of selected(all)) results.push(await runWorkload(w, cfg.runs));
    const date = started.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
    const report: BenchReport = { date, node: process.version, platform: `${process.platform} ${process.arch}`, cpus: availableParallelism(), config: cfg, h2Config: h2cfg, wsConfig: wscfg, workloads: results };
    const table = renderTable(report);
    process.stdout.write(`\n${table}\n`);
    const dir = join(__dirname, '..', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${date}.json`), JSON.stringify({ ...report, table: table.split('\n') }, null, 2) + '\n');
    writeFileSync(join(dir, `${date}.svg`), renderSvg(report));
    process.stdout.write(`\nWrote results/${date}.json and results/${date}.svg (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)\n`);
  } finally {
    for (const child of children) child.kill();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
