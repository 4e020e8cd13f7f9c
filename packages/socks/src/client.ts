import { assertNever, ByteQueue, EMPTY_BYTES, GunError, localError } from '@gunhttp/core';
import type { SansIoMachine } from '@gunhttp/core';
import { encodeDestinationHost } from './address.js';
import type { SocksAddress } from './address.js';
import { badArgument, socksError, SocksErrors } from './errors.js';
import {
  credentialBytes, encodeAuthRequest, encodeConnect, encodeGreeting, Method, parseAuthReply, parseConnectReply, parseMethodReply,
} from './wire.js';
import type { BoundAddress } from './wire.js';

/*
 * SOCKS5 client handshake (RFC 1928 §3-§6, RFC 1929 §2):
 *
 *          start()               METHOD X'00'                  REP X'00'
 *   idle ─────────▶ greeting ──────────────────▶ connecting ─────────────▶ connected
 *                       │ METHOD X'02'               ▲
 *                       ▼                            │ STATUS X'00'
 *                  authenticating ───────────────────┘
 *
 *   greeting / authenticating / connecting ── refusal, violation, EOF ──▶ failed
 */

/** The client's state name. */
export type Socks5State = 'idle' | 'greeting' | 'authenticating' | 'connecting' | 'connected' | 'failed';

/** An authentication method to offer: none (X'00') or username/password (X'02', RFC 1929). */
export type Socks5Auth = 'none' | { readonly username: string; readonly password: string };

/** Options of {@link Socks5Client}. */
export interface Socks5ClientOptions {
  /** Where the proxy should connect: an IPv4/IPv6 literal or a domain name, and a port 1-65535. */
  readonly destination: { readonly host: string; readonly port: number };
  /** Methods to offer, in order of preference; default `['none']`; no duplicates. */
  readonly auth?: readonly Socks5Auth[];
}

/** Events of {@link Socks5Client.receive}. */
export type Socks5Event =
  | { readonly type: 'authenticated'; readonly method: 'none' | 'usernamePassword' }
  | { readonly type: 'connected'; readonly bound: BoundAddress }
  | { readonly type: 'error'; readonly error: GunError };

interface Credentials {
  readonly username: Uint8Array;
  readonly password: Uint8Array;
}

function checkAuth(auth: readonly Socks5Auth[]): { methods: number[]; credentials: Credentials | null } {
  if (auth.length === 0) throw badArgument('auth must offer at least one method (RFC 1928 §3)');
  let credentials: Credentials | null = null;
  const methods: number[] = [];
  for (const a of auth) {
    const method = a === 'none' ? Method.NONE : Method.USERNAME_PASSWORD;
    if (methods.includes(method)) throw badArgument('auth lists a method twice');
    methods.push(method);
    if (a !== 'none') credentials = checkCredentials(a);
  }
  return { methods, credentials };
}

function checkCredentials(a: { readonly username: string; readonly password: string }): Credentials {
  const username = credentialBytes(a.username);
  const password = credentialBytes(a.password);
  if (username.length < 1 || username.length > 255) throw badArgument('A SOCKS5 username is 1 to 255 octets (RFC 1929 §2)');
  if (password.length < 1 || password.length > 255) throw badArgument('A SOCKS5 password is 1 to 255 octets (RFC 1929 §2)');
  return { username, password };
}

/**
 * The SOCKS5 client handshake as a sans-I/O machine (RFC 1928, RFC 1929; Gun's gun_socks):
 * `start()` queues the greeting, `receive()` reads the server's replies (buffered across chunks),
 * authenticates with username/password when the server picks it, sends CONNECT and reports
 * `connected`; the bytes after the reply are `takeRemainder()`'s. Refusals and violations are an
 * `error` event with a named `SOCKS_ERR_*` code (`socksReply` set for REP failures).
 */
export class Socks5Client implements SansIoMachine<Socks5Event> {
  private current: Socks5State = 'idle';
  private readonly queue = new ByteQueue();
  private outbox: Uint8Array[] = [];
  private readonly address: SocksAddress;
  private readonly port: number;
  private readonly methods: number[];
  private readonly credentials: Credentials | null;

  /** Throws `SOCKS_ERR_BAD_ARGUMENT` on a bad destination, port, auth list or credentials. */
  constructor(options: Socks5ClientOptions) {
    const { host, port } = options.destination;
    if (typeof host !== 'string' || host === '') throw badArgument('destination.host must be a non-empty string');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw badArgument('destination.port must be 1 to 65535');
    this.address = encodeDestinationHost(host);
    this.port = port;
    const { methods, credentials } = checkAuth(options.auth ?? ['none']);
    this.methods = methods;
    this.credentials = credentials;
  }

  get state(): Socks5State {
    return this.current;
  }

  /** Queues the greeting (RFC 1928 §3). Throws `SOCKS_ERR_BAD_ARGUMENT` when called twice. */
  start(): void {
    if (this.current !== 'idle') throw badArgument('start() was already called');
    this.outbox.push(encodeGreeting(this.methods));
    this.current = 'greeting';
  }

  /** Feeds the server's bytes; after `connected` they are kept for `takeRemainder()`. */
  receive(chunk: Uint8Array): Socks5Event[] {
    if (this.current === 'idle') throw localError(SocksErrors.BAD_ARGUMENT, 'receive() before start()');
    if (this.current === 'failed') return [];
    this.queue.push(chunk);
    const events: Socks5Event[] = [];
    while (this.step(events)) { /* one reply per step */ }
    return events;
  }

  /** The server closed before `connected`: `SOCKS_ERR_CLOSED`. */
  receiveEof(): Socks5Event[] {
    if (this.current === 'connected' || this.current === 'failed' || this.current === 'idle') return [];
    return this.fail([], socksError(SocksErrors.CLOSED, `The SOCKS server closed the connection during the ${this.current} step`));
  }

  takeOutput(): Uint8Array[] {
    const out = this.outbox;
    this.outbox = [];
    return out;
  }

  /** Bytes after the CONNECT reply: the first bytes of the tunnelled protocol. */
  takeRemainder(): Uint8Array {
    return this.current === 'connected' ? this.queue.takeAll() : EMPTY_BYTES;
  }

  /** Handles one reply if it is complete; false when waiting for more bytes or done. */
  private step(events: Socks5Event[]): boolean {
    const state = this.current;
    switch (state) {
      case 'greeting': {
        const r = parseMethodReply(this.queue);
        return r.kind === 'more' ? false : r.kind === 'error' ? this.stop(events, r.error) : this.onMethod(events, r.value, r.consumed);
      }
      case 'authenticating': {
        const r = parseAuthReply(this.queue);
        return r.kind === 'more' ? false : r.kind === 'error' ? this.stop(events, r.error) : this.onAuthStatus(events, r.value, r.consumed);
      }
      case 'connecting': {
        const r = parseConnectReply(this.queue);
        if (r.kind === 'more') return false;
        if (r.kind === 'error') return this.stop(events, r.error);
        this.queue.skip(r.consumed);
        this.current = 'connected';
        events.push({ type: 'connected', bound: r.value });
        return false;
      }
      case 'idle':
      case 'connected':
      case 'failed':
        return false;
      default:
        return assertNever(state, 'SOCKS state');
    }
  }

  private onMethod(events: Socks5Event[], method: number, consumed: number): boolean {
    this.queue.skip(consumed);
    if (method === Method.NO_ACCEPTABLE) {
      return this.stop(events, socksError(SocksErrors.NO_ACCEPTABLE_METHODS, "The SOCKS server accepts none of the offered methods: METHOD X'FF' (RFC 1928 §3)"));
    }
    if (!this.methods.includes(method)) {
      return this.stop(events, socksError(SocksErrors.PROTOCOL, `The SOCKS server selected method ${method}, which was not offered (RFC 1928 §3)`));
    }
    if (method === Method.USERNAME_PASSWORD && this.credentials !== null) {
      this.outbox.push(encodeAuthRequest(this.credentials.username, this.credentials.password));
      this.current = 'authenticating';
      return true;
    }
    events.push({ type: 'authenticated', method: 'none' });
    this.sendConnect();
    return true;
  }

  private onAuthStatus(events: Socks5Event[], status: number, consumed: number): boolean {
    this.queue.skip(consumed);
    if (status !== 0) return this.stop(events, socksError(SocksErrors.AUTH_FAILED, `Username/password authentication failed: STATUS ${status} (RFC 1929 §2)`));
    events.push({ type: 'authenticated', method: 'usernamePassword' });
    this.sendConnect();
    return true;
  }

  private sendConnect(): void {
    this.outbox.push(encodeConnect(this.address, this.port));
    this.current = 'connecting';
  }

  private stop(events: Socks5Event[], error: GunError): false {
    this.fail(events, error);
    return false;
  }

  private fail(events: Socks5Event[], error: GunError): Socks5Event[] {
    this.current = 'failed';
    this.queue.clear();
    events.push({ type: 'error', error });
    return events;
  }
}
