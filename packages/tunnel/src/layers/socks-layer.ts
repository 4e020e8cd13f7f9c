/*
 * The SOCKS5 hop (RFC 1928, RFC 1929; Gun §5.13, gun_socks):
 *
 *            start()                   connected
 *   idle ─────────────▶ handshaking ──────────────▶ tunnelled  (`tunnel` directive, held commands handed over)
 *                           │
 *                           └── refusal, violation, EOF ──▶ failed  (`close` directive with the SOCKS error)
 *
 * The handshake itself (greeting, username/password, CONNECT, partial replies) is
 * `@gunhttp/socks`'s Socks5Client. User commands made meanwhile are held, as Gun postpones them
 * (`connected_no_input`), and handed to the next layer.
 */
import { assertNever, localError } from '@gunhttp/core';
import type { GunError, StreamRef } from '@gunhttp/core';
import { Socks5Client } from '@gunhttp/socks';
import type { Socks5Event } from '@gunhttp/socks';
import type { GunCommand } from '../commands.js';
import type { SocksDestination } from '../destination.js';
import { TunnelErrors } from '../errors.js';
import { emptyOutput, openedStreams, refuse, tunnelledError } from '../layer.js';
import type { Layer, LayerContext, LayerOutput, LayerStreamInfo } from '../layer.js';

/** The state of a {@link SocksLayer} (see the diagram above). */
export type SocksLayerState = 'idle' | 'handshaking' | 'tunnelled' | 'failed';

/** Options of {@link SocksLayer}. */
export interface SocksLayerOptions extends Partial<LayerContext> {
  /** Where the SOCKS server should connect, and how to authenticate (Gun's `socks_opts`). */
  readonly destination: SocksDestination;
  /**
   * The tunnel this hop runs in, for the `tunnel` directive: `undefined` at connection level
   * (Gun's `gun_tunnel_up` with `undefined`, §5.13), else the ref of the stream that carries it.
   */
  readonly streamRef?: StreamRef;
  /** Who is told the tunnel is up (`tunnelUp`); the connection's owner at connection level. */
  readonly replyTo?: unknown;
}

/**
 * A SOCKS5 client hop as a layer (protocol `socks`): {@link start} gives the greeting; `receive`
 * runs the handshake over any chunking; on success a `tunnel` directive (`via: 'socks5'`,
 * `scope: 'connection'`) with the bytes after the reply as `remainder` and the commands held
 * during the handshake as `pending`. On failure a `close` directive whose reason is the
 * `@gunhttp/socks` error (`SOCKS_ERR_*`, `socksReply` set for a REP code; `SOCKS_ERR_CLOSED` when
 * the server closes mid-handshake); no stream error is delivered: the held commands' streams are
 * in {@link openStreams}, so `down` kills them.
 *
 * The constructor throws `SOCKS_ERR_BAD_ARGUMENT` (origin local) for a bad host, port, auth list
 * or credentials (see `Socks5Client`).
 */
export class SocksLayer implements Layer {
  readonly protocol = 'socks' as const;
  private readonly client: Socks5Client;
  private readonly destination: SocksDestination;
  private readonly streamRef: StreamRef | undefined;
  private readonly replyTo: unknown;
  private readonly conn: unknown;
  private current: SocksLayerState = 'idle';
  private held: GunCommand[] = [];

  constructor(options: SocksLayerOptions) {
    const { host, port, auth } = options.destination;
    this.client = new Socks5Client(auth === undefined ? { destination: { host, port } } : { destination: { host, port }, auth });
    this.destination = options.destination;
    this.streamRef = options.streamRef;
    this.replyTo = options.replyTo;
    this.conn = options.conn;
  }

  get state(): SocksLayerState {
    return this.current;
  }

  /** Whether no command that opens a stream is held. */
  get idle(): boolean {
    return openedStreams(this.held).length === 0;
  }

  /** The streams the held commands would open: `down` kills them if the handshake fails. */
  openStreams(): StreamRef[] {
    return openedStreams(this.held).map((s) => s.ref);
  }

  streamInfo(ref: StreamRef): LayerStreamInfo | undefined {
    const s = openedStreams(this.held).find((o) => o.ref === ref);
    return s === undefined ? undefined : { ref: s.ref, replyTo: s.replyTo, state: 'running' };
  }

  /**
   * The greeting (RFC 1928 §3), to write first.
   * @throws GunError `SOCKS_ERR_BAD_ARGUMENT` (origin local) when called twice.
   */
  start(): LayerOutput {
    this.client.start();
    this.current = 'handshaking';
    const out = emptyOutput();
    out.writes.push(...this.client.takeOutput());
    return out;
  }

  /**
   * The server's bytes. Before {@link start} it throws `SOCKS_ERR_BAD_ARGUMENT`; after the
   * `tunnel` directive `TUNNEL_ERR_TUNNELLED` (the client replaces this layer); after a failure
   * the bytes are ignored.
   */
  receive(chunk: Uint8Array): LayerOutput {
    const state = this.current;
    switch (state) {
      case 'idle':
      case 'handshaking':
        return this.handle(this.client.receive(chunk));
      case 'tunnelled':
        throw tunnelledError();
      case 'failed':
        return emptyOutput();
      default:
        return assertNever(state, 'SOCKS layer state');
    }
  }

  /** The server closed: mid-handshake a `close` with `SOCKS_ERR_CLOSED`, else a plain `close`. */
  receiveEof(): LayerOutput {
    if (this.current === 'handshaking') return this.handle(this.client.receiveEof());
    const out = emptyOutput();
    if (this.current !== 'failed') out.directives.push({ type: 'close', reason: 'normal' });
    return out;
  }

  /**
   * During the handshake every command is held for the next layer (Gun's connected_no_input),
   * but keepalive (no-op) and shutdown (`close` now). After the tunnel: `TUNNEL_ERR_TUNNELLED`;
   * after a failure: `TUNNEL_ERR_BAD_STATE` stream errors.
   */
  command(cmd: GunCommand): LayerOutput {
    const state = this.current;
    switch (state) {
      case 'idle':
      case 'handshaking':
        return this.hold(cmd);
      case 'tunnelled':
        return refuse(this.conn, cmd, tunnelledError());
      case 'failed':
        return refuse(this.conn, cmd, failedError());
      default:
        return assertNever(state, 'SOCKS layer state');
    }
  }

  private hold(cmd: GunCommand): LayerOutput {
    const out = emptyOutput();
    if (cmd.type === 'shutdown') out.directives.push({ type: 'close', reason: 'normal' });
    else if (cmd.type !== 'keepalive') this.held.push(cmd);
    return out;
  }

  private handle(events: Socks5Event[]): LayerOutput {
    const out = emptyOutput();
    out.writes.push(...this.client.takeOutput());
    for (const e of events) {
      switch (e.type) {
        case 'authenticated':
          break;
        case 'connected':
          this.tunnelled(out);
          break;
        case 'error':
          this.fail(e.error, out);
          break;
        default:
          assertNever(e, 'SOCKS event');
      }
    }
    return out;
  }

  private tunnelled(out: LayerOutput): void {
    this.current = 'tunnelled';
    const pending = this.held;
    this.held = [];
    out.directives.push({
      type: 'tunnel', scope: 'connection', streamRef: this.streamRef, replyTo: this.replyTo, via: 'socks5',
      destination: this.destination, remainder: this.client.takeRemainder(), pending,
    });
  }

  private fail(error: GunError, out: LayerOutput): void {
    this.current = 'failed';
    out.directives.push({ type: 'close', reason: error });
  }
}

function failedError(): GunError {
  return localError(TunnelErrors.BAD_STATE, 'The SOCKS handshake failed; the connection is closing.');
}
