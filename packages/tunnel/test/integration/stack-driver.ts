import { createHash, randomBytes } from 'node:crypto';
import * as net from 'node:net';
import type { GunEvent, GunMessage, StreamRef } from '@gunhttp/core';
import { nodePerMessageDeflate } from '../../../gun/src/ws-deflate.js';
import type { Delivery, Directive, GunCommand, LayerOutput, WsPlatform } from '../../src/index.js';

/** node:crypto and node:zlib, as the client injects them. */
export const nodeWsPlatform: WsPlatform = {
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
  sha1: (bytes) => new Uint8Array(createHash('sha1').update(bytes).digest()),
  deflate: (params) => nodePerMessageDeflate(params),
};

/** What the driver pumps: a LayerStack or a single layer. */
export interface Pumped {
  receive(chunk: Uint8Array): LayerOutput;
  receiveEof(): LayerOutput;
  command(cmd: GunCommand): LayerOutput;
}

/**
 * Drives a stack (or layer) over one socket: writes go out, received bytes go in; tests wait on
 * deliveries and directives, never on time. Bytes written are recorded for size checks.
 */
export class SocketDriver {
  readonly deliveries: Delivery[] = [];
  readonly directives: Directive[] = [];
  readonly events: GunEvent[] = [];
  readonly written: Uint8Array[] = [];
  private waiters: Array<() => void> = [];

  constructor(readonly socket: net.Socket, readonly target: Pumped) {
    socket.on('data', (chunk: Buffer) => this.apply(target.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))));
    socket.on('end', () => this.apply(target.receiveEof()));
  }

  command(cmd: GunCommand): void {
    this.apply(this.target.command(cmd));
  }

  apply(out: LayerOutput): void {
    for (const w of out.writes) {
      this.written.push(w);
      if (!this.socket.destroyed) this.socket.write(w);
    }
    this.deliveries.push(...out.deliveries);
    this.directives.push(...out.directives);
    this.events.push(...out.events);
    for (const d of out.directives) if (d.type === 'close') this.socket.end();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once `check` holds, re-checked after every output. */
  async until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  of(ref: StreamRef): GunMessage[] {
    return this.deliveries.map((d) => d.message).filter((m) => 'streamRef' in m && m.streamRef === ref);
  }

  /** Waits for a message of `ref` matching `match` and returns it. */
  async next(ref: StreamRef, match: (m: GunMessage) => boolean, from = 0): Promise<GunMessage> {
    let found: GunMessage | undefined;
    await this.until(() => (found = this.of(ref).slice(from).find(match)) !== undefined);
    return found as GunMessage;
  }
}

/** Opens a socket to 127.0.0.1:port. */
export async function connectSocket(port: number, sockets: Set<net.Socket>): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  sockets.add(socket);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  return socket;
}

/** The `ws` frames delivered to `ref`, in order. */
export function wsFrames(d: SocketDriver, ref: StreamRef): unknown[] {
  return d.of(ref).flatMap((m) => (m.type === 'ws' ? [m.frame] : []));
}
