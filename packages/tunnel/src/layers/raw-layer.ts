import { localError } from '@gunhttp/core';
import type { StreamRef } from '@gunhttp/core';
import type { GunCommand } from '../commands.js';
import { TunnelErrors } from '../errors.js';
import { emptyOutput, streamError } from '../layer.js';
import type { Layer, LayerOutput, LayerStreamInfo } from '../layer.js';
import { flowSpent, raiseFlow, spendFlow } from './message-flow.js';
import type { MessageFlow } from './message-flow.js';

/** Options of the raw layer. */
export interface RawLayerOptions {
  /**
   * Gun's `flow` (Gun §5.9, §5.16): how many received chunks may be delivered before reading
   * pauses; raised by `updateFlow` (whatever its ref, as Gun). Absent: unlimited.
   */
  readonly flow?: number;
}

/**
 * The `raw` protocol (Gun's gun_raw): bytes in and out as if a socket. Every received chunk is a
 * `data` message with `fin: false` for the stream that opened it; the peer closing is a `down`,
 * never a `fin` (Gun §5.16). Requests are refused with a connection-wide `badstate`. With a
 * `flow`, each chunk spends one unit and reading pauses at 0 ({@link readPaused}, message-flow.ts).
 */
export class RawLayer implements Layer {
  readonly protocol = 'raw' as const;
  private flow: MessageFlow;

  constructor(
    private readonly streamRef: StreamRef,
    private readonly replyTo: unknown,
    private readonly conn: unknown = undefined,
    options: RawLayerOptions = {},
  ) {
    this.flow = options.flow;
  }

  /** Whether the chunks delivered used up the flow. */
  get readPaused(): boolean {
    return flowSpent(this.flow);
  }

  readonly idle = true;

  openStreams(): StreamRef[] {
    return [];
  }

  streamInfo(ref: StreamRef): LayerStreamInfo | undefined {
    return ref === this.streamRef ? { ref, replyTo: this.replyTo, state: 'running' } : undefined;
  }

  receive(chunk: Uint8Array): LayerOutput {
    const out = emptyOutput();
    if (chunk.length > 0) {
      out.deliveries.push({ replyTo: this.replyTo, message: { type: 'data', conn: this.conn, streamRef: this.streamRef, fin: false, data: chunk } });
      this.flow = spendFlow(this.flow);
    }
    return out;
  }

  receiveEof(): LayerOutput {
    const out = emptyOutput();
    out.directives.push({ type: 'close', reason: 'normal' });
    return out;
  }

  command(cmd: GunCommand): LayerOutput {
    const out = emptyOutput();
    switch (cmd.type) {
      case 'data':
        if (cmd.data.length > 0) out.writes.push(cmd.data);
        return out;
      case 'ping':
        out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.pingRef, localError(TunnelErrors.BAD_STATE, 'Ping is not available on a raw connection.')));
        return out;
      case 'updateFlow':
        // The connection is one stream: like `data`, any ref applies (Gun's gun_raw ignores it).
        this.flow = raiseFlow(this.flow, cmd.increment);
        return out;
      case 'request':
      case 'cancel':
      case 'wsUpgrade':
      case 'wsSend':
      case 'connect':
        out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, localError(
          TunnelErrors.BAD_STATE,
          'This connection does not accept new requests to be opened nor does it accept Websocket frames.',
        )));
        return out;
      case 'keepalive':
        return out;
      case 'shutdown':
        out.directives.push({ type: 'close', reason: 'normal' });
        return out;
    }
  }
}
