// The C baselines, run as child processes: wrk for request rates, curl for the download.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { Sample } from '../types';

const run = promisify(execFile);

/** The absolute path of `name` on PATH, or `undefined`. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The wrk script that sends `depth` requests per write (see lua/pipeline.lua). */
export const PIPELINE_LUA = join(__dirname, '..', '..', 'lua', 'pipeline.lua');

/**
 * `wrk -t1 -c1 -d<seconds>s --latency` on /small, pipelining `depth` requests per write when
 * `depth` > 1. Returns the responses counted and the time wrk reports.
 */
export async function wrk(bin: string, port: number, seconds: number, depth: number): Promise<Sample> {
  const args = ['-t1', '-c1', `-d${seconds}s`, '--latency'];
  if (depth > 1) args.push('-s', PIPELINE_LUA);
  args.push(`http://127.0.0.1:${port}/small`);
  if (depth > 1) args.push('--', String(depth));
  const { stdout } = await run(bin, args);
  const done = /(\d+) requests in ([\d.]+)(us|ms|s|m)\b/.exec(stdout);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (done === null || rate === null) throw new Error(`wrk: cannot parse its output:\n${stdout}`);
  if (/Non-2xx|Socket errors/.test(stdout)) throw new Error(`wrk reported errors:\n${stdout}`);
  const requests = Number(done[1]);
  // Requests/sec is what wrk prints; derive the duration from it so both agree.
  return { ops: requests, seconds: requests / Number(rate[1]) };
}

/** `curl -s -o /dev/null` of /big?n=`bytes`, timed by curl's own `time_total`. */
export async function curl(bin: string, port: number, bytes: number): Promise<Sample> {
  const { stdout } = await run(bin, ['-s', '-o', '/dev/null', '-w', '%{time_total} %{size_download} %{http_code}', `http://127.0.0.1:${port}/big?n=${bytes}`]);
  const [time, size, code] = stdout.trim().split(' ').map(Number);
  if (code !== 200 || size !== bytes || time === undefined || !(time > 0)) throw new Error(`curl: unexpected result "${stdout}"`);
  return { ops: bytes, seconds: time };
}
