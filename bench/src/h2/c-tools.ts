// The C baselines of the HTTP/2 workloads, run as child processes: h2load for request rates,
// curl --http2 for the download. Both include their (loopback) connect and TLS handshake.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Sample } from '../types';
import type { H2Origin } from './clients';

const run = promisify(execFile);

const DURATION_UNITS: Readonly<Record<string, number>> = { us: 1e-6, ms: 1e-3, s: 1, m: 60 };

/**
 * `h2load -c1 -m<streams> -n<requests>` on /small: one connection, `streams` requests in flight.
 * h2load does not verify the server's certificate. Fails unless every request got a 2xx.
 */
export async function h2load(bin: string, origin: H2Origin, requests: number, streams: number): Promise<Sample> {
  const scheme = origin.scheme === 'h2' ? 'https' : 'http';
  const { stdout } = await run(bin, ['-c1', '-t1', `-m${streams}`, `-n${requests}`, `${scheme}://127.0.0.1:${origin.port}/small`]);
  const finished = /finished in ([\d.]+)(us|ms|s|m),/.exec(stdout);
  const done = /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(stdout);
  const codes = /status codes: (\d+) 2xx/.exec(stdout);
  if (finished === null || done === null || codes === null) throw new Error(`h2load: cannot parse its output:\n${stdout}`);
  if (!/Application protocol: h2c?\b/.test(stdout)) throw new Error(`h2load: did not speak HTTP/2:\n${stdout}`);
  if (Number(done[3]) !== requests || Number(codes[1]) !== requests) throw new Error(`h2load: not every request succeeded:\n${stdout}`);
  return { ops: requests, seconds: Number(finished[1]) * (DURATION_UNITS[finished[2]!] ?? NaN) };
}

/** `curl --http2 -k` of /big?n=`bytes` over TLS, timed by curl's own `time_total`; checks it spoke HTTP/2. */
export async function curlH2(bin: string, origin: H2Origin, bytes: number): Promise<Sample> {
  const format = '%{time_total} %{size_download} %{http_code} %{http_version}';
  const { stdout } = await run(bin, ['--http2', '-k', '-s', '-o', '/dev/null', '-w', format, `https://127.0.0.1:${origin.port}/big?n=${bytes}`]);
  const [time, size, code, version] = stdout.trim().split(' ').map(Number);
  if (code !== 200 || size !== bytes || version !== 2 || time === undefined || !(time > 0)) throw new Error(`curl: unexpected result "${stdout}"`);
  return { ops: bytes, seconds: time };
}
