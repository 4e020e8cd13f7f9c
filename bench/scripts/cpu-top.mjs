#!/usr/bin/env node
// Summarises a `node --cpu-prof` profile: the functions with the most self time, then self time
// by package. Usage: node scripts/cpu-top.mjs <file.cpuprofile> [count=30] [filter]
import { readFileSync } from 'node:fs';
import process from 'node:process';

const [file, countArg = '30', filter = ''] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: node scripts/cpu-top.mjs <file.cpuprofile> [count] [filter]\n');
  process.exit(2);
}
const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));

const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (url) => url.replace(/^.*\/(packages|node_modules|bench)\//, '$1/');
const fnKey = ({ callFrame: cf }) => `${cf.functionName || '(anonymous)'} ${where(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
const pkgKey = ({ callFrame: cf }) =>
  /packages\/[\w-]+/.exec(cf.url)?.[0] ?? /node_modules\/(@[\w-]+\/)?[\w-]+/.exec(cf.url)?.[0] ?? (cf.url.startsWith('node:') ? 'node internals' : cf.url === '' ? cf.functionName : 'other');

function top(keyOf, count) {
  const sums = new Map();
  for (const [id, t] of self) {
    const key = keyOf(byId.get(id));
    sums.set(key, (sums.get(key) ?? 0) + t);
  }
  return [...sums].filter(([k]) => k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, count);
}
const line = ([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}% ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`;
process.stdout.write(`Self time, ${(total / 1e6).toFixed(2)} s profiled\n${top(fnKey, Number(countArg)).map(line).join('\n')}\n\nBy package\n`);
process.stdout.write(`${top(pkgKey, 15).map(line).join('\n')}\n`);
