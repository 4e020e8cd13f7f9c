/**
 * nghttpd (Debian nghttp2-server, see PEERS.md) as an HTTP/2 origin for integration tests:
 * files served from a temp dir, server push with `-p`, h2c (prior knowledge) or TLS with ALPN h2.
 * Check `requirePeer('nghttpd')` first (it fails in CI when nghttpd is missing).
 *
 *   write dir ──> pick port ──> spawn ──> TCP connect succeeds ──> running ──stop()──> SIGTERM ──> exited ──> dir removed
 *                    ^            │
 *                    └────────────┴── exits early (port taken meanwhile): pick again (at most 3 attempts)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import { findBinary, freePort, stopChild, waitUntilUp } from './peer-process.js';

/** Options of {@link startNghttpd}. */
export interface NghttpdOptions {
  /** Files to serve: URL path (`'/index.html'` or `'a/b.txt'`) → content, written under `dir/www`. */
  docroot?: Record<string, string | Uint8Array>;
  /** Server push (`-p PATH=PUSH,...`): a request for the key pushes the listed paths. */
  push?: Record<string, string[]>;
  /** PEM key and certificate: TLS with ALPN h2. Omitted: `--no-tls`, h2c with prior knowledge only. */
  tls?: { key: string; cert: string };
}

/** A running nghttpd; see {@link startNghttpd}. */
export interface NghttpdPeer {
  /** The port on 127.0.0.1. */
  port: number;
  /** The temp dir (the document root is `dir/www`). */
  dir: string;
  /** Kills nghttpd by pid (SIGTERM, SIGKILL after 2 s), waits for its exit and removes `dir`. */
  stop(): Promise<void>;
}

/** Startup attempts: a port picked free may be taken before nghttpd binds it. */
const START_ATTEMPTS = 3;

/** Writes the files under `root`; a path may not leave it. */
function writeDocroot(root: string, files: Record<string, string | Uint8Array>): void {
  mkdirSync(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const relative = normalize(path.replace(/^\/+/, ''));
    if (relative === '.' || relative.startsWith('..') || relative.split(sep).includes('..')) throw new Error(`docroot path ${path} leaves the document root`);
    const file = join(root, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

function nghttpdArgs(opts: NghttpdOptions, root: string, port: number, tlsFiles: [string, string] | undefined): string[] {
  const args = tlsFiles === undefined ? ['--no-tls'] : [];
  args.push('-a', '127.0.0.1', '-d', root);
  for (const [path, pushed] of Object.entries(opts.push ?? {})) args.push(`-p${path}=${pushed.join(',')}`);
  args.push(String(port));
  if (tlsFiles !== undefined) args.push(...tlsFiles);
  return args;
}

async function spawnOnce(binary: string, opts: NghttpdOptions, dir: string, tlsFiles: [string, string] | undefined): Promise<{ child: ChildProcess; port: number } | string> {
  const port = await freePort();
  const child = spawn(binary, nghttpdArgs(opts, join(dir, 'www'), port, tlsFiles), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  child.on('error', (e) => (stderr += String(e)));
  const outcome = await waitUntilUp(child, [port]);
  if (outcome === 'up') return { child, port };
  await stopChild(child);
  return `nghttpd ${outcome === 'exited' ? 'exited' : 'did not accept within 5 s'} (port ${port}): ${stderr.trim()}`;
}

/**
 * Starts `nghttpd [--no-tls] -a 127.0.0.1 -d DIR/www [-pPATH=PUSH,...] PORT [key cert]` from a
 * fresh temp dir holding `opts.docroot` (and the TLS key and certificate when `opts.tls` is
 * given), on a port picked free at run time. Resolves once a TCP connection to the port succeeds
 * (polled, 5 s deadline); rejects after three failed attempts or when nghttpd is not installed.
 */
export async function startNghttpd(opts: NghttpdOptions = {}): Promise<NghttpdPeer> {
  const binary = findBinary('nghttpd');
  if (binary === undefined) throw new Error("peer 'nghttpd' is not installed (see PEERS.md)");
  const dir = mkdtempSync(join(tmpdir(), 'gun-nghttpd-'));
  try {
    writeDocroot(join(dir, 'www'), opts.docroot ?? {});
    let tlsFiles: [string, string] | undefined;
    if (opts.tls !== undefined) {
      tlsFiles = [join(dir, 'server.key'), join(dir, 'server.crt')];
      writeFileSync(tlsFiles[0], opts.tls.key);
      chmodSync(tlsFiles[0], 0o600);
      writeFileSync(tlsFiles[1], opts.tls.cert);
    }
    const failures: string[] = [];
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const started = await spawnOnce(binary, opts, dir, tlsFiles);
      if (typeof started === 'string') {
        failures.push(started);
        continue;
      }
      const { child, port } = started;
      return {
        port,
        dir,
        stop: async () => {
          await stopChild(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    throw new Error(`could not start nghttpd:\n${failures.join('\n')}`);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
