// The Websocket clients under test, each opening ONE connection to the echo origin and upgrading
// it (connect, handshake and one priming round trip are not timed):
// - gunhttp as a user writes it: `open()`, `wsUpgrade`, then `wsSend` and `await` per message;
// - gunhttp with a replyTo function (`wsOpts.replyTo`), which skips the mailbox and the promise
//   of each `await`: the fastest way gunhttp offers;
// - the npm `ws` client (`new WebSocket(url)`, `send`, `on('message')`), permessage-deflate off.
// Every echoed message is checked (type, and the text itself or the binary length) so a broken
// client cannot look fast. Text arrives as a string in all three (`ws` gives a Buffer; its
// `toString()` is what a `ws` user calls).
import { once } from 'node:events';
import { open } from '@gunhttp/gun';
import type { ConnMessage, Connection, StreamRef, WsFrame } from '@gunhttp/gun';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';

/** What every round trip sends: one text or binary message of `size` octets. */
export type Payload =
  | { readonly type: 'text'; readonly data: string; readonly size: number }
  | { readonly type: 'binary'; readonly data: Uint8Array; readonly size: number };

/** How an echo run goes: `inFlight` messages on their way at once, until `count` were sent or `maxMs` passed. */
export interface EchoPlan {
  readonly count: number;
  readonly inFlight: number;
  readonly maxMs: number;
}

/** One upgraded connection of a client. */
export interface WsSession {
  /**
   * Sends `payload` `inFlight` times, then once more each time an echo comes back, until `count`
   * were sent or `maxMs` passed, and waits for the last echo; resolves with the messages echoed.
   */
  echo(payload: Payload, plan: EchoPlan): Promise<number>;
  close(): Promise<void>;
}

/** A Node Websocket client under test. */
export interface WsClient {
  readonly name: string;
  readonly note?: string;
  connect(port: number): Promise<WsSession>;
}

const PATH = '/echo';

const toFrame = (p: Payload): WsFrame => (p.type === 'text' ? { type: 'text', data: p.data } : { type: 'binary', data: p.data });

function isEcho(p: Payload, f: WsFrame): boolean {
  if (p.type === 'text') return f.type === 'text' && f.data === p.data;
  return f.type === 'binary' && f.data.length === p.size;
}

const describe = (m: ConnMessage): string => (m.type === 'ws' ? `a ${m.frame.type} frame` : `a ${m.type} message`);

/** One echo for the priming round trip, not timed. */
const PRIME: Payload = { type: 'text', data: 'prime', size: 5 };
const PRIME_PLAN: EchoPlan = { count: 1, inFlight: 1, maxMs: Infinity };

async function gunConnect(port: number): Promise<Connection> {
  const conn = open('127.0.0.1', port, { retry: 0 });
  const protocol = await conn.awaitUp();
  if (protocol !== 'http') throw new Error(`gunhttp: negotiated ${protocol}, not http`);
  return conn;
}

async function gunClose(conn: Connection): Promise<void> {
  conn.close();
  await conn.terminated;
}

/** gunhttp as the README shows it: `wsSend` one message, `await` its echo. */
export const gunWsClient: WsClient = {
  name: 'gunhttp',
  note: 'open() + wsUpgrade, then wsSend and await (default mailbox) per message',
  async connect(port) {
    const conn = await gunConnect(port);
    const ref = conn.wsUpgrade(PATH);
    const up = await conn.await(ref);
    if (up.type !== 'upgrade') throw new Error(`gunhttp: expected an upgrade, got ${describe(up)}`);
    const session: WsSession = {
      async echo(payload, plan) {
        const frame = toFrame(payload);
        const deadline = performance.now() + plan.maxMs;
        let sent = 0;
        let echoed = 0;
        for (; sent < Math.min(plan.inFlight, plan.count); sent++) conn.wsSend(ref, frame);
        while (echoed < sent) {
          const m = await conn.await(ref);
          if (m.type !== 'ws' || !isEcho(payload, m.frame)) throw new Error(`gunhttp: expected the echo, got ${describe(m)}`);
          echoed++;
          if (sent < plan.count && performance.now() < deadline) {
            conn.wsSend(ref, frame);
            sent++;
          }
        }
        return echoed;
      },
      close: () => gunClose(conn),
    };
    await session.echo(PRIME, PRIME_PLAN);
    return session;
  },
};

/** gunhttp with `wsOpts.replyTo` a function: messages handled as they are decoded. */
export const gunFnWsClient: WsClient = {
  name: 'gunhttp-fn',
  note: 'wsOpts.replyTo a function (no mailbox, no await); its gun/peer ratio is what await costs',
  async connect(port) {
    const conn = await gunConnect(port);
    const ended = conn.terminated.then(() => new Error('gunhttp-fn: the connection ended'));
    let onMessage: (m: ConnMessage) => void = () => undefined;
    const upgraded = new Promise<void>((resolve, reject) => {
      onMessage = (m) => (m.type === 'upgrade' ? resolve() : reject(new Error(`gunhttp-fn: expected an upgrade, got ${describe(m)}`)));
    });
    const ref: StreamRef = conn.wsUpgrade(PATH, undefined, { replyTo: (m) => onMessage(m) });
    await upgraded;
    const session: WsSession = {
      echo(payload, plan) {
        return new Promise<number>((resolve, reject) => {
          const frame = toFrame(payload);
          const deadline = performance.now() + plan.maxMs;
          let sent = 0;
          let echoed = 0;
          const settle = (): void => {
            onMessage = () => undefined;
          };
          onMessage = (m) => {
            if (m.type !== 'ws' || !isEcho(payload, m.frame)) {
              settle();
              reject(new Error(`gunhttp-fn: expected the echo, got ${describe(m)}`));
              return;
            }
            echoed++;
            if (sent < plan.count && performance.now() < deadline) {
              conn.wsSend(ref, frame);
              sent++;
            } else if (echoed === sent) {
              settle();
              resolve(echoed);
            }
          };
          ended.then(reject, reject);
          for (; sent < Math.min(plan.inFlight, plan.count); sent++) conn.wsSend(ref, frame);
        });
      },
      close: () => gunClose(conn),
    };
    await session.echo(PRIME, PRIME_PLAN);
    return session;
  },
};

function isWsEcho(p: Payload, data: RawData, isBinary: boolean): boolean {
  if (!Buffer.isBuffer(data)) return false; // binaryType 'nodebuffer' (the default) gives Buffers
  if (p.type === 'text') return !isBinary && data.toString() === p.data;
  return isBinary && data.length === p.size;
}

/** The npm `ws` client, as its README shows it: `send`, and the next `send` from `on('message')`. */
export const wsWsClient: WsClient = {
  name: 'ws',
  note: 'new WebSocket(url, { perMessageDeflate: false }), send, on(message); text read with toString()',
  async connect(port) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${PATH}`, { perMessageDeflate: false });
    await once(ws, 'open');
    const session: WsSession = {
      echo(payload, plan) {
        return new Promise<number>((resolve, reject) => {
          const deadline = performance.now() + plan.maxMs;
          let sent = 0;
          let echoed = 0;
          const settle = (): void => {
            ws.off('message', onMessage);
            ws.off('close', onClose);
          };
          const onClose = (): void => {
            settle();
            reject(new Error('ws: the connection closed'));
          };
          const onMessage = (data: RawData, isBinary: boolean): void => {
            if (!isWsEcho(payload, data, isBinary)) {
              settle();
              reject(new Error(`ws: expected the echo, got ${isBinary ? 'binary' : 'text'}`));
              return;
            }
            echoed++;
            if (sent < plan.count && performance.now() < deadline) {
              ws.send(payload.data);
              sent++;
            } else if (echoed === sent) {
              settle();
              resolve(echoed);
            }
          };
          ws.on('message', onMessage);
          ws.on('close', onClose);
          for (; sent < Math.min(plan.inFlight, plan.count); sent++) ws.send(payload.data);
        });
      },
      async close() {
        const closed = once(ws, 'close');
        ws.terminate();
        await closed;
      },
    };
    await session.echo(PRIME, PRIME_PLAN);
    return session;
  },
};

export const WS_CLIENTS: readonly WsClient[] = [gunWsClient, gunFnWsClient, wsWsClient];
