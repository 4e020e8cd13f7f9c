/**
 * Websocket peers from Debian (see PEERS.md), run with the system `/usr/bin/python3` (the
 * `python3` on PATH may be a pyenv shim without Debian's modules):
 * - python3-websockets 10.4: an echo server, permessage-deflate on by default;
 * - python3-hypercorn 0.13.2: an ASGI app of ours, a Websocket echo at any path over HTTP/1.1
 *   upgrade, RFC 8441 over h2c (prior knowledge) and over TLS with ALPN h2, and a GET answer.
 * The scripts are written to a temp dir at run time. Check `requireWsPeer(name)` first: it
 * fails in CI when the module is missing and skips loudly elsewhere (as `requirePeer`).
 *
 *   write scripts ──> pick ports ──> spawn ──> all ports accept ──> running ──stop()──> SIGTERM ──> exited ──> dir removed
 *                        ▲             │
 *                        └─────────────┴── exits early (port taken meanwhile): pick again (at most 3 attempts)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, waitUntilUp } from './peer-process.js';
import { writePkiFiles } from './pki.js';

/** Debian's interpreter, which has the python3-* modules. */
const PYTHON = '/usr/bin/python3';
/** Startup attempts: a port picked free may be taken before the server binds it. */
const START_ATTEMPTS = 3;

/** The Python peers and the module each needs. */
export type WsPeerName = 'websockets' | 'hypercorn';

/**
 * The echo server. Text `close-me` makes it close with 4000 `bye`; text `ping-me` makes it
 * send a PING with payload `hi` first and echo after. max_size 2**25 lets 16 MiB messages in.
 */
const WEBSOCKETS_SCRIPT = `import asyncio, sys
import websockets

async def echo(ws, path=None):
    async for m in ws:
        if m == "close-me":
            await ws.close(4000, "bye")
            return
        if m == "ping-me":
            await ws.ping(b"hi")
        await ws.send(m)

async def main():
    port = int(sys.argv[1])
    compression = "deflate" if sys.argv[2] == "1" else None
    async with websockets.serve(echo, "127.0.0.1", port, max_size=2**25, compression=compression, ping_interval=None):
        await asyncio.Future()

asyncio.run(main())
`;

/** A raw ASGI app (no framework): lifespan, a Websocket echo at any path, and `hello PATH over VERSION`. */
const HYPERCORN_APP = `async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            m = await receive()
            if m["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif m["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    elif scope["type"] == "websocket":
        await receive()  # websocket.connect comes first
        await send({"type": "websocket.accept"})
        while True:
            m = await receive()
            if m["type"] == "websocket.disconnect":
                return
            if m.get("text") == "close-me":
                await send({"type": "websocket.close", "code": 4000})
                return
            if m.get("text") is not None:
                await send({"type": "websocket.send", "text": m["text"]})
            else:
                await send({"type": "websocket.send", "bytes": m.get("bytes") or b""})
    elif scope["type"] == "http":
        while (await receive()).get("more_body"):
            pass
        body = ("hello %s over %s" % (scope["path"], scope["http_version"])).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
`;

/** Whether Debian's python3 can import the peer's module. */
export function wsPeerAvailable(name: WsPeerName): boolean {
  const result = spawnSync(PYTHON, ['-c', `import ${name}`], { stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

/**
 * True when the peer is installed. When it is missing: throws in CI (`process.env.CI` set, so
 * CI fails instead of silently skipping), otherwise warns loudly and returns false. Use as
 * `const d = requireWsPeer('hypercorn') ? describe : describe.skip;`.
 */
export function requireWsPeer(name: WsPeerName): boolean {
  if (wsPeerAvailable(name)) return true;
  const message = `peer python3-${name} is not installed for ${PYTHON} (see PEERS.md; .ci/run installs it with apt-get)`;
  if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(`${message}: required in CI`);
  console.warn(`\n!!! SKIPPING TESTS: ${message} !!!\n`);
  return false;
}

/** A running Python peer. */
export interface PythonWsPeer {
  /** Cleartext port on 127.0.0.1 (HTTP/1.1, and h2c with prior knowledge for hypercorn). */
  readonly port: number;
  /** hypercorn with `tls: true`: the TLS port (ALPN h2 and http/1.1, the PKI's `server` certificate). */
  readonly tlsPort: number | undefined;
  /** Stops the server by pid (SIGTERM, SIGKILL after 2 s), waits for its exit and removes the temp dir. */
  stop(): Promise<void>;
}

type Launch = (ports: readonly number[]) => string[];

async function spawnOnce(dir: string, portCount: number, args: Launch): Promise<{ child: ChildProcess; ports: number[] } | string> {
  const ports: number[] = [];
  for (let i = 0; i < portCount; i++) ports.push(await freePort());
  const child = spawn(PYTHON, args(ports), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  child.on('error', (e) => (stderr += String(e)));
  const outcome = await waitUntilUp(child, ports);
  if (outcome === 'up') return { child, ports };
  await stopChild(child);
  return `${outcome === 'exited' ? 'exited' : 'did not accept within 5 s'} (ports ${ports.join(', ')}): ${stderr.trim()}`;
}

async function startPython(name: WsPeerName, dir: string, portCount: number, args: Launch): Promise<PythonWsPeer> {
  const failures: string[] = [];
  try {
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const started = await spawnOnce(dir, portCount, args);
      if (typeof started === 'string') {
        failures.push(started);
        continue;
      }
      const { child, ports } = started;
      return {
        port: ports[0]!,
        tlsPort: ports[1],
        stop: async () => {
          await stopChild(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`could not start ${name}:\n${failures.join('\n')}`);
}

/**
 * Starts the python3-websockets echo server on 127.0.0.1 (port picked at run time).
 * `deflate` (default true) offers permessage-deflate. Echoes every message; text `close-me`
 * → close 4000 `bye`; text `ping-me` → a PING with payload `hi`, then the echo. Resolves once
 * the port accepts connections; rejects after three failed attempts.
 */
export async function startPythonWebsockets(opts: { deflate?: boolean } = {}): Promise<PythonWsPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'gun-pyws-'));
  writeFileSync(join(dir, 'echo.py'), WEBSOCKETS_SCRIPT);
  const deflate = opts.deflate ?? true;
  return startPython('websockets', dir, 1, ([port]) => ['echo.py', String(port), deflate ? '1' : '0']);
}

/**
 * Starts hypercorn (one worker) with our ASGI app: `port` is cleartext (HTTP/1.1 with Websocket
 * upgrade, and h2c with prior knowledge where SETTINGS_ENABLE_CONNECT_PROTOCOL=1 allows RFC 8441);
 * with `tls: true` also `tlsPort` (ALPN h2 and http/1.1, the test PKI's `server` certificate).
 * A Websocket at any path echoes (text `close-me` → close 4000); a GET answers
 * `hello PATH over HTTP_VERSION`. Resolves once every port accepts connections.
 */
export async function startHypercorn(opts: { tls?: boolean } = {}): Promise<PythonWsPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'gun-hypercorn-'));
  writeFileSync(join(dir, 'app.py'), HYPERCORN_APP);
  const tls = opts.tls === true;
  const pki = tls ? writePkiFiles(dir) : undefined;
  return startPython('hypercorn', dir, tls ? 2 : 1, ([port, tlsPort]) => {
    const args = ['-m', 'hypercorn', '--workers', '1', '--graceful-timeout', '0'];
    // With a certificate `--bind` is the TLS listener and `--insecure-bind` the cleartext one;
    // without, hypercorn ignores `--insecure-bind` and serves cleartext on `--bind`.
    if (pki === undefined) args.push('--bind', `127.0.0.1:${port}`);
    else args.push('--insecure-bind', `127.0.0.1:${port}`, '--bind', `127.0.0.1:${tlsPort}`, '--certfile', pki.serverCertFile, '--keyfile', pki.serverKeyFile);
    return [...args, 'app:app'];
  });
}
