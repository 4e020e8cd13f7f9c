import type { GunError, StreamRef } from '@gunhttp/core';
import { notATunnelError, refuse } from '@gunhttp/tunnel';
import type { Directive, GunCommand, StreamTunnelDirective, TunnelDirective } from '@gunhttp/tunnel';
import type { StreamInfo, TunnelInfo } from '../connection-types.js';
import { hopFor } from '../tunnel-hop.js';
import { TunnelHost } from './tunnel-host.js';
import type { TunnelHostContext, TunnelParent, TunnelRouter } from './tunnel-host.js';

/*
 * The connection's HTTP/2 CONNECT tunnels, by the CONNECT's ref (Gun §5.12, §5.15):
 *
 *   connect over an http2 stack ──> pending ──tunnel directive (2xx)──> up ──tunnelClosed──> gone
 *                                      │  (commands for it are held)
 *                                      └──tunnelClosed (refused, failed)──> refused: commands
 *                                         naming it get TUNNEL_ERR_NOT_A_TUNNEL
 *
 * A user command goes to the tunnel nearest above its stream ref: a request made with
 * `{ tunnel: T }` has a ref whose parent is T, so it runs in T's stack; a cancel goes to the
 * stack that holds the stream (its parent's tunnel). Commands under no tunnel run at the root.
 */

type Entry =
  | { readonly phase: 'pending'; readonly parent: TunnelParent; readonly held: GunCommand[] }
  | { readonly phase: 'up'; readonly parent: TunnelParent; readonly host: TunnelHost };

/** The tunnels of one connection (reset when it goes down). */
export class StreamTunnels implements TunnelRouter {
  private readonly entries = new Map<StreamRef, Entry>();
  private readonly refused = new WeakSet<StreamRef>();
  private refusals = 0;

  /** `ctx` is where the tunnels deliver and emit: the connection. */
  constructor(private readonly hostContext: TunnelHostContext) {}

  /** Runs a user command in the tunnel it belongs to, or at `root`. */
  route(cmd: GunCommand, root: TunnelParent): void {
    if (this.entries.size === 0 && this.refusals === 0) return this.runIn(root, cmd);
    for (let r = startOf(cmd); r !== undefined; r = r.parent) {
      const e = this.entries.get(r);
      if (e?.phase === 'pending') return void e.held.push(cmd);
      if (e?.phase === 'up') return this.runIn(e.host, cmd);
      if (this.refused.has(r)) return this.notATunnel(cmd);
    }
    this.runIn(root, cmd);
  }

  /**
   * A directive about stream tunnels from the stack of `from`: a CONNECT answered (`tunnel`,
   * scope stream), a tunnel's bytes, its end.
   */
  directive(from: TunnelParent, d: Exclude<Directive, { type: 'close' | 'closing' }>): void {
    switch (d.type) {
      case 'tunnel':
        if (d.scope === 'stream') this.establish(from, d);
        return;
      case 'tunnelData':
        return this.hostOf(d)?.receive(d.data);
      case 'tunnelEof':
        return this.hostOf(d)?.receiveEof();
      case 'tunnelClosed':
        return this.closed(d.streamRef, d.reason);
      case 'switchProtocol':
        return;
    }
  }

  /** `streamInfo` for a ref in a tunnel, or for a tunnel's own CONNECT ref (with `tunnel`); `undefined` when no tunnel knows it. */
  streamInfo(ref: StreamRef): StreamInfo | undefined {
    for (const e of this.entries.values()) {
      if (e.phase !== 'up') continue;
      const s = e.host.streamInfo(ref);
      if (s === undefined) continue;
      const tunnel = this.describe(ref);
      return { ...s, intermediaries: [...e.host.path], ...(tunnel === undefined ? {} : { tunnel }) };
    }
    return undefined;
  }

  /**
   * After our close frame on a Websocket in an HTTP/2 stream inside a tunnel: that tunnel bounds
   * the wait for the server's close. False when no tunnel holds `ref`.
   */
  boundWebsocketClose(ref: StreamRef): boolean {
    for (const e of this.entries.values()) {
      if (e.phase !== 'up' || e.host.streamInfo(ref) === undefined) continue;
      e.host.boundWebsocketClose(ref);
      return true;
    }
    return false;
  }

  /** The `tunnel` map of an established tunnel's CONNECT ref (Gun's stream_info). */
  describe(ref: StreamRef): TunnelInfo | undefined {
    const e = this.entries.get(ref);
    return e?.phase === 'up' ? e.host.describe() : undefined;
  }

  /** The connection went down: every tunnel ends silently; returns the streams they held, for `down`. */
  killAll(): StreamRef[] {
    const killed: StreamRef[] = [];
    for (const e of this.entries.values()) {
      if (e.phase === 'up') {
        killed.push(...e.host.openStreams());
        e.host.close(undefined);
      } else {
        for (const c of e.held) if (c.type === 'request' || c.type === 'wsUpgrade' || c.type === 'connect') killed.push(c.streamRef);
      }
    }
    this.entries.clear();
    return killed;
  }

  private runIn(host: TunnelParent, cmd: GunCommand): void {
    if (cmd.type === 'connect' && host.protocol === 'http2') this.entries.set(cmd.streamRef, { phase: 'pending', parent: host, held: [] });
    host.run(cmd);
  }

  /** Gun's `{badstate, "The stream is not a tunnel."}` for a command naming a refused CONNECT. */
  private notATunnel(cmd: GunCommand): void {
    for (const d of refuse(this.hostContext.conn, cmd, notATunnelError()).deliveries) this.hostContext.deliver(d);
  }

  private hostOf(d: StreamTunnelDirective): TunnelHost | undefined {
    const e = this.entries.get(d.streamRef);
    return e?.phase === 'up' ? e.host : undefined;
  }

  /** The CONNECT got its 2xx: the tunnel starts, with the commands held meanwhile. */
  private establish(parent: TunnelParent, d: TunnelDirective & { readonly scope: 'stream'; readonly streamRef: StreamRef }): void {
    const e = this.entries.get(d.streamRef);
    const held = e?.phase === 'pending' ? e.held : [];
    const hop = hopFor(d, parent.origin, 'http2', parent.opts);
    const host = new TunnelHost(this.hostContext, this, parent, d.streamRef, d.replyTo, hop, held);
    this.entries.set(d.streamRef, { phase: 'up', parent, host });
    const o = hop.origin;
    this.hostContext.emit('originChanged', { type: 'connect', originScheme: o.scheme, originHost: o.host, originPort: o.port, streamRef: d.streamRef });
    host.start();
  }

  /** The CONNECT's stream ended: a pending tunnel is refused, an open one closes with its tunnels inside. */
  private closed(ref: StreamRef, reason: GunError | 'cancelled'): void {
    const e = this.entries.get(ref);
    if (e === undefined) return;
    this.entries.delete(ref);
    if (e.phase === 'pending') {
      this.refused.add(ref);
      this.refusals++;
      for (const cmd of e.held) this.notATunnel(cmd);
      return;
    }
    for (const [inner, child] of [...this.entries]) {
      if (child.parent === e.host) this.closed(inner, reason);
    }
    e.host.close(reason);
  }
}

/** The ref whose ancestors decide where a command runs (see the comment at the top). */
function startOf(cmd: GunCommand): StreamRef | undefined {
  switch (cmd.type) {
    case 'cancel':
      return cmd.streamRef.parent;
    case 'ping':
      return undefined;
    case 'keepalive':
    case 'shutdown':
      return undefined;
    default:
      return cmd.streamRef;
  }
}
