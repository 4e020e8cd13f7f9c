/*
 * CONNECT over HTTP/1.1 (RFC 9110 §9.3.6; Gun §5.12, gun_http's connect):
 *
 *           CONNECT sent                 2xx head
 *   idle ────────────────▶ awaiting ────────────────▶ tunnelled   (`tunnel` directive; the layer is done)
 *    ▲                        │
 *    └────────────────────────┘ any other final status, once its response has ended
 *                               (or the CONNECT failed): the commands held meanwhile run here
 *
 * While `awaiting`, the user's commands are held (Gun queues them), except keepalive, shutdown
 * and those aimed at the CONNECT stream itself: a 2xx hands them to the next layer in the
 * directive's `pending`, any other answer runs them on this connection in order.
 */
import { assertNever, localError, utf8Encode } from '@gunhttp/core';
import type { GunError, HeaderList, StreamRef } from '@gunhttp/core';
import { base64Encode } from '@gunhttp/websocket';
import type { ConnectCommand, GunCommand, RequestCommand } from '../commands.js';
import { connectAuthority } from '../destination.js';
import { TunnelErrors } from '../errors.js';
import { openedStreams } from '../layer.js';

/** The CONNECT state of an HTTP/1.1 connection (see the diagram above). */
export type ConnectPhase =
  | { readonly name: 'idle' }
  | { readonly name: 'awaiting'; readonly ref: StreamRef; readonly held: GunCommand[] }
  | { readonly name: 'tunnelled' };

const IDLE: ConnectPhase = { name: 'idle' };
const TUNNELLED: ConnectPhase = { name: 'tunnelled' };

/** Tracks an HTTP/1.1 connection's CONNECT and the commands held while it awaits its answer. */
export class ConnectTracker {
  private phase: ConnectPhase = IDLE;
  /** CONNECTs answered with something other than a 2xx: their refs name no tunnel. */
  private readonly refused = new WeakSet<StreamRef>();

  get name(): ConnectPhase['name'] {
    return this.phase.name;
  }

  /** The CONNECT was written: hold what follows until its answer. */
  begin(ref: StreamRef): void {
    this.phase = { name: 'awaiting', ref, held: [] };
  }

  /** Whether `cmd` must wait for the CONNECT's answer (and is taken by {@link hold}). */
  holds(cmd: GunCommand): boolean {
    const phase = this.phase;
    if (phase.name !== 'awaiting') return false;
    switch (cmd.type) {
      case 'keepalive':
      case 'shutdown':
        return false;
      case 'data':
      case 'cancel':
      case 'updateFlow':
        return cmd.streamRef !== phase.ref;
      case 'request':
      case 'wsUpgrade':
      case 'wsSend':
      case 'ping':
      case 'connect':
        return true;
      default:
        return assertNever(cmd, 'command');
    }
  }

  hold(cmd: GunCommand): void {
    if (this.phase.name === 'awaiting') this.phase.held.push(cmd);
  }

  /** The CONNECT got another answer or failed: back to `idle`; the held commands, to run now. */
  release(): GunCommand[] {
    if (this.phase.name !== 'awaiting') return [];
    this.refused.add(this.phase.ref);
    return this.leave(IDLE);
  }

  /**
   * Whether `cmd` opens a stream through a CONNECT that was refused (Gun §5.12: `badstate`
   * "not a tunnel"): it must get `TUNNEL_ERR_NOT_A_TUNNEL` instead of reaching the proxy.
   */
  throughRefused(cmd: GunCommand): boolean {
    if (cmd.type !== 'request' && cmd.type !== 'wsUpgrade' && cmd.type !== 'connect') return false;
    const parent = cmd.streamRef.parent;
    return parent !== undefined && this.refused.has(parent);
  }

  /** The CONNECT got a 2xx: `tunnelled`; the held commands, for the next layer. */
  tunnel(): GunCommand[] {
    return this.leave(TUNNELLED);
  }

  /** The held commands without leaving the phase (a graceful shutdown refuses them). */
  drop(): GunCommand[] {
    const phase = this.phase;
    if (phase.name !== 'awaiting') return [];
    return phase.held.splice(0);
  }

  /** The streams the held commands would open, for `down`'s killed streams. */
  heldStreams(): Array<{ ref: StreamRef; replyTo: unknown }> {
    return this.phase.name === 'awaiting' ? openedStreams(this.phase.held) : [];
  }

  private leave(next: ConnectPhase): GunCommand[] {
    const phase = this.phase;
    this.phase = next;
    return phase.name === 'awaiting' ? phase.held : [];
  }
}

/** What a CONNECT command becomes on the wire: the request and its authority-form target. */
export interface ConnectRequest {
  readonly request: RequestCommand;
  readonly authority: string;
}

/**
 * The CONNECT request (Gun's gun_http connect; RFC 9110 §9.3.6, RFC 9112 §3.2.3): target and
 * `host` are {@link connectAuthority}; `proxy-authorization: Basic ...` first when the destination
 * has a `username` and the headers none (RFC 9110 §11.7.2, RFC 7617 §2); user `content-length` and
 * `transfer-encoding` are dropped (a CONNECT has no content). Returns (origin local)
 * `TUNNEL_ERR_CONNECT_BUSY` when `busy` (other streams in flight, Gun §3.2), and
 * `TUNNEL_ERR_BAD_ARGUMENT` for a port outside 1-65535, an empty host, or credentials RFC 7617 forbids.
 */
export function connectRequest(cmd: ConnectCommand, busy: boolean): ConnectRequest | GunError {
  if (busy) return localError(TunnelErrors.CONNECT_BUSY, 'CONNECT can only be used with HTTP/1.1 when no other streams are active (RFC 9110 §9.3.6).');
  const { host, port, username, password } = cmd.destination;
  if (typeof host !== 'string' || host === '') return badArgument('The CONNECT destination host must be a non-empty string (RFC 9110 §9.3.6).');
  if (!Number.isInteger(port) || port < 1 || port > 65535) return badArgument('The CONNECT destination port must be an integer from 1 to 65535 (RFC 9110 §4.2.1).');
  const headers: HeaderList = cmd.headers.filter(([n]) => n !== 'content-length' && n !== 'transfer-encoding');
  if (username !== undefined && !headers.some(([n]) => n === 'proxy-authorization')) {
    const credentials = basicCredentials(username, password ?? '');
    if (typeof credentials !== 'string') return credentials;
    headers.unshift(['proxy-authorization', credentials]);
  }
  const authority = connectAuthority(host, port);
  const request: RequestCommand = {
    type: 'request', streamRef: cmd.streamRef, replyTo: cmd.replyTo, method: 'CONNECT', path: authority, headers, body: undefined, function: 'connect',
  };
  return { request, authority };
}

/** `Basic base64(user-id ":" password)` in UTF-8 (RFC 7617 §2, §2.1). */
export function basicCredentials(username: string, password: string): string | GunError {
  if (username.includes(':')) return badArgument('A Basic user-id must not contain a colon (RFC 7617 §2).');
  if (hasControl(username) || hasControl(password)) return badArgument('Basic credentials must not contain control characters (RFC 7617 §2).');
  return `Basic ${base64Encode(utf8Encode(`${username}:${password}`))}`;
}

/** `TUNNEL_ERR_NOT_A_TUNNEL`: the `tunnel` a request names was refused by the proxy. */
export function notATunnelError(): GunError {
  return localError(TunnelErrors.NOT_A_TUNNEL, 'The stream names a tunnel whose CONNECT was not answered with a 2xx: it is not a tunnel (Gun §5.12).');
}

/** Whether a CONNECT answered with `status` establishes the tunnel: any 2xx (RFC 9110 §9.3.6). */
export function isTunnelStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function badArgument(message: string): GunError {
  return localError(TunnelErrors.BAD_ARGUMENT, message);
}
