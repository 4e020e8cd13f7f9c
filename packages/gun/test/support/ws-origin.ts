import * as http from 'node:http';
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { getTestPki } from '@gunhttp/testkit';
import { WebSocketServer } from 'ws';
import type { PerMessageDeflateOptions, WebSocket } from 'ws';

/** Options of {@link startWsOrigin}. */
export interface WsOriginOptions {
  readonly tls?: boolean;
  readonly perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /** `Set-Cookie` lines added to every 101. */
  readonly setCookies?: readonly string[];
}

/** A `ws` server on an http(s) server on 127.0.0.1, with what it saw. */
export interface WsOrigin {
  readonly port: number;
  /** Upgrade requests, in order. */
  readonly upgrades: IncomingMessage[];
  /**
   * The server side of the latest Websocket. `ws` emits `connection` as it writes the 101, so once
   * the client has its `upgrade` message the socket is here.
   */
  latestSocket(): WebSocket;
  close(): Promise<void>;
}

/**
 * Paths: `/deny` answers 403 with body `denied`; `/greet-binary` sends the binary message 0 1 2
 * 255 first; anything else upgrades (subprotocol `b` when
 * offered) and echoes every message, except `close-me` which makes the server close with 4000 `bye`.
 */
export async function startWsOrigin(options: WsOriginOptions = {}): Promise<WsOrigin> {
  const pki = getTestPki();
  const server = options.tls === true
    ? https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (_req, res) => res.end('plain'))
    : http.createServer((_req, res) => res.end('plain'));
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: options.perMessageDeflate ?? false,
    handleProtocols: (protocols) => (protocols.has('b') ? 'b' : false),
  });
  const upgrades: IncomingMessage[] = [];
  const all: WebSocket[] = [];
  const sockets = new Set<Duplex>();
  wss.on('headers', (headers) => {
    for (const c of options.setCookies ?? []) headers.push(`Set-Cookie: ${c}`);
  });
  wss.on('connection', (ws, req: IncomingMessage) => {
    all.push(ws);
    if (req.url === '/greet-binary') ws.send(Uint8Array.of(0, 1, 2, 255), { binary: true });
    ws.on('message', (data, isBinary) => {
      if (!isBinary && data.toString() === 'close-me') ws.close(4000, 'bye');
      else ws.send(data as Buffer, { binary: isBinary });
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrades.push(req);
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (req.url === '/deny') {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 6\r\nset-cookie: denied=1\r\n\r\ndenied');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    upgrades,
    latestSocket: () => {
      const ws = all.at(-1);
      if (ws === undefined) throw new Error('no Websocket was accepted');
      return ws;
    },
    close: async () => {
      for (const ws of all) ws.terminate();
      for (const s of sockets) s.destroy();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
