import { localError } from '@gunhttp/core';
import type { StreamRef } from '@gunhttp/core';
import type { GunCommand } from '../commands.js';
import { TunnelErrors } from '../errors.js';
import { emptyOutput, streamError } from '../layer.js';
import type { Layer, LayerOutput, LayerStreamInfo } from '../layer.js';

/**
 * The `raw` protocol (Gun's gun_raw): bytes in and out as if a socket. Every received chunk is a
 * `data` message with `fin: false` for the stream that opened it; the peer closing is a `down`,
 * never a `fin` (Gun §5.16). Requests are refused with a connection-wide `badstate`.
 */
export class RawLayer implements Layer {
  readonly protocol = 'raw' as const;

  constructor(
    private readonly streamRef: StreamRef,
    private readonly replyTo: unknown,
    private readonly conn: unknown = undefined,
  ) {}

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
