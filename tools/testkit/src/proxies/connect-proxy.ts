/**
 * An HTTP/1.1 CONNECT proxy (RFC 9110 §9.3.6) on node:http's `connect` event, over TCP or TLS,
 * recording every tunnel it is asked for.
 *
 *   CONNECT host:port ──> bad target ──────────────────> 400, close
 *          │
 *          ├── reply 'close' ─────────────────────────> connection dropped, no answer
 *          ├── credentials missing or wrong ──────────> 407 + proxy-authenticate, close
 *          ├── denied host or port ───────────────────> 403, close
 *          ├── forced non-2xx reply ──────────────────> that status, close
 *          └── dial target ──fails──> 502, close
 *                   └──connects──> 200 (or the forced 2xx) ──> bytes piped both ways
 *
 * Refusals carry `content-length: 0` and `connection: close` and end the connection, so a client
 * retrying with credentials opens a new one.
 */
import { STATUS_CODES, createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { getTestPki } from '../pki.js';
import {
  LiveSet,
  PROXY_CHALLENGE,
  answerConnect,
  headerPairs,
  listenLocal,
  newRecord,
  parseAuthority,
  parseBasic,
  runningProxy,
  splice,
  type ConnectPolicy,
  type ProxyRecord,
  type TestProxy,
} from './proxy-record.js';

/** Options of {@link startConnectProxy}. */
export interface ConnectProxyOptions extends ConnectPolicy {
  /** Serve TLS with the test PKI's `server` certificate (ALPN `http/1.1`). */
  readonly tls?: boolean;
  /**
   * Force the answer: a status (a 2xx still opens the tunnel, as 201 must count as success;
   * anything else refuses it), or `'close'` to drop the connection without answering (a proxy
   * closing mid-handshake). Checked after authentication and the deny lists.
   */
  readonly reply?: number | 'close';
  /** The status line's version: `'1.1'` (default) or `'1.0'` (as tinyproxy answers). */
  readonly httpVersion?: '1.0' | '1.1';
  /** Wait this long before answering (ms); for slow-proxy tests. Default 0. */
  readonly delayMs?: number;
}

function statusHead(opts: ConnectProxyOptions, status: number, extra: ReadonlyArray<readonly [string, string]>): string {
  const reason = status === 200 ? 'Connection established' : (STATUS_CODES[status] ?? 'Unknown');
  const lines = [`HTTP/${opts.httpVersion ?? '1.1'} ${status} ${reason}`];
  for (const [name, value] of [...extra, ...(opts.responseHeaders ?? [])]) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function answer(opts: ConnectProxyOptions, live: LiveSet, record: ProxyRecord, socket: Socket, head: Buffer): void {
  answerConnect(opts, live, record, {
    drop: () => socket.destroy(),
    refuse: (status, challenge) => {
      const extra: Array<[string, string]> = challenge ? [['proxy-authenticate', PROXY_CHALLENGE]] : [];
      socket.end(statusHead(opts, status, [...extra, ['content-length', '0'], ['connection', 'close']]));
    },
    open: (status, target) => {
      socket.write(statusHead(opts, status, []));
      splice(record, socket, target, head);
    },
  });
}

function onConnect(opts: ConnectProxyOptions, live: LiveSet, records: ProxyRecord[], req: IncomingMessage, socket: Socket, head: Buffer): void {
  socket.on('error', () => undefined);
  const target = parseAuthority(req.url ?? '');
  if (target === undefined) {
    socket.end(statusHead(opts, 400, [['content-length', '0'], ['connection', 'close']]));
    return;
  }
  const credentials = parseBasic(req.headers['proxy-authorization']);
  const record = newRecord({ kind: 'connect', ...target, headers: headerPairs(req.rawHeaders), credentials });
  records.push(record);
  const delay = opts.delayMs ?? 0;
  if (delay <= 0) {
    answer(opts, live, record, socket, head);
    return;
  }
  const timer = setTimeout(() => answer(opts, live, record, socket, head), delay);
  socket.once('close', () => clearTimeout(timer));
}

function makeServer(tls: boolean): HttpServer {
  if (!tls) return createHttpServer();
  const { server } = getTestPki();
  return createHttpsServer({ key: server.keyPem, cert: server.certPem, ALPNProtocols: ['http/1.1'] });
}

/**
 * Starts an HTTP/1.1 CONNECT proxy on 127.0.0.1 (port picked at run time), over TLS with the
 * test PKI's `server` certificate (valid for localhost and 127.0.0.1) when `tls` is set.
 * Answers: 200 and a byte pipe to the target; 407 with `proxy-authenticate: Basic
 * realm="gun-test"` when `auth` is set and the Basic credentials are missing or wrong; 403 for a
 * denied host (`denyHosts`, default `deny.invalid`) or port (`denyPorts`); 502 when the target
 * refuses the connection; 400 for a target that is not `host:port`; `reply` forces an answer.
 * Every CONNECT with a valid target is recorded (see {@link ProxyRecord}). Requests other than
 * CONNECT are answered 405.
 */
export async function startConnectProxy(opts: ConnectProxyOptions = {}): Promise<TestProxy> {
  const tls = opts.tls === true;
  const server = makeServer(tls);
  const live = new LiveSet();
  const records: ProxyRecord[] = [];
  server.on('connection', (socket: Socket) => live.accept(socket));
  server.on('tlsClientError', () => undefined);
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => onConnect(opts, live, records, req, socket, head));
  server.on('request', (_req, res) => {
    res.writeHead(405, { allow: 'CONNECT', 'content-length': 0 });
    res.end();
  });
  const port = await listenLocal(server);
  return runningProxy(server, live, records, { port, tls, url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}` }, () => server.closeAllConnections());
}
