// Codec benchmarks, in one process, no network: HPACK (ours vs hpack.js), HTTP/2 frame parsing
// and a whole client connection receiving 100 MiB, cookie jars (ours vs tough-cookie). Checks
// every side's output first, then prints medians and ratios and writes results/codecs-<date>.md.
// BENCH_QUICK=1 shrinks the runs (~20 s); BENCH_CODECS=hpack,frames,cookies (groups) or workload
// ids (cookie-get, hpack-encode, ...) narrow them, e.g. for profiling.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { checkCookies, cookieWorkloads } from './cookies';
import { frameWorkloads } from './frames';
import { checksum, measure, renderMarkdown, renderText } from './harness';
import type { HarnessConfig, Workload, WorkloadResult } from './harness';
import { checkHpack, hpackWorkloads } from './hpack';

const MiB = 1024 * 1024;

interface Group {
  readonly id: 'hpack' | 'frames' | 'cookies';
  /** Ids of the workloads `build` returns, to select a group by one of its workloads. */
  readonly workloads: readonly string[];
  /** Checks correctness (throwing on a failure), adds notes, returns the workloads. Built lazily: the frame groups hold 100 MiB each. */
  readonly build: (notes: string[]) => Workload[];
}

function groups(streamBytes: number): Group[] {
  return [
    {
      id: 'hpack',
      workloads: ['hpack-encode', 'hpack-decode', 'hpack-decode-theirs'],
      build: (notes) => {
        notes.push(checkHpack());
        return hpackWorkloads();
      },
    },
    { id: 'frames', workloads: ['parse-frame-16384', 'connection-16384'], build: () => frameWorkloads(streamBytes, 16384) },
    {
      id: 'frames',
      workloads: ['parse-frame-1048576', 'connection-1048576'],
      build: (notes) => {
        notes.push(`Frames: the body is cut into 64 KiB chunks; 1 MiB frames need maxFrameSize / maxFrameSizeReceived raised to 1 MiB (SETTINGS_MAX_FRAME_SIZE). No peer: MiB/s of our codec alone.`);
        return frameWorkloads(streamBytes, MiB);
      },
    },
    {
      id: 'cookies',
      workloads: ['cookie-parse', 'cookie-set', 'cookie-get'],
      build: (notes) => {
        notes.push(...checkCookies());
        return cookieWorkloads();
      },
    },
  ];
}

async function main(): Promise<void> {
  const quick = process.env['BENCH_QUICK'] === '1';
  const cfg: HarnessConfig = quick ? { runs: 3, runMs: 200 } : { runs: 5, runMs: 600 };
  const only = process.env['BENCH_CODECS']?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const started = new Date();
  const notes: string[] = [];
  const results: WorkloadResult[] = [];
  for (const g of groups(quick ? 20 * MiB : 100 * MiB)) {
    if (only !== undefined && !only.includes(g.id) && !g.workloads.some((id) => only.includes(id))) continue;
    for (const w of g.build(notes)) if (only === undefined || only.includes(g.id) || only.includes(w.id)) results.push(await measure(w, cfg));
  }
  notes.push(
    'hpack.js is driven through its public API, Duplex streams (write, read); the nextTick work its streams defer is timed too. '
      + 'tough-cookie reads the clock in getCookieStringSync (no `now` option); ours gets `now` on every call.',
  );
  const date = started.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const header = `gunhttp codec benchmarks, ${date}: medians of ${cfg.runs} runs${quick ? ' (BENCH_QUICK)' : ''}; `
    + `node ${process.version}, ${process.platform} ${process.arch}, ${availableParallelism()} CPUs`;
  process.stdout.write(`\n${renderText(header, results, notes)}\n`);
  const dir = join(__dirname, '..', '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `codecs-${date}.md`), renderMarkdown(header, results, notes));
  const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(0);
  process.stdout.write(`\nWrote results/codecs-${date}.md (${seconds} s, checksum ${checksum()})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:codecs failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
