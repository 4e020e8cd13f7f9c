/**
 * What every test proxy shares: the record of one tunnel, the running-proxy shape, Basic
 * credentials, the target policy (deny lists), and the byte-counting pipe between the client
 * side and the target socket.
 *
 * A tunnel record moves through:
 *
 *   request seen ──> connecting ──target connects──> open ──either side ends──> closed
 *        │               │
 *        │               └──target fails──> refused (502 / SOCKS 01-08)
 *        └──auth fails, denied, forced reply──> refused (407 / 403 / forced status)
 */
import { once, type EventEmitter } from 'node:events';
import { connect, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Which test proxy made a record. */
export type ProxyKind = 'connect' | 'h2-connect' | 'socks5';

/** Username and password, as configured on a proxy or as presented by a client. */
export interface ProxyCredentials {
  readonly username: string;
  readonly password: string;
}

/** The life of a tunnel, as in the diagram above. */
export type TunnelState = 'connecting' | 'open' | 'refused' | 'closed';

/** SOCKS5 details of a record (RFC 1928 §3, §4). */
export interface SocksDetails {
  /** The methods offered in the greeting, in order (0x00 none, 0x02 username/password). */
  readonly methods: number[];
  /** The method the server chose. */
  readonly method: number;
  /** The ATYP of the request: 0x01 IPv4, 0x03 domain name, 0x04 IPv6. */
  readonly addressType: 'ipv4' | 'domain' | 'ipv6';
}

/** One tunnel request as a test proxy saw and answered it. */
export interface ProxyRecord {
  readonly kind: ProxyKind;
  /** The requested host: a name, a dotted IPv4 address or an IPv6 address without brackets. */
  readonly host: string;
  readonly port: number;
  /** `host:port`, IPv6 in brackets (`[::1]:443`). */
  readonly target: string;
  /**
   * The request's header fields in wire order, names lowercased, duplicates kept; HTTP/2
   * pseudo-header fields included. Empty for SOCKS.
   */
  readonly headers: Array<[string, string]>;
  /** The credentials the client presented (Basic `proxy-authorization` or RFC 1929), if any. */
  readonly credentials: ProxyCredentials | undefined;
  /** SOCKS5 only. */
  readonly socks?: SocksDetails;
  /** The answer: an HTTP status (200, 403, 407, 502...) or a SOCKS5 REP code (0 = succeeded). */
  status: number;
  state: TunnelState;
  /** Octets forwarded from the client to the target. */
  bytesUp: number;
  /** Octets forwarded from the target to the client. */
  bytesDown: number;
}

/** A running test proxy or echo origin. */
export interface TestProxy {
  /** The port on 127.0.0.1. */
  readonly port: number;
  readonly host: '127.0.0.1';
  /** Whether clients must speak TLS to the proxy (test PKI `server` certificate). */
  readonly tls: boolean;
  /** A URL for the proxy: `http://`, `https://`, `socks5://` or `socks5s://` + `127.0.0.1:PORT`. */
  readonly url: string;
  /** Every tunnel request in arrival order; counters and state are updated live. */
  readonly records: ProxyRecord[];
  /** Connections (HTTP/2: sessions) accepted so far. */
  readonly connections: number;
  /** Destroys live sockets and tunnels, then stops listening. */
  close(): Promise<void>;
}

/** Which targets a proxy refuses with 403 / SOCKS REP 02. */
export interface TargetPolicy {
  /** Refused hosts, compared case-insensitively. Default: `['deny.invalid']`. */
  readonly denyHosts?: readonly string[];
  /** Refused ports. Default: none. */
  readonly denyPorts?: readonly number[];
}

/** What the HTTP/1.1 and HTTP/2 CONNECT proxies share in their options. */
export interface ConnectPolicy extends TargetPolicy {
  /** Require `proxy-authorization: Basic` with these credentials (407 otherwise). */
  readonly auth?: ProxyCredentials;
  /** Extra header fields on every answer (e.g. `transfer-encoding` a client must ignore on a 2xx). */
  readonly responseHeaders?: ReadonlyArray<readonly [string, string]>;
}

/** The default denied host: `.invalid` never resolves (RFC 6761 §6.4), so nothing real is hit. */
export const DEFAULT_DENY_HOSTS: readonly string[] = ['deny.invalid'];

/** Whether the policy refuses `host:port`. */
export function isDenied(policy: TargetPolicy, host: string, port: number): boolean {
  const hosts = policy.denyHosts ?? DEFAULT_DENY_HOSTS;
  return hosts.some((h) => h.toLowerCase() === host.toLowerCase()) || (policy.denyPorts ?? []).includes(port);
}

/** `host:port` with IPv6 in brackets. */
export function formatTarget(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Splits an authority-form target (`host:port`, `[v6]:port`) into host and port; undefined when
 * it is not one (RFC 9110 §9.3.6: CONNECT uses authority-form, and the port is required).
 */
export function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/@]+)):(\d{1,5})$/.exec(authority);
  if (match === null) return undefined;
  const port = Number(match[3]);
  const host = match[1] ?? match[2];
  if (host === undefined || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/** Decodes `Basic base64(user:pass)` (RFC 7617 §2); undefined for anything else. */
export function parseBasic(value: string | undefined): ProxyCredentials | undefined {
  if (value === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Whether presented credentials match the configured ones (always true with no `expected`). */
export function credentialsMatch(expected: ProxyCredentials | undefined, presented: ProxyCredentials | undefined): boolean {
  if (expected === undefined) return true;
  return presented !== undefined && presented.username === expected.username && presented.password === expected.password;
}

/** The realm the HTTP proxies announce in `proxy-authenticate` (the one PEERS.md gives squid). */
export const PROXY_REALM = 'gun-test';

/** Header pairs from node's flat `rawHeaders` array, names lowercased. */
export function headerPairs(raw: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([(raw[i] ?? '').toLowerCase(), raw[i + 1] ?? '']);
  return pairs;
}

/** Whether a side ended cleanly both ways (FIN seen and sent), rather than by reset or error. */
function endedCleanly(side: Duplex): boolean {
  return side.readableEnded && side.writableFinished;
}

/**
 * Pipes `client` and `target` both ways, counting octets into the record. Bytes the client sent
 * before the tunnel was up (`early`) go first. When one side closes cleanly the other is ended
 * (so queued bytes still go out); when it is reset, the other is destroyed. The record is
 * `closed` once both sides are.
 */
export function splice(record: ProxyRecord, client: Duplex, target: Socket, early: Buffer = Buffer.alloc(0)): void {
  record.state = 'open';
  if (early.length > 0) {
    record.bytesUp += early.length;
    target.write(early);
  }
  client.on('data', (chunk: Buffer) => (record.bytesUp += chunk.length));
  target.on('data', (chunk: Buffer) => (record.bytesDown += chunk.length));
  client.pipe(target);
  target.pipe(client);
  let open = 2;
  const onClose = (side: Duplex, other: Duplex) => (): void => {
    if (endedCleanly(side)) other.end();
    else other.destroy();
    open -= 1;
    if (open === 0) record.state = 'closed';
  };
  client.once('close', onClose(client, target));
  target.once('close', onClose(target, client));
  client.on('error', () => undefined);
  target.on('error', () => undefined);
}

/** Something `close()` must end: a socket, a TLS socket, an HTTP/2 session or stream. */
export type Destroyable = EventEmitter & { destroy(): void };

/** Tracks live sockets and sessions so `close()` ends a test promptly. */
export class LiveSet {
  private readonly items = new Set<Destroyable>();
  private accepted = 0;

  /** Connections accepted so far. */
  get connections(): number {
    return this.accepted;
  }

  /** Counts and tracks an accepted connection. */
  accept(item: Destroyable): void {
    this.accepted += 1;
    this.track(item);
  }

  /** Tracks an item until it closes. */
  track(item: Destroyable): void {
    this.items.add(item);
    item.once('close', () => this.items.delete(item));
  }

  destroyAll(): void {
    for (const item of this.items) item.destroy();
    this.items.clear();
  }
}

/** Listens on 127.0.0.1, port 0; resolves with the port. */
export async function listenLocal(server: NetServer): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Destroys the live set and closes the server. */
export function closeServer(server: NetServer, live: LiveSet): Promise<void> {
  live.destroyAll();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A new record in state `connecting` with zeroed counters. */
export function newRecord(fields: Pick<ProxyRecord, 'kind' | 'host' | 'port' | 'headers' | 'credentials'> & { socks?: SocksDetails }): ProxyRecord {
  return { ...fields, target: formatTarget(fields.host, fields.port), status: 0, state: 'connecting', bytesUp: 0, bytesDown: 0 };
}

/**
 * Opens the TCP connection to a tunnel's target (tracked in `live`, so `close()` also ends
 * connections still being made); calls `ready` once connected or `failed` with the socket error.
 */
export function dialTarget(live: LiveSet, host: string, port: number, ready: (target: Socket) => void, failed: (error: NodeJS.ErrnoException) => void): void {
  const target = connect({ host, port });
  live.track(target);
  const onError = (error: NodeJS.ErrnoException): void => failed(error);
  target.once('error', onError);
  target.once('connect', () => {
    target.off('error', onError);
    ready(target);
  });
}

/**
 * The checks an HTTP CONNECT proxy makes before dialling, in order: credentials (407 with a
 * `proxy-authenticate` challenge), the deny lists (403), then a forced `reply`: a non-2xx status,
 * or `'forced'` for the proxy's own string form (drop the connection, reset the stream).
 * `undefined` when the tunnel may be attempted.
 */
export function connectRefusal(
  opts: ConnectPolicy & { readonly reply?: number | string },
  record: ProxyRecord,
): { readonly status: number; readonly challenge: boolean } | 'forced' | undefined {
  if (!credentialsMatch(opts.auth, record.credentials)) return { status: 407, challenge: true };
  if (isDenied(opts, record.host, record.port)) return { status: 403, challenge: false };
  if (typeof opts.reply === 'string') return 'forced';
  if (opts.reply !== undefined && (opts.reply < 200 || opts.reply > 299)) return { status: opts.reply, challenge: false };
  return undefined;
}

/** The `proxy-authenticate` challenge of a 407. */
export const PROXY_CHALLENGE = `Basic realm="${PROXY_REALM}"`;

/** How an HTTP CONNECT proxy answers, over HTTP/1.1 or in an HTTP/2 stream (see {@link answerConnect}). */
export interface ConnectAnswer {
  /** A forced `reply` string: go away without answering. */
  drop(): void;
  /** Answer `status` and end; `challenge` adds `proxy-authenticate` ({@link PROXY_CHALLENGE}). */
  refuse(status: number, challenge: boolean): void;
  /** The target is connected: answer `status` (a 2xx) and pipe the bytes. */
  open(status: number, target: Socket): void;
}

/**
 * The decision of an HTTP CONNECT proxy: the checks of {@link connectRefusal}, then a connection
 * to the target (502 when it fails). `record` follows: `refused` with its status, or the 2xx.
 */
export function answerConnect(
  opts: ConnectPolicy & { readonly reply?: number | string },
  live: LiveSet,
  record: ProxyRecord,
  answer: ConnectAnswer,
): void {
  const refuse = (status: number, challenge: boolean): void => {
    record.status = status;
    record.state = 'refused';
    answer.refuse(status, challenge);
  };
  const refused = connectRefusal(opts, record);
  if (refused === 'forced') {
    record.state = 'refused';
    answer.drop();
    return;
  }
  if (refused !== undefined) return refuse(refused.status, refused.challenge);
  dialTarget(
    live,
    record.host,
    record.port,
    (target) => {
      record.status = typeof opts.reply === 'number' ? opts.reply : 200;
      answer.open(record.status, target);
    },
    () => refuse(502, false),
  );
}

/** The {@link TestProxy} of a listening `server`; `close` first runs `beforeClose`. */
export function runningProxy(server: NetServer, live: LiveSet, records: ProxyRecord[], where: { port: number; tls: boolean; url: string }, beforeClose?: () => void): TestProxy {
  return {
    ...where,
    host: '127.0.0.1',
    records,
    get connections() {
      return live.connections;
    },
    close: () => {
      beforeClose?.();
      return closeServer(server, live);
    },
  };
}
