import { createWriteStream, readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { SingleBar } from 'cli-progress';
import { GunError, getHeader } from '@gunhttp/core';
import type { HeaderList, StreamRef } from '@gunhttp/core';
import type { AwaitResult } from '../awaiting.js';
import { open } from '../open.js';
import type { ConnMessage } from '../connection.js';
import type { GunOptions, ProtocolOption } from '../options.js';
import type { CliArgs } from './args.js';
import { ExitCodes, exitCodeFor } from './exit-codes.js';
import { CliFailure } from './failure.js';
import { firstHop, parseProxy, runChain } from './proxy.js';
import type { ChainSettings } from './proxy.js';
import { combineHandlers, describeNotify, formatHead, traceHandler, traceLine, verboseHandler } from './trace.js';
import { runWebsocket, websocketProtocols } from './ws.js';

export { CliFailure };

/** Where the command writes: stdout for the body, stderr for diagnostics; stdin feeds ws:// URLs. */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  /** Lines sent as text messages to a ws:// or wss:// URL; nothing is sent when absent. */
  readonly stdin?: Readable;
}


/** What the URL names. */
export interface Target {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly path: string;
  /** A ws:// or wss:// URL: a Websocket session instead of a request. */
  readonly websocket: boolean;
}

const SCHEMES: Readonly<Record<string, { readonly tls: boolean; readonly websocket: boolean } | undefined>> = {
  'http:': { tls: false, websocket: false },
  'https:': { tls: true, websocket: false },
  'ws:': { tls: false, websocket: true },
  'wss:': { tls: true, websocket: true },
};

/** Parses the URL: http, https, ws or wss. */
export function parseTarget(url: string): Target {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CliFailure(ExitCodes.BAD_URL, `gun: malformed URL: ${url}`);
  }
  const scheme = SCHEMES[u.protocol];
  if (scheme === undefined) throw new CliFailure(ExitCodes.BAD_URL, `gun: unsupported scheme ${u.protocol.slice(0, -1)} (http, https, ws and wss are)`);
  if (u.hostname === '') throw new CliFailure(ExitCodes.BAD_URL, `gun: no host in URL: ${url}`);
  const { tls, websocket } = scheme;
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  return { host, port: u.port === '' ? (tls ? 443 : 80) : Number(u.port), tls, path: `${u.pathname}${u.search}`, websocket };
}

function body(args: CliArgs): { bytes: Uint8Array; form: boolean } | undefined {
  if (args.dataBinary !== undefined) {
    if (!args.dataBinary.startsWith('@')) return { bytes: new TextEncoder().encode(args.dataBinary), form: false };
    try {
      return { bytes: readFileSync(args.dataBinary.slice(1)), form: false };
    } catch (e) {
      throw new CliFailure(ExitCodes.READ, `gun: cannot read ${args.dataBinary.slice(1)}: ${(e as Error).message}`);
    }
  }
  if (args.data !== undefined) return { bytes: new TextEncoder().encode(args.data), form: true };
  return undefined;
}

function options(args: CliArgs, target: Target, io: CliIo, start: number): GunOptions {
  const tlsOpts: Record<string, unknown> = {};
  if (args.insecure) tlsOpts.rejectUnauthorized = false;
  if (args.cacert !== undefined) {
    try {
      tlsOpts.ca = readFileSync(args.cacert, 'utf8');
    } catch (e) {
      throw new CliFailure(ExitCodes.READ, `gun: cannot read ${args.cacert}: ${(e as Error).message}`);
    }
  }
  const line = (s: string): void => void io.stderr.write(`${s}\n`);
  const eventHandler = combineHandlers(args.trace ? traceHandler(line, start) : undefined, args.verbose ? verboseHandler(line) : undefined);
  const protocols = protocolOptions(args, target);
  // --trace also shows what the server's SETTINGS and GOAWAY frames did (see `next`).
  const http2Opts = args.trace ? { ...protocols.http2Opts, notifySettingsChanged: true, notifyGoAway: true } : protocols.http2Opts;
  return {
    retry: 0,
    transport: target.tls ? 'tls' : 'tcp',
    tlsOpts,
    ...(args.connectTimeout === undefined ? {} : { connectTimeout: args.connectTimeout, domainLookupTimeout: args.connectTimeout, tlsHandshakeTimeout: args.connectTimeout }),
    ...protocols,
    ...(http2Opts === undefined ? {} : { http2Opts }),
    ...(eventHandler === undefined ? {} : { eventHandler }),
  };
}

/** `--http1.0`, `--http1.1`, `--http2`, `--http2-prior-knowledge`, as curl; the last HTTP/1 one wins over `--http2`. */
function protocolOptions(args: CliArgs, target: Target): GunOptions {
  if (target.websocket && !args.http10) return websocketProtocols(args, target);
  if (args.http10) return { protocols: ['http'], httpOpts: { version: 'HTTP/1.0' } };
  if (args.http11) return { protocols: ['http'] };
  if (args.http2PriorKnowledge) return { protocols: ['http2'] };
  return { protocols: target.tls ? ['http2', 'http'] : ['http'] };
}

/** The origin's protocols as a tunnel destination takes them (per-protocol options inline). */
function originProtocols(opts: GunOptions): ProtocolOption[] {
  const list = opts.protocols ?? ['http'];
  return list.map((p) => (p === 'http' && opts.httpOpts !== undefined ? { http: opts.httpOpts } : p));
}

function progressBar(args: CliArgs, io: CliIo, headers: HeaderList): SingleBar | undefined {
  const total = Number(getHeader(headers, 'content-length'));
  const bodyToTerminal = args.output === undefined && io.stdout.isTTY === true;
  if (!args.progress || io.stderr.isTTY !== true || bodyToTerminal || !(total >= 1 << 20)) return undefined;
  const bar = new SingleBar({ stream: io.stderr, format: ' {bar} {percentage}% | {value}/{total} bytes | {eta_formatted}', hideCursor: true });
  bar.start(total, 0);
  return bar;
}

async function write(out: Writable, chunk: Uint8Array): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Runs one request as the command line says, streaming the body to stdout or `-o FILE`.
 * Resolves with the exit code; never throws for network or protocol failures.
 */
export async function runCli(args: CliArgs, io: CliIo): Promise<number> {
  const target = parseTarget(args.url);
  const payload = target.websocket ? undefined : body(args);
  const start = performance.now();
  const opts = options(args, target, io, start);
  const proxies = args.proxy.map((url) => parseProxy(url, args.proxyHttp2));
  const chain: ChainSettings = { origin: target, originProtocols: originProtocols(opts), tlsOpts: opts.tlsOpts ?? {} };
  const via = proxies.length === 0 ? undefined : await firstHop(proxies, chain).catch((e: unknown) => {
    throw new CliFailure(ExitCodes.PROXY_DNS, `gun: could not resolve a host behind a socks5:// proxy: ${(e as Error).message}`);
  });
  const conn = via === undefined ? open(target.host, target.port, opts) : open(via.host, via.port, { ...opts, ...via.options });
  const traceNotify = (m: ConnMessage): void => {
    const text = args.trace && m.type === 'notify' ? describeNotify(m) : undefined;
    if (text !== undefined) io.stderr.write(`${traceLine(start, text)}\n`);
  };
  /** The stream's next message; connection `notify` messages are printed with `--trace` and skipped. */
  const next = async (ref: StreamRef): Promise<AwaitResult> => {
    for (;;) {
      const m = await conn.await(ref, Infinity);
      if (m.type !== 'notify') return m;
      traceNotify(m);
    }
  };
  let timedOut = false;
  const timer = args.maxTime === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    conn.close();
  }, args.maxTime);
  let output: Writable | undefined;
  try {
    const tunnel = proxies.length === 0 ? undefined : await runChain(conn, proxies, chain, args.connectTimeout ?? 30000);
    if (target.websocket) return await runWebsocket(conn, args, target, io);
    const headers: Array<[string, string]> = [...args.headers];
    if (payload?.form === true && !headers.some(([n]) => n.toLowerCase() === 'content-type')) {
      headers.push(['content-type', 'application/x-www-form-urlencoded']);
    }
    const method = args.method ?? (payload === undefined ? 'GET' : 'POST');
    const ref = conn.request(method, target.path, headers, payload?.bytes ?? new Uint8Array(0), tunnel === undefined ? {} : { tunnel });
    let res = await next(ref);
    // Informational responses are skipped and pushed resources refused, as curl does by default.
    while (res.type === 'inform' || res.type === 'push') {
      if (res.type === 'push') conn.cancel(res.newStreamRef);
      res = await next(ref);
    }
    if (res.type !== 'response') throw new CliFailure(ExitCodes.PROTOCOL, `gun: unexpected ${res.type} message`);
    if (args.include) io.stdout.write(formatHead(res.status, res.headers));
    output = args.output === undefined ? io.stdout : createWriteStream(args.output);
    const bar = res.fin ? undefined : progressBar(args, io, res.headers);
    let fin = res.fin;
    while (!fin) {
      const m = await next(ref);
      if (m.type === 'data') {
        await write(output, m.data);
        bar?.increment(m.data.length);
        fin = m.fin;
      } else if (m.type === 'trailers') fin = true;
    }
    bar?.stop();
    // A GOAWAY that came with the last DATA is queued already.
    for (let m = conn.owner.poll((x) => x.type === 'notify'); m !== undefined; m = conn.owner.poll((x) => x.type === 'notify')) traceNotify(m);
    if (output !== io.stdout) {
      output.end();
      await once(output, 'finish');
    }
    conn.shutdown();
    return args.fail && res.status >= 400 ? ExitCodes.HTTP_ERROR : ExitCodes.OK;
  } catch (error) {
    conn.close();
    if (error instanceof CliFailure) throw error;
    const code = timedOut ? ExitCodes.TIMEOUT : exitCodeFor(error);
    throw new CliFailure(code, `gun: ${timedOut ? `the transfer took longer than ${args.maxTime} ms` : describeError(error)}`);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** An error and its causes on one line, with the codes. */
export function describeError(error: unknown): string {
  let e: unknown = error;
  const parts: string[] = [];
  while (e instanceof Error) {
    parts.push(e instanceof GunError ? `${e.message} [${e.code}]` : e.message);
    e = e.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}
