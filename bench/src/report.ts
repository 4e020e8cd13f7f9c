// Turns the samples into medians and gunhttp/peer ratios, and renders them as a text table, JSON
// and an SVG bar chart.
import type { H2Config, H2WorkloadId } from './h2/workloads';
import type { PoolWorkloadId } from './pool/workloads';
import type { ProxyWorkloadId } from './proxy/workloads';
import type { Config } from './types';
import type { Target, WorkloadId } from './workloads';
import type { WsConfig, WsWorkloadId } from './ws/workloads';

export interface ContenderResult {
  readonly name: string;
  readonly note?: string;
  /** The rate of each run, in the workload's unit. */
  readonly runs: readonly number[];
  readonly median: number;
  /** Absent: the ratio is reported without a bound (the C baselines of HTTP/2 GETs). */
  readonly target?: Target;
  /** gunhttp's median divided by this peer's. */
  readonly ratio?: number;
  readonly met?: boolean;
}

export interface WorkloadResult {
  readonly id: WorkloadId | H2WorkloadId | WsWorkloadId | ProxyWorkloadId | PoolWorkloadId;
  readonly title: string;
  readonly unit: string;
  readonly results: readonly ContenderResult[];
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly why: string }>;
}

export interface BenchReport {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly config: Config;
  readonly h2Config?: H2Config;
  readonly wsConfig?: WsConfig;
  readonly workloads: readonly WorkloadResult[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Adds each peer's ratio (gunhttp/peer) and, when it has a target, whether that is met. */
export function compare(results: ReadonlyArray<Omit<ContenderResult, 'ratio' | 'met'>>): ContenderResult[] {
  const gun = results.find((r) => r.name === 'gunhttp')?.median ?? NaN;
  return results.map((r) => {
    if (r.name === 'gunhttp' || Number.isNaN(gun)) return r;
    const ratio = gun / r.median;
    if (r.target === undefined) return { ...r, ratio };
    return { ...r, ratio, met: r.target.strict ? ratio > r.target.min : ratio >= r.target.min };
  });
}

const fmt = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
const targetText = (t: Target): string => `${t.strict ? '>' : '≥'} ${t.min.toFixed(1)}×`;
const pad = (s: string, n: number): string => s.padEnd(n);
const lpad = (s: string, n: number): string => s.padStart(n);

/** The printed table: one block per workload, then the ratios at a glance. */
export function renderTable(report: BenchReport): string {
  const c = report.config;
  const lines = [
    `gunhttp HTTP benchmarks: medians of ${c.runs} runs${c.quick ? ' (BENCH_QUICK)' : ''}; node ${report.node}, ${report.platform}, ${report.cpus} CPUs`,
    '',
  ];
  for (const w of report.workloads) {
    lines.push(`${w.title} (${w.unit})`);
    lines.push(`  ${pad('client', 11)}${lpad('median', 10)}  ${pad('runs', 28)}${lpad('gun/peer', 9)}  ${pad('target', 8)}`);
    for (const r of w.results) {
      const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`;
      const verdict = r.target === undefined ? '' : `${pad(targetText(r.target), 8)}${r.met === true ? 'met' : 'MISSED'}`;
      lines.push(`  ${pad(r.name, 11)}${lpad(fmt(r.median), 10)}  ${pad(r.runs.map(fmt).join(' '), 28)}${lpad(ratio, 9)}  ${verdict}`.trimEnd());
    }
    for (const r of w.results) if (r.note !== undefined) lines.push(`  · ${r.name}: ${r.note}`);
    for (const s of w.skipped) lines.push(`  · ${s.name} skipped: ${s.why}`);
    lines.push('');
  }
  const peers = [...new Set(report.workloads.flatMap((w) => w.results.filter((r) => r.ratio !== undefined).map((r) => r.name)))];
  lines.push('gunhttp/peer (target in brackets)');
  lines.push(`  ${pad('workload', 12)}${peers.map((p) => lpad(p, 20)).join('')}`);
  for (const w of report.workloads) {
    const cells = peers.map((p) => {
      const r = w.results.find((x) => x.name === p);
      if (r?.ratio === undefined) return lpad('—', 20);
      if (r.target === undefined) return lpad(`${r.ratio.toFixed(2)}× [none] `, 20);
      return lpad(`${r.ratio.toFixed(2)}× [${targetText(r.target)}]${r.met === true ? ' ' : '!'}`, 20);
    });
    lines.push(`  ${pad(w.id, 12)}${cells.join('')}`);
  }
  lines.push('  (! = target missed)');
  return lines.join('\n');
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A horizontal bar chart: one panel per workload, bars scaled to that workload's best median. */
export function renderSvg(report: BenchReport): string {
  const width = 760;
  const labelW = 110;
  const barMax = 470;
  const rowH = 24;
  const parts: string[] = [];
  let y = 30;
  parts.push(`<text x="10" y="20" font-size="15" font-weight="bold">${esc(`gunhttp HTTP benchmarks, ${report.date} (medians of ${report.config.runs} runs)`)}</text>`);
  for (const w of report.workloads) {
    y += 22;
    parts.push(`<text x="10" y="${y}" font-size="13" font-weight="bold">${esc(`${w.title} (${w.unit})`)}</text>`);
    y += 8;
    const best = Math.max(...w.results.map((r) => r.median));
    for (const r of w.results) {
      const len = best > 0 ? Math.max(1, (r.median / best) * barMax) : 1;
      const colour = r.name === 'gunhttp' ? '#2b6cb0' : '#a0aec0';
      const ratio = r.ratio === undefined ? '' : ` (gun/peer ${r.ratio.toFixed(2)}×)`;
      parts.push(`<text x="10" y="${y + 16}" font-size="12">${esc(r.name)}</text>`);
      parts.push(`<rect x="${labelW}" y="${y + 4}" width="${len.toFixed(1)}" height="${rowH - 8}" fill="${colour}"/>`);
      parts.push(`<text x="${(labelW + len + 6).toFixed(1)}" y="${y + 16}" font-size="11">${esc(fmt(r.median) + ratio)}</text>`);
      y += rowH;
    }
  }
  const height = y + 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
