import type { Socket } from 'node:net';
import { SocketWriter } from './socket-writer.js';

/** What the connection does with what its socket reports. */
export interface SocketSink {
  data(chunk: Uint8Array): void;
  end(): void;
  /** The socket closed; `error` is the failure it reported before, if any. */
  closed(error: unknown): void;
}

/**
 * The connection's socket: read into the stack, written through a {@link SocketWriter}, paused
 * while the stack asks (Gun's flow on HTTP/1.1, Websocket, raw), replaced by the TLS socket
 * wrapping it after a hop, dropped when the connection goes down.
 */
export class ConnectionSocket {
  private socket: Socket | undefined;
  private error: unknown;
  private unlisten: () => void = () => undefined;
  private readonly writer = new SocketWriter();

  constructor(private readonly sink: SocketSink) {}

  /** The socket in use; `undefined` while not connected. */
  get current(): Socket | undefined {
    return this.socket;
  }

  /** Reads `socket`; the socket it replaces (one a TLS socket now wraps) is let go first. */
  use(socket: Socket): void {
    if (socket === this.socket) return;
    if (this.socket === undefined) this.error = undefined;
    this.unlisten();
    this.socket = socket;
    const onData = (chunk: Uint8Array): void => this.sink.data(chunk);
    const onEnd = (): void => this.sink.end();
    const onError = (e: Error): void => void (this.error = e);
    const onClose = (): void => this.sink.closed(this.error);
    socket.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    this.unlisten = () => void socket.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
  }

  /**
   * A hop's TLS handshake runs over the socket: its reads, errors and close no longer count (the
   * handshake's outcome decides `down`'s reason), until the TLS socket is {@link use}d.
   */
  detach(): void {
    this.unlisten();
    this.unlisten = () => undefined;
    this.socket?.on('error', () => undefined);
  }

  write(chunks: readonly Uint8Array[]): void {
    if (this.socket !== undefined && chunks.length > 0) this.writer.write(this.socket, chunks);
  }

  /** Pauses or resumes reads as the stack asks. */
  followPause(paused: boolean): void {
    const socket = this.socket;
    if (socket === undefined || paused === socket.isPaused()) return;
    if (paused) socket.pause();
    else socket.resume();
  }

  /**
   * Drops the socket; false when there was none. With `flush`, what the layers wrote last (a
   * GOAWAY, a close frame) is sent first.
   */
  close(flush: boolean): boolean {
    const socket = this.socket;
    if (socket === undefined) return false;
    this.unlisten = () => undefined;
    this.socket = undefined;
    this.writer.close(socket, flush);
    return true;
  }
}
