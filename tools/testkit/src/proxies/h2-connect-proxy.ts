/**
 * An HTTP/2 CONNECT proxy (RFC 9113 §8.5) on node:http2: h2c with prior knowledge, or TLS with
 * ALPN `h2`. Each CONNECT stream becomes a tunnel to `:authority` while other streams go on.
 *
 *   HEADERS :method CONNECT, :authority host:port
 *          │
 *          ├── :authority not host:port, or :scheme / :path present ──> 400, END_STREAM
 *          ├── reply 'reset' ──────────────────────────────────────────> RST_STREAM CONNECT_ERROR
 *          ├── credentials missing or wrong ───────────────────────────> 407 + proxy-authenticate, END_STREAM
 *          ├── denied host or port ────────────────────────────────────> 403, END_STREAM
 *          ├── forced non-2xx reply ───────────────────────────────────> that status, END_STREAM
 *          └── dial target ──fails──> 502, END_STREAM
 *                   └──connects──> :status 200 (or the forced 2xx) ──> DATA <-> target bytes
 *
 * Other methods are answered 405.
 */
import { constants, createSecureServer, createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
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

/** Options of {@link startH2ConnectProxy}. */
export interface H2ConnectProxyOptions extends ConnectPolicy {
  /** TLS with the test PKI's `server` certificate and ALPN `h2`; otherwise h2c (prior knowledge). */
  readonly tls?: boolean;
  /**
   * Force the answer: a status (a 2xx still opens the tunnel; anything else refuses it) or
   * `'reset'` to reset the stream with CONNECT_ERROR (RFC 9113 §8.5) without answering.
   */
  readonly reply?: number | 'reset';
}

function respond(opts: H2ConnectProxyOptions, stream: ServerHttp2Stream, status: number, headers: Record<string, string>, endStream: boolean): void {
  if (stream.destroyed) return;
  const extra = Object.fromEntries(opts.responseHeaders ?? []);
  stream.respond({ ...extra, ...headers, ':status': status }, { endStream });
}

function onConnectStream(opts: H2ConnectProxyOptions, live: LiveSet, record: ProxyRecord, stream: ServerHttp2Stream): void {
  answerConnect(opts, live, record, {
    drop: () => stream.close(constants.NGHTTP2_CONNECT_ERROR),
    refuse: (status, challenge) => respond(opts, stream, status, challenge ? { 'proxy-authenticate': PROXY_CHALLENGE } : {}, true),
    open: (status, target) => {
      if (stream.destroyed) {
        target.destroy();
        record.state = 'closed';
        return;
      }
      respond(opts, stream, status, {}, false);
      splice(record, stream, target);
    },
  });
}

function onStream(opts: H2ConnectProxyOptions, live: LiveSet, records: ProxyRecord[], stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: readonly string[] | undefined): void {
  stream.on('error', () => undefined);
  if (headers[':method'] !== 'CONNECT') {
    respond(opts, stream, 405, { allow: 'CONNECT' }, true);
    return;
  }
  const authority = headers[':authority'];
  const target = parseAuthority(typeof authority === 'string' ? authority : '');
  // RFC 9113 §8.5: a classic CONNECT omits :scheme and :path.
  if (target === undefined || headers[':scheme'] !== undefined || headers[':path'] !== undefined) {
    respond(opts, stream, 400, {}, true);
    return;
  }
  const proxyAuthorization = headers['proxy-authorization'];
  const credentials = parseBasic(typeof proxyAuthorization === 'string' ? proxyAuthorization : undefined);
  const record = newRecord({ kind: 'h2-connect', ...target, headers: headerPairs(rawHeaders ?? []), credentials });
  records.push(record);
  onConnectStream(opts, live, record, stream);
}

function makeServer(tls: boolean): Http2Server {
  if (!tls) return createServer();
  const { server } = getTestPki();
  return createSecureServer({ key: server.keyPem, cert: server.certPem, ALPNProtocols: ['h2'] });
}

/**
 * Starts an HTTP/2 CONNECT proxy on 127.0.0.1 (port picked at run time): h2c with prior
 * knowledge, or TLS (test PKI `server` certificate, ALPN `h2`) when `tls` is set. A CONNECT
 * stream (`:method CONNECT`, `:authority host:port`, no `:scheme`/`:path`) is answered
 * `:status 200` and its DATA piped to a TCP connection to the target; refusals end the stream:
 * 407 + `proxy-authenticate: Basic realm="gun-test"` (with `auth`, on missing or wrong
 * credentials), 403 (denied host or port), 502 (target unreachable), 400 (malformed CONNECT).
 * Every well-formed CONNECT is recorded, pseudo-header fields included in `headers`.
 */
export async function startH2ConnectProxy(opts: H2ConnectProxyOptions = {}): Promise<TestProxy> {
  const tls = opts.tls === true;
  const server = makeServer(tls);
  const live = new LiveSet();
  const records: ProxyRecord[] = [];
  server.on('session', (session) => {
    session.on('error', () => undefined);
    live.accept(session);
  });
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders?: readonly string[]) =>
    onStream(opts, live, records, stream, headers, rawHeaders),
  );
  const port = await listenLocal(server);
  return runningProxy(server, live, records, { port, tls, url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}` });
}
