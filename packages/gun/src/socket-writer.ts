import type { Socket } from 'node:net';

/** ms a closing socket may take to send its last bytes (a GOAWAY) to a peer that is slow to read. */
const FLUSH_LIMIT_MS = 1000;

/**
 * Writes to the connection's socket. Writes are corked until the end of the tick, so requests
 * made in one go (pipelining, many HTTP/2 streams) leave in one system call.
 */
export class SocketWriter {
  private corked = false;

  write(socket: Socket, chunks: readonly Uint8Array[]): void {
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    for (const chunk of chunks) socket.write(chunk);
  }

  /**
   * Closes a socket the connection is done with; its listeners are removed first. With `flush`,
   * what was written last (a GOAWAY, a close frame) is sent before it closes; a peer that does
   * not read gets {@link FLUSH_LIMIT_MS} before the socket is destroyed.
   */
  close(socket: Socket, flush: boolean): void {
    socket.removeAllListeners('data');
    socket.removeAllListeners('end');
    socket.removeAllListeners('close');
    socket.on('error', () => undefined);
    if (this.corked) socket.uncork();
    if (flush && socket.writableLength > 0) {
      socket.end();
      setTimeout(() => socket.destroy(), FLUSH_LIMIT_MS).unref();
    } else {
      socket.destroy();
    }
  }
}
