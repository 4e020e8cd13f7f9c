// Times codec workloads in-process: each side is calibrated to a fixed iteration count (the
// calibration doubles as the JIT warm-up), then measured `runs` times, ours and theirs alternating
// within each run so both see the same machine state. Rates are medians; ratios are ours/theirs.
import { performance } from 'node:perf_hooks';
import { median } from '../report';

/** One implementation of a workload: `run(n)` does the work n times and returns a checksum. */
export interface Side {
  readonly name: string;
  readonly run: (iterations: number) => number;
}

/** A second rate shown beside the main one, e.g. blocks/s beside header fields/s. */
export interface AlsoRate {
  readonly unit: string;
  readonly perIteration: number;
}

export interface Workload {
  readonly id: string;
  readonly title: string;
  /** Unit of the rate, e.g. `fields/s`, `MiB/s`. */
  readonly unit: string;
  /** Units of work in one iteration (fields, MiB, lines...). */
  readonly perIteration: number;
  readonly also?: AlsoRate;
  readonly ours: Side;
  readonly theirs?: Side;
  /** Smallest ours/theirs ratio the issue asks for. */
  readonly target?: number;
}

export interface SideResult {
  readonly name: string;
  readonly iterations: number;
  /** Rate of each run, in the workload's unit. */
  readonly runs: readonly number[];
  readonly median: number;
}

export interface WorkloadResult {
  readonly workload: Workload;
  readonly ours: SideResult;
  readonly theirs?: SideResult;
  readonly ratio?: number;
  readonly met?: boolean;
}

export interface HarnessConfig {
  readonly runs: number;
  /** Wall time one run of one side should take, in ms. */
  readonly runMs: number;
}

/** Lets work the side deferred to process.nextTick (hpack.js streams) run inside its timing. */
const drain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Keeps checksums alive so the JIT cannot drop the work. */
let sink = 0;
export function checksum(): number {
  return sink;
}

async function timeRun(side: Side, iterations: number): Promise<number> {
  const start = performance.now();
  sink = (sink + side.run(iterations)) | 0;
  await drain();
  return performance.now() - start;
}

/** Finds the iteration count that takes about `runMs`; these runs warm the JIT up. */
async function calibrate(side: Side, runMs: number): Promise<number> {
  let n = 1;
  for (;;) {
    const ms = await timeRun(side, n);
    if (ms >= runMs / 4) {
      // The first estimate includes cold code and page faults: time it once more, warm, and rescale.
      const estimate = Math.max(1, Math.round((n * runMs) / ms));
      return Math.max(1, Math.round((estimate * runMs) / (await timeRun(side, estimate))));
    }
    n *= ms < runMs / 64 ? 8 : 2;
  }
}

export async function measure(w: Workload, cfg: HarnessConfig): Promise<WorkloadResult> {
  const sides = w.theirs === undefined ? [w.ours] : [w.ours, w.theirs];
  const counts: number[] = [];
  for (const s of sides) counts.push(await calibrate(s, cfg.runMs));
  const samples: number[][] = sides.map(() => []);
  for (let run = 0; run < cfg.runs; run++) {
    for (let k = 0; k < sides.length; k++) {
      const i = (k + run) % sides.length;
      const ms = await timeRun(sides[i]!, counts[i]!);
      const rate = (w.perIteration * counts[i]!) / (ms / 1000);
      samples[i]!.push(rate);
      process.stderr.write(`  ${w.id} run ${run + 1}/${cfg.runs} ${sides[i]!.name}: ${fmt(rate)} ${w.unit}\n`);
    }
  }
  const results = sides.map((s, i) => ({ name: s.name, iterations: counts[i]!, runs: samples[i]!, median: median(samples[i]!) }));
  const ours = results[0]!;
  const theirs = results[1];
  if (theirs === undefined) return { workload: w, ours };
  const ratio = ours.median / theirs.median;
  return { workload: w, ours, theirs, ratio, ...(w.target === undefined ? {} : { met: ratio >= w.target }) };
}

export const fmt = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
const ratioText = (r: WorkloadResult): string => (r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`);
const targetText = (r: WorkloadResult): string =>
  r.workload.target === undefined || r.ratio === undefined ? '' : `≥ ${r.workload.target.toFixed(1)}× ${r.met === true ? 'met' : 'MISSED'}`;

/** The secondary rate of a side, from its main rate. */
function alsoText(w: Workload, s: SideResult): string {
  return w.also === undefined ? '' : `${fmt((s.median * w.also.perIteration) / w.perIteration)} ${w.also.unit}`;
}

/** The printed table: one row per workload, then per-workload notes (secondary rates, runs). */
export function renderText(header: string, results: readonly WorkloadResult[], notes: readonly string[]): string {
  const rows = results.map((r) => [
    r.workload.title, r.workload.unit, fmt(r.ours.median), r.theirs === undefined ? '—' : `${fmt(r.theirs.median)} (${r.theirs.name})`,
    ratioText(r), targetText(r),
  ]);
  const head = ['workload', 'unit', 'ours', 'theirs', 'ours/theirs', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [header, '', line(head), ...rows.map(line), ''];
  for (const r of results) {
    const w = r.workload;
    const runs = (s: SideResult): string => `${s.name} ${s.runs.map(fmt).join(' ')} (${s.iterations} it/run)`;
    out.push(`  · ${w.id}: ${[r.ours, ...(r.theirs === undefined ? [] : [r.theirs])].map(runs).join('; ')}`);
    if (w.also !== undefined) out.push(`    also: ours ${alsoText(w, r.ours)}${r.theirs === undefined ? '' : `, theirs ${alsoText(w, r.theirs)}`}`);
  }
  for (const n of notes) out.push(`  · ${n}`);
  return out.join('\n');
}

/** The same results as a Markdown document for results/codecs-<date>.md. */
export function renderMarkdown(header: string, results: readonly WorkloadResult[], notes: readonly string[]): string {
  const out = [`# ${header}`, '', '| workload | unit | ours | theirs | ours/theirs | target |', '| --- | --- | ---: | ---: | ---: | --- |'];
  for (const r of results) {
    const theirs = r.theirs === undefined ? '—' : `${fmt(r.theirs.median)} (${r.theirs.name})`;
    out.push(`| ${r.workload.title} | ${r.workload.unit} | ${fmt(r.ours.median)} | ${theirs} | ${ratioText(r)} | ${targetText(r)} |`);
  }
  out.push('', '## Runs', '');
  for (const r of results) {
    for (const s of [r.ours, ...(r.theirs === undefined ? [] : [r.theirs])]) {
      const also = alsoText(r.workload, s);
      out.push(`- \`${r.workload.id}\` ${s.name}: ${s.runs.map(fmt).join(', ')} ${r.workload.unit} (${s.iterations} iterations per run)${also === '' ? '' : `; median ${also}`}`);
    }
  }
  if (notes.length > 0) out.push('', '## Notes', '', ...notes.map((n) => `- ${n}`));
  return out.join('\n') + '\n';
}
