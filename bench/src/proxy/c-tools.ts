// curl through the first CONNECT proxy, the C reference of the proxied download.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Sample } from '../types';

const run = promisify(execFile);

/**
 * `curl -s -o /dev/null -x http://127.0.0.1:<proxy> --proxytunnel` of /big?n=`bytes`, timed by
 * curl's own `time_total` (connect and CONNECT included). `--proxytunnel` makes curl CONNECT to
 * an http origin too, as gunhttp and undici do; without it curl would send the GET in absolute
 * form to the proxy. Checks the proxy answered 200 and the origin 200 with every byte.
 */
export async function curlViaProxy(bin: string, proxyPort: number, originPort: number, bytes: number): Promise<Sample> {
  const format = '%{time_total} %{size_download} %{http_code} %{http_connect}';
  const args = ['-s', '-o', '/dev/null', '-x', `http://127.0.0.1:${proxyPort}`, '--proxytunnel', '-w', format, `http://127.0.0.1:${originPort}/big?n=${bytes}`];
  const { stdout } = await run(bin, args);
  const [time, size, code, connectCode] = stdout.trim().split(' ').map(Number);
  if (code !== 200 || connectCode !== 200 || size !== bytes || time === undefined || !(time > 0)) throw new Error(`curl -x: unexpected result "${stdout}"`);
  return { ops: bytes, seconds: time };
}
