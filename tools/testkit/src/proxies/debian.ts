/**
 * Debian proxies as real peers for the tunnel tests (configurations from PEERS.md): squid
 * (HTTP/1.1 CONNECT, Basic auth), danted and microsocks (SOCKS5, RFC 1929), nghttpx -s (HTTP/2
 * forward proxy in front of an HTTP/1 proxy). Each runs in the foreground from a fresh temp dir
 * (mode 777: squid and danted drop privileges) and is stopped by pid.
 *
 * Check {@link requireProxyPeer} first: a missing peer fails in CI and skips loudly elsewhere.
 *
 *   write dir ──> pick port ──> write config ──> spawn ──> port accepts ──> running ──close()──> SIGTERM ──> exited ──> dir removed
 *                    ^                             │
 *                    └─────────────────────────────┴── exits early (port taken meanwhile): again (at most 3 attempts)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, freePort, stopChild, waitUntilUp } from '../peer-process.js';
import { writePkiFiles } from '../pki.js';
import type { ProxyCredentials } from './proxy-record.js';

/** The Debian programs these wrappers run (`htpasswd` is apache2-utils, for squid's password file). */
export type ProxyPeerName = 'squid' | 'danted' | 'microsocks' | 'nghttpx' | 'htpasswd';

/** A running Debian proxy. */
export interface DebianProxy {
  /** The port on 127.0.0.1. */
  readonly port: number;
  readonly host: '127.0.0.1';
  /** Whether clients speak TLS to it (nghttpx with `tls`, the test PKI `server` certificate). */
  readonly tls: boolean;
  /** `http://`, `https://` or `socks5://` + `127.0.0.1:PORT`. */
  readonly url: string;
  /** The temp dir holding the configuration and logs. */
  readonly dir: string;
  /**
   * What the peer logged so far: its log file (squid's access.log, danted's log, nghttpx's
   * access log) followed by its captured stdout and stderr. Lines come when a tunnel closes.
   */
  log(): string;
  /** Stops the peer by pid (SIGTERM, SIGKILL after 2 s), waits for its exit, removes `dir`. */
  close(): Promise<void>;
}

/** Startup attempts: a port picked free may be taken before the peer binds it. */
const START_ATTEMPTS = 3;
/** Captured output kept per peer (octets): enough for diagnostics, bounded for long runs. */
const OUTPUT_LIMIT = 64 * 1024;

/** Whether the program is installed (in /usr/sbin, /usr/bin or PATH). */
export function proxyPeerAvailable(name: ProxyPeerName): boolean {
  return findBinary(name) !== undefined;
}

/**
 * True when the program is installed. When it is missing: throws in CI (`process.env.CI` set),
 * otherwise warns loudly and returns false (the `requirePeer` pattern of peers.ts).
 */
export function requireProxyPeer(name: ProxyPeerName): boolean {
  if (proxyPeerAvailable(name)) return true;
  const message = `proxy peer '${name}' is not installed (see PEERS.md; .ci/run installs it with apt-get)`;
  if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(`${message}: required in CI`);
  console.warn(`\n!!! SKIPPING TESTS: ${message} !!!\n`);
  return false;
}

/** Whether a local account exists (danted's RFC 1929 method checks the system password database). */
export function systemAccountExists(username: string): boolean {
  if (!existsSync('/etc/passwd')) return false;
  return readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .some((line) => line.startsWith(`${username}:`));
}

interface PeerSpec {
  readonly name: ProxyPeerName;
  readonly dir: string;
  readonly tls: boolean;
  readonly scheme: 'http' | 'https' | 'socks5';
  /** The log file read by `log()`, if the peer writes one. */
  readonly logFile?: string;
  /** Writes the configuration for `port` and returns the arguments. */
  readonly argsFor: (port: number) => string[];
}

function binaryOf(name: ProxyPeerName): string {
  const binary = findBinary(name);
  if (binary === undefined) throw new Error(`proxy peer '${name}' is not installed (see PEERS.md)`);
  return binary;
}

function makeDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gun-${name}-`));
  chmodSync(dir, 0o777);
  return dir;
}

async function spawnOnce(spec: PeerSpec, binary: string): Promise<{ child: ChildProcess; port: number; output: () => string } | string> {
  const port = await freePort();
  const child = spawn(binary, spec.argsFor(port), { cwd: spec.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const capture = (chunk: Buffer): void => {
    if (output.length < OUTPUT_LIMIT) output += chunk.toString();
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);
  child.on('error', (e) => (output += String(e)));
  const outcome = await waitUntilUp(child, [port]);
  if (outcome === 'up') return { child, port, output: () => output };
  await stopChild(child);
  return `${spec.name} ${outcome === 'exited' ? 'exited' : 'did not accept within 5 s'} (port ${port}): ${output.trim()}`;
}

async function launch(spec: PeerSpec): Promise<DebianProxy> {
  try {
    const binary = binaryOf(spec.name);
    const failures: string[] = [];
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const started = await spawnOnce(spec, binary);
      if (typeof started === 'string') {
        failures.push(started);
        continue;
      }
      const { child, port, output } = started;
      const logFile = spec.logFile;
      return {
        port,
        host: '127.0.0.1',
        tls: spec.tls,
        url: `${spec.scheme}://127.0.0.1:${port}`,
        dir: spec.dir,
        log: () => (logFile !== undefined && existsSync(logFile) ? readFileSync(logFile, 'utf8') : '') + output(),
        close: async () => {
          await stopChild(child);
          rmSync(spec.dir, { recursive: true, force: true });
        },
      };
    }
    throw new Error(`could not start ${spec.name}:\n${failures.join('\n')}`);
  } catch (error) {
    rmSync(spec.dir, { recursive: true, force: true });
    throw error;
  }
}

function squidConfig(dir: string, port: number, auth: ProxyCredentials | undefined): string {
  const access =
    auth === undefined
      ? ['acl local src 127.0.0.0/8', 'http_access allow local']
      : [
          `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${join(dir, 'passwd')}`,
          'auth_param basic realm gun-test',
          'acl authed proxy_auth REQUIRED',
          'http_access allow authed',
        ];
  // No `deny CONNECT !SSL_ports`: CONNECT to any port is allowed (test origins use random ports).
  return [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${join(dir, 'squid.pid')}`,
    `cache_log ${join(dir, 'cache.log')}`,
    `access_log stdio:${join(dir, 'access.log')}`,
    `coredump_dir ${dir}`,
    'cache deny all',
    'pinger_enable off',
    'shutdown_lifetime 1 seconds',
    ...access,
    'http_access deny all',
    '',
  ].join('\n');
}

/** Writes squid's password file with `htpasswd -bc` (apache2-utils), readable by user `proxy`. */
async function writeHtpasswd(file: string, auth: ProxyCredentials): Promise<void> {
  const child = spawn(binaryOf('htpasswd'), ['-bc', file, auth.username, auth.password], { stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`htpasswd exited with ${String(code)}`);
  chmodSync(file, 0o644);
}

/**
 * Starts squid 5 (`squid -N -f squid.conf`) as an HTTP/1.1 CONNECT proxy on 127.0.0.1: with
 * `auth`, Basic authentication against an htpasswd file (407 + `Proxy-Authenticate: Basic
 * realm="gun-test"` without good credentials); without, open to 127.0.0.0/8. CONNECT to any port.
 * `log()` is squid's access.log (`TCP_TUNNEL/200 ... CONNECT host:port user ...`). Check
 * `requireProxyPeer('squid')` and, with `auth`, `requireProxyPeer('htpasswd')` first.
 */
export async function startSquid(opts: { auth?: ProxyCredentials } = {}): Promise<DebianProxy> {
  const dir = makeDir('squid');
  try {
    if (opts.auth !== undefined) await writeHtpasswd(join(dir, 'passwd'), opts.auth);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const argsFor = (port: number): string[] => {
    writeFileSync(join(dir, 'squid.conf'), squidConfig(dir, port, opts.auth));
    return ['-N', '-f', join(dir, 'squid.conf')];
  };
  return launch({ name: 'squid', dir, tls: false, scheme: 'http', logFile: join(dir, 'access.log'), argsFor });
}

function dantedConfig(dir: string, port: number, method: 'none' | 'username'): string {
  // danted's parser wants each rule keyword on its own line.
  return `logoutput: ${join(dir, 'danted.log')}
internal: 127.0.0.1 port = ${port}
external: 127.0.0.1
socksmethod: ${method}
clientmethod: none
user.privileged: root
user.unprivileged: nobody
client pass {
  from: 127.0.0.0/8 to: 0.0.0.0/0
  log: error connect disconnect
}
socks pass {
  from: 127.0.0.0/8 to: 0.0.0.0/0
  command: connect
  socksmethod: ${method}
  log: error connect disconnect
}
`;
}

/**
 * Starts dante-server (`danted -f danted.conf -p danted.pid`) as a SOCKS5 server on 127.0.0.1,
 * CONNECT only: method 00 without `auth`; with `auth`, RFC 1929 checked against the system
 * password database, so the account must exist with that password (PEERS.md: `useradd -M -s
 * /usr/sbin/nologin socksuser; echo socksuser:s3cret | chpasswd`); rejects when it does not
 * ({@link systemAccountExists}). `log()` is danted's log (connect/disconnect lines).
 */
export async function startDanted(opts: { auth?: ProxyCredentials } = {}): Promise<DebianProxy> {
  const { auth } = opts;
  if (auth !== undefined && !systemAccountExists(auth.username)) {
    throw new Error(`danted checks RFC 1929 credentials against system accounts: create '${auth.username}' first (see PEERS.md), or use startMicrosocks`);
  }
  const dir = makeDir('danted');
  const method = auth === undefined ? 'none' : 'username';
  const argsFor = (port: number): string[] => {
    writeFileSync(join(dir, 'danted.conf'), dantedConfig(dir, port, method));
    return ['-f', join(dir, 'danted.conf'), '-p', join(dir, 'danted.pid')];
  };
  return launch({ name: 'danted', dir, tls: false, scheme: 'socks5', logFile: join(dir, 'danted.log'), argsFor });
}

/**
 * Starts microsocks (`microsocks -i 127.0.0.1 -p PORT [-u USER -P PASS]`) as a SOCKS5 server:
 * method 00 without `auth`, RFC 1929 with these credentials otherwise (no system account
 * needed; a greeting offering only 00 then gets `05 FF`). `log()` is its captured output.
 */
export async function startMicrosocks(opts: { auth?: ProxyCredentials } = {}): Promise<DebianProxy> {
  const dir = makeDir('microsocks');
  const { auth } = opts;
  const argsFor = (port: number): string[] => ['-i', '127.0.0.1', '-p', String(port), ...(auth === undefined ? [] : ['-u', auth.username, '-P', auth.password])];
  return launch({ name: 'microsocks', dir, tls: false, scheme: 'socks5', argsFor });
}

/**
 * Starts nghttpx as an HTTP/2 forward proxy (`nghttpx --conf=/dev/null -s --workers=1`) on
 * 127.0.0.1 in front of the HTTP/1 proxy at `backendPort` (squid): h2c with prior knowledge, or
 * TLS with ALPN h2 and the test PKI `server` certificate when `tls` is set. CONNECT streams
 * (with `proxy-authorization`, relayed to squid) become tunnels; squid's 407 comes back as an
 * HTTP/2 response. `--conf=/dev/null` keeps the packaged config (frontend 3000, syslog) away.
 * `log()` is nghttpx's access log.
 */
export async function startNghttpxProxy(opts: { tls?: boolean; backendPort: number }): Promise<DebianProxy> {
  const tls = opts.tls === true;
  const dir = makeDir('nghttpx');
  const files = tls ? writePkiFiles(dir) : undefined;
  const argsFor = (port: number): string[] => [
    '--conf=/dev/null',
    '-s',
    `--frontend=127.0.0.1,${port}${tls ? '' : ';no-tls'}`,
    `--backend=127.0.0.1,${opts.backendPort}`,
    '--workers=1',
    `--accesslog-file=${join(dir, 'access.log')}`,
    `--errorlog-file=${join(dir, 'error.log')}`,
    ...(files === undefined ? [] : [files.serverKeyFile, files.serverCertFile]),
  ];
  return launch({ name: 'nghttpx', dir, tls, scheme: tls ? 'https' : 'http', logFile: join(dir, 'access.log'), argsFor });
}
