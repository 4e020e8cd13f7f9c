/**
 * Proxy chains for the tunnel matrix (Gun's tunnel_SUITE): a list of proxies (HTTP/1.1 CONNECT,
 * HTTP/2 CONNECT or SOCKS5, over TCP or TLS) ending at an origin. {@link openChain} opens the first proxy and makes
 * every hop the way Gun does: a SOCKS proxy is a protocol option naming what follows it (nested
 * for SOCKS after SOCKS); an HTTP proxy gets a `connect()` through the tunnel made so far. Behind
 * an HTTP/2 proxy everything runs inside its CONNECT stream: `info()` stops at that proxy. A
 * SOCKS hop behind a CONNECT (HTTP/1.1 or HTTP/2) runs in its tunnel: its `tunnelUp` carries the
 * CONNECT's ref (Gun's gun_socks `stream_ref`).
 *
 *   open(proxy1) ──> hop 1 ──> hop 2 ──> ... ──> origin protocol up ──> GET /hello or raw echo
 *                     │
 *                     ├─ CONNECT: response 200 fin, tunnelUp on the CONNECT ref (the new tunnel)
 *                     └─ SOCKS5:  tunnelUp on the CONNECT ref made before it; with none, no ref
 *                                 (raw: a fresh ref); the tunnel unchanged
 */
import { getTestPki } from '@gunhttp/testkit';
import type { TestProxy } from '@gunhttp/testkit';
import { open } from '../../../src/index.js';
import type { Connection, ConnMessage, ConnectDestination, ProtocolOption, StreamRef } from '../../../src/index.js';

export const ca = getTestPki().caPem;

export type ProxyKind = 'http' | 'https' | 'h2c' | 'h2' | 'socks5' | 'socks5tls';
export type OriginKind = 'http' | 'https' | 'h2c' | 'h2' | 'raw' | 'rawtls';

export const PROXY_KINDS: readonly ProxyKind[] = ['http', 'https', 'h2c', 'h2', 'socks5', 'socks5tls'];
export const ORIGIN_KINDS: readonly OriginKind[] = ['http', 'https', 'h2c', 'h2', 'raw', 'rawtls'];

/** A proxy of the chain: its kind and the running server. */
export interface ProxyNode {
  readonly kind: ProxyKind;
  readonly server: TestProxy;
}

/** The origin at the end: its kind and port. */
export interface OriginNode {
  readonly kind: OriginKind;
  readonly port: number;
}

type ChainNode = ({ readonly role: 'proxy' } & ProxyNode) | ({ readonly role: 'origin' } & OriginNode);

const isSocks = (kind: ProxyKind): boolean => kind === 'socks5' || kind === 'socks5tls';
const isH2 = (kind: ProxyKind): boolean => kind === 'h2c' || kind === 'h2';
const isTls = (kind: ProxyKind | OriginKind): boolean => kind === 'https' || kind === 'socks5tls' || kind === 'h2' || kind === 'rawtls';
const transportOf = (kind: ProxyKind | OriginKind): 'tcp' | 'tls' => (isTls(kind) ? 'tls' : 'tcp');

/** The protocol the client speaks with a node once the hop before it is made. */
export function protocolOf(node: ChainNode): 'http' | 'http2' | 'raw' | 'socks' {
  if (node.role === 'proxy') return isSocks(node.kind) ? 'socks' : isH2(node.kind) ? 'http2' : 'http';
  if (node.kind === 'h2c' || node.kind === 'h2') return 'http2';
  if (node.kind === 'raw' || node.kind === 'rawtls') return 'raw';
  return 'http';
}

function portOf(node: ChainNode): number {
  return node.role === 'proxy' ? node.server.port : node.port;
}

function nodesOf(proxies: readonly ProxyNode[], origin: OriginNode): ChainNode[] {
  return [...proxies.map((p) => ({ role: 'proxy' as const, ...p })), { role: 'origin' as const, ...origin }];
}

/** What to speak with node `i`: a SOCKS proxy is a socks option describing node `i + 1`. */
function protocolsFor(nodes: readonly ChainNode[], i: number): ProtocolOption[] {
  const node = nodes[i]!;
  if (node.role === 'proxy' && isSocks(node.kind)) return [{ socks: destinationOf(nodes, i + 1) }];
  return [protocolOf(node) as 'http' | 'http2' | 'raw'];
}

/** Node `i` as a CONNECT destination or SOCKS request (the shapes are the same). */
function destinationOf(nodes: readonly ChainNode[], i: number): ConnectDestination & { host: string; port: number } {
  const node = nodes[i]!;
  const transport = transportOf(node.kind);
  return { host: '127.0.0.1', port: portOf(node), transport, protocols: protocolsFor(nodes, i), ...(transport === 'tls' ? { tlsOpts: { ca } } : {}) };
}

/** An open chain: the connection, the tunnel ref to pass to requests, and the raw stream ref. */
export interface OpenChain {
  readonly conn: Connection;
  /** The ref of the last CONNECT (requests pass `{ tunnel }`); undefined when there was none. */
  readonly tunnel: StreamRef | undefined;
  /** The ref raw data goes on, when the origin is raw. */
  readonly rawRef: StreamRef | undefined;
}

function isTunnelUp(conn: Connection): (m: ConnMessage) => boolean {
  return (m) => m.type === 'tunnelUp' && m.conn === conn;
}

/**
 * Opens the chain and makes every hop; resolves once the origin's protocol is up. Throws (a
 * failed expectation) when a CONNECT is not answered 200 or a tunnelUp names another protocol.
 */
export async function openChain(proxies: readonly ProxyNode[], origin: OriginNode): Promise<OpenChain> {
  const nodes = nodesOf(proxies, origin);
  const first = nodes[0]!;
  const conn = open('127.0.0.1', portOf(first), { retry: 0, transport: transportOf(first.kind), tlsOpts: { ca }, protocols: protocolsFor(nodes, 0) });
  let tunnel: StreamRef | undefined;
  let rawRef: StreamRef | undefined;
  try {
    expect(await conn.awaitUp()).toBe(protocolOf(first));
    for (let i = 0; i < proxies.length; i++) {
      const node = nodes[i]!;
      const next = nodes[i + 1]!;
      if (node.role === 'proxy' && !isSocks(node.kind)) {
        const ref = conn.connect(destinationOf(nodes, i + 1), {}, tunnel === undefined ? undefined : { tunnel });
        expect(await conn.await(ref)).toMatchObject({ type: 'response', fin: true, status: 200 });
        expect(await conn.await(ref)).toMatchObject({ type: 'tunnelUp', streamRef: ref, protocol: protocolOf(next) });
        tunnel = ref;
        rawRef = ref;
      } else if (tunnel !== undefined) {
        // Behind a CONNECT, the SOCKS hop's tunnelUp names the CONNECT's stream.
        expect(await conn.await(tunnel)).toMatchObject({ type: 'tunnelUp', streamRef: tunnel, protocol: protocolOf(next) });
      } else {
        const up = await conn.owner.receive(isTunnelUp(conn), { timeout: 5000 });
        expect(up).toMatchObject({ type: 'tunnelUp', protocol: protocolOf(next) });
        // A SOCKS hop at the top adds no ref (Gun §5.15); raw behind it gets a fresh one.
        if (up.type === 'tunnelUp' && protocolOf(next) !== 'raw') expect(up.streamRef).toBeUndefined();
        if (up.type === 'tunnelUp' && up.streamRef !== undefined) rawRef = up.streamRef;
      }
    }
  } catch (error) {
    conn.close();
    throw error;
  }
  return { conn, tunnel, rawRef };
}

/** Every proxy of the chain as an intermediary, first hop first: what a stream at the origin lists. */
export function expectedPath(proxies: readonly ProxyNode[]): Array<Record<string, unknown>> {
  return proxies.map((p) => ({
    type: isSocks(p.kind) ? 'socks5' : 'connect',
    host: '127.0.0.1',
    port: p.server.port,
    transport: transportOf(p.kind),
    protocol: protocolOf({ role: 'proxy', ...p }),
  }));
}

/** The intermediaries `info()` must list: the connection-wide hops, before any HTTP/2 proxy (Gun). */
export function expectedIntermediaries(proxies: readonly ProxyNode[]): Array<Record<string, unknown>> {
  const h2 = proxies.findIndex((p) => isH2(p.kind));
  return expectedPath(h2 === -1 ? proxies : proxies.slice(0, h2));
}

/** The origin fields `info()` must show once the chain is up: the first HTTP/2 proxy's, if any. */
export function expectedOrigin(origin: OriginNode, proxies: readonly ProxyNode[] = []): Record<string, unknown> {
  const h2 = proxies.find((p) => isH2(p.kind));
  if (h2 !== undefined) {
    const tls = h2.kind === 'h2';
    return { originScheme: tls ? 'https' : 'http', originHost: '127.0.0.1', originPort: h2.server.port, transport: tls ? 'tls' : 'tcp', protocol: 'http2' };
  }
  const tls = isTls(origin.kind);
  const raw = origin.kind === 'raw' || origin.kind === 'rawtls';
  // Gun's info: no origin scheme while the protocol is raw.
  return { originScheme: raw ? undefined : tls ? 'https' : 'http', originHost: '127.0.0.1', originPort: origin.port, transport: tls ? 'tls' : 'tcp', protocol: protocolOf({ role: 'origin', ...origin }) };
}

/** `host:port` of the node after proxy `i`: what proxy `i` must have been asked for. */
export function targetAfter(proxies: readonly ProxyNode[], origin: OriginNode, i: number): string {
  const next = proxies[i + 1];
  return `127.0.0.1:${next === undefined ? origin.port : next.server.port}`;
}

/** Reads raw data messages on `ref` until `length` octets came; returns them as a string. */
export async function readRaw(conn: Connection, ref: StreamRef, length: number): Promise<string> {
  let received = '';
  while (received.length < length) {
    const m = await conn.await(ref);
    if (m.type !== 'data') throw new Error(`expected raw data, got ${m.type}`);
    received += Buffer.from(m.data).toString('latin1');
  }
  return received;
}
