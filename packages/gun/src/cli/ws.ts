import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { StreamRef } from '@gunhttp/core';
import type { Connection } from '../connection.js';
import type { GunOptions } from '../options.js';
import type { CliArgs } from './args.js';
import { ExitCodes } from './exit-codes.js';
import { CliFailure } from './failure.js';
import type { CliIo, Target } from './run.js';

/*
 * `gun ws://host/path` (and wss://): a Websocket session on the terminal, as curl's and websocat's.
 *
 *   upgrade ──101 (or RFC 8441 2xx)──> open ──stdin ends: close 1000──> closing ──server's close──> exit 0
 *      │                                 └──────────the server's close──────────────────────────> exit 0
 *      └──another status──> exit 22 (curl's "Refused WebSockets upgrade")
 */

/** ms to wait for the server's SETTINGS before an RFC 8441 upgrade (Gun's default preface timeout). */
const SETTINGS_WAIT_MS = 5000;

/**
 * The protocols for a Websocket URL: HTTP/1.1 (the 101 upgrade) unless `--http2` over TLS or
 * `--http2-prior-knowledge` ask for HTTP/2, where the Websocket is an extended CONNECT (RFC 8441)
 * once the server's SETTINGS allow it.
 */
export function websocketProtocols(args: CliArgs, target: Target): GunOptions {
  const notify = { http2Opts: { notifySettingsChanged: true } };
  if (args.http11) return { protocols: ['http'] };
  if (args.http2PriorKnowledge) return { protocols: ['http2'], ...notify };
  if (args.http2 && target.tls) return { protocols: ['http2', 'http'], ...notify };
  return { protocols: ['http'] };
}

async function write(out: Writable, chunk: Uint8Array | string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Sends each line of `input` as a text message and a close (1000) at its end; returns a stop function. */
function sendLines(conn: Connection, ref: StreamRef, input: Readable | undefined): () => void {
  if (input === undefined) return () => undefined;
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => conn.wsSend(ref, { type: 'text', data: line }));
  lines.on('close', () => conn.wsSend(ref, { type: 'close', code: 1000 }));
  return () => {
    lines.removeAllListeners('close');
    lines.close();
  };
}

/**
 * Runs a Websocket session: upgrades, sends stdin line by line, prints each text message on its
 * own line and binary messages as raw bytes, and resolves with 0 once the close handshake is done
 * (whoever started it). A refused upgrade throws a {@link CliFailure} with exit code 22; network
 * and protocol failures reject as the connection reports them (the caller maps them).
 */
export async function runWebsocket(conn: Connection, args: CliArgs, target: Target, io: CliIo): Promise<number> {
  if ((await conn.awaitUp(Infinity)) === 'http2') {
    await conn.owner.receive((m) => m.type === 'notify' && m.kind === 'settingsChanged', { timeout: SETTINGS_WAIT_MS });
  }
  const ref = conn.wsUpgrade(target.path, args.headers);
  let first = await conn.await(ref, Infinity);
  while (first.type === 'inform') first = await conn.await(ref, Infinity);
  if (first.type === 'response') throw new CliFailure(ExitCodes.HTTP_ERROR, `gun: the server refused the Websocket upgrade: ${first.status}`);
  if (first.type !== 'upgrade') throw new CliFailure(ExitCodes.PROTOCOL, `gun: unexpected ${first.type} message`);
  const stop = sendLines(conn, ref, io.stdin);
  try {
    for (;;) {
      const m = await conn.await(ref, Infinity);
      if (m.type !== 'ws') continue;
      const f = m.frame;
      if (f.type === 'text') await write(io.stdout, `${f.data}\n`);
      else if (f.type === 'binary') await write(io.stdout, f.data);
      else if (f.type === 'close') break;
    }
  } finally {
    stop();
  }
  conn.shutdown();
  return ExitCodes.OK;
}
