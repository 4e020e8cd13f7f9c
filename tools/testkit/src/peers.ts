/**
 * Debian peer servers for integration tests (see PEERS.md): discovery of the binaries and an
 * nginx origin started in a temp dir with the test PKI.
 *
 * A test that needs a missing peer fails in CI (`process.env.CI` set) and skips loudly on a
 * developer machine (DESIGN §7): start such a suite with
 * `const d = requirePeer('nginx') ? describe : describe.skip;`.
 *
 * nginx lifecycle:
 *
 *   pick ports ──> spawn ──> both ports accept ──> running ──stop()──> SIGTERM ──> exited ──> dir removed
 *                    │
 *                    └── exits early (port taken meanwhile) ──> pick new ports (at most 3 attempts)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findBinary, freePort, stopChild, waitUntilUp } from './peer-process.js';
import { writePkiFiles } from './pki.js';

/** The peer programs the tests and benchmarks know about. */
export type PeerName = 'nginx' | 'nghttpd' | 'h2load' | 'wrk' | 'curl';

/** A running nginx; see {@link startNginx}. */
export interface NginxPeer {
  /** Plain HTTP/1.1 listener on 127.0.0.1. */
  httpPort: number;
  /** HTTPS listener on 127.0.0.1 (HTTP/1.1 only, the PKI's `server` certificate). */
  httpsPort: number;
  /** HTTPS listener offering h2 then http/1.1 by ALPN. */
  h2Port: number;
  /** HTTP/2 over TCP with prior knowledge (h2c). */
  h2cPort: number;
  /** The document root (`www/` in the temp dir). */
  root: string;
  /** Stops nginx (SIGTERM, then SIGKILL after 2 s) and removes the temp dir. */
  stop(): Promise<void>;
}

/** Options of {@link startNginx}. */
export interface NginxOptions {
  /** Files to serve, by path relative to the document root (`'a/b.txt'`). */
  files?: Record<string, Uint8Array | string>;
}

/** Startup attempts: a port picked free may be taken before nginx binds it. */
const START_ATTEMPTS = 3;

const DEFAULT_FILES: Record<string, string> = {
  'index.html': '<!DOCTYPE html>\n<html><head><title>gun test</title></head><body>Hello world!</body></html>\n',
  'hello.txt': 'Hello world!\n',
};

/** Whether the peer's binary is installed (in /usr/sbin, /usr/bin or PATH). */
export function peerAvailable(name: PeerName): boolean {
  return findBinary(name) !== undefined;
}

/**
 * True when the peer is installed. When it is missing: throws in CI (`process.env.CI` set, so
 * CI fails instead of silently skipping), otherwise warns loudly and returns false.
 */
export function requirePeer(name: PeerName): boolean {
  if (peerAvailable(name)) return true;
  const message = `peer '${name}' is not installed (see PEERS.md; .ci/run installs it with apt-get)`;
  if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(`${message}: required in CI`);
  console.warn(`\n!!! SKIPPING TESTS: ${message} !!!\n`);
  return false;
}

interface NginxPorts {
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly h2Port: number;
  readonly h2cPort: number;
}

function nginxConfig(dir: string, { httpPort, httpsPort, h2Port, h2cPort }: NginxPorts): string {
  const p = (name: string): string => join(dir, name);
  return `daemon off;
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('logs/error.log')} warn;
events { worker_connections 256; }
http {
  access_log ${p('logs/access.log')};
  client_body_temp_path ${p('tmp/body')};
  proxy_temp_path ${p('tmp/proxy')};
  fastcgi_temp_path ${p('tmp/fastcgi')};
  uwsgi_temp_path ${p('tmp/uwsgi')};
  scgi_temp_path ${p('tmp/scgi')};
  types { text/html html; text/plain txt; text/css css; application/json json; }
  default_type application/octet-stream;
  keepalive_requests 10000;
  # A .txt file asked for with accept-encoding: gzip is compressed on the fly, so its length is
  # unknown up front: nginx answers HTTP/1.1 requests with transfer-encoding: chunked.
  gzip on;
  gzip_types text/plain;
  gzip_min_length 1;
  server {
    listen 127.0.0.1:${httpPort};
    listen 127.0.0.1:${httpsPort} ssl;
    root ${p('www')};
    ssl_certificate ${p('server.crt')};
    ssl_certificate_key ${p('server.key')};
  }
  server {
    listen 127.0.0.1:${h2Port} ssl http2;
    listen 127.0.0.1:${h2cPort} http2;
    ssl_certificate ${p('server.crt')};
    ssl_certificate_key ${p('server.key')};
    root ${p('www')};
  }
}
`;
}

/** Writes the document root; dirs 0755 and files 0644 so workers (user nobody) can read them. */
function writeRoot(root: string, files: Record<string, Uint8Array | string>): void {
  mkdirSync(root, { recursive: true, mode: 0o755 });
  for (const [name, content] of Object.entries({ ...DEFAULT_FILES, ...files })) {
    const file = join(root, name);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, content, { mode: 0o644 });
  }
}

async function spawnNginx(binary: string, dir: string): Promise<({ child: ChildProcess; stderr: string } & NginxPorts) | string> {
  const ports = { httpPort: await freePort(), httpsPort: await freePort(), h2Port: await freePort(), h2cPort: await freePort() };
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, ports));
  const child = spawn(binary, ['-p', dir, '-e', join(dir, 'logs/error.log'), '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  child.on('error', (e) => (stderr += String(e)));
  const outcome = await waitUntilUp(child, Object.values(ports));
  if (outcome === 'up') return { child, ...ports, stderr };
  await stopChild(child);
  return `nginx ${outcome === 'exited' ? 'exited' : 'did not start'} (ports ${Object.values(ports).join(', ')}): ${stderr.trim()}`;
}

/**
 * Starts nginx (`nginx -p DIR -c nginx.conf`, foreground, one worker) from a fresh temp dir
 * holding the PKI's server certificate, the config and `www/` with `index.html`, `hello.txt`
 * ("Hello world!\n") and `opts.files`. Listens on 127.0.0.1: `httpPort` (HTTP/1.1),
 * `httpsPort` (TLS, HTTP/1.1), `h2Port` (TLS, ALPN h2 and http/1.1) and `h2cPort` (HTTP/2 with
 * prior knowledge). gzip is on for text/plain, so `accept-encoding: gzip` on a .txt
 * file gets a chunked response. Resolves once all ports accept connections; rejects after
 * three failed attempts. Check {@link requirePeer} first.
 */
export async function startNginx(opts: NginxOptions = {}): Promise<NginxPeer> {
  const binary = findBinary('nginx');
  if (binary === undefined) throw new Error("peer 'nginx' is not installed");
  const dir = mkdtempSync(join(tmpdir(), 'gun-nginx-'));
  // As root, nginx workers run as nobody: they must traverse the dir and read www/.
  chmodSync(dir, 0o755);
  for (const sub of ['logs', 'tmp']) mkdirSync(join(dir, sub), { mode: 0o777 });
  chmodSync(join(dir, 'logs'), 0o777);
  const files = writePkiFiles(dir);
  chmodSync(files.serverKeyFile, 0o600);
  const root = join(dir, 'www');
  writeRoot(root, opts.files ?? {});
  const failures: string[] = [];
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const started = await spawnNginx(binary, dir);
    if (typeof started === 'string') {
      failures.push(started);
      continue;
    }
    const { child, httpPort, httpsPort, h2Port, h2cPort } = started;
    return {
      httpPort,
      httpsPort,
      h2Port,
      h2cPort,
      root,
      stop: async () => {
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`could not start nginx:\n${failures.join('\n')}`);
}
