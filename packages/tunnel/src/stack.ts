import type { StreamRef } from '@gunhttp/core';
import type { GunCommand } from './commands.js';
import type { Directive, Layer, LayerOutput, LayerStreamInfo } from './layer.js';
import { RawLayer } from './layers/raw-layer.js';
import { WsLayer } from './layers/ws-layer.js';

/**
 * The layer stack (DESIGN §4): routes bytes from the socket and user commands to the layer that
 * owns them, and applies protocol switches that happen inside the stack (an HTTP/1.1 upgrade
 * replaces the connection's layer: a `WsLayer` after a Websocket upgrade, a `RawLayer` after any
 * other). Directives that need the outside world (closing the socket, timers) are passed up to
 * the connection; `switchProtocol` is applied here and not passed up (read `protocol` after a call).
 */
export class LayerStack {
  private root: Layer;

  /** `conn` is stamped on the messages of layers the stack makes itself (after a switch). */
  constructor(root: Layer, private readonly conn: unknown = undefined) {
    this.root = root;
  }

  /** The protocol of the connection-level layer. */
  get protocol(): Layer['protocol'] {
    return this.root.protocol;
  }

  /** Whether no stream is in flight. */
  get idle(): boolean {
    return this.root.idle;
  }

  /** Whether the connection-level layer wants socket reads paused ({@link Layer.readPaused}). */
  get readPaused(): boolean {
    return this.root.readPaused === true;
  }

  receive(chunk: Uint8Array): LayerOutput {
    return this.settle(this.root.receive(chunk));
  }

  receiveEof(): LayerOutput {
    return this.settle(this.root.receiveEof());
  }

  command(cmd: GunCommand): LayerOutput {
    return this.settle(this.root.command(cmd));
  }

  openStreams(): StreamRef[] {
    return this.root.openStreams();
  }

  streamInfo(ref: StreamRef): LayerStreamInfo | undefined {
    return this.root.streamInfo(ref);
  }

  /** Applies switches, feeding the bytes already received to the new layer. */
  private settle(out: LayerOutput): LayerOutput {
    if (out.directives.length === 0) return out;
    const kept: Directive[] = [];
    for (const d of out.directives) {
      if (d.type !== 'switchProtocol') {
        kept.push(d);
        continue;
      }
      this.root = d.protocol === 'ws' && d.ws !== undefined ? new WsLayer(d.ws) : new RawLayer(d.streamRef, d.replyTo, this.conn, d.flow === undefined ? {} : { flow: d.flow });
      if (d.remainder.length > 0) {
        const more = this.root.receive(d.remainder);
        out.deliveries.push(...more.deliveries);
        out.writes.push(...more.writes);
        kept.push(...more.directives);
        out.events.push(...more.events);
      }
    }
    out.directives.length = 0;
    out.directives.push(...kept);
    return out;
  }
}
