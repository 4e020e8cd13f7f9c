import type { StreamRef, WsFrame } from '@gunhttp/core';
import { startH2WsOrigin } from '../support/h2-ws-origin.js';
import type { H2WsOrigin } from '../support/h2-ws-origin.js';
import { open } from '../../src/index.js';
import type { ConnMessage, Connection } from '../../src/index.js';
import { connectTo } from '../support/helpers.js';
import { startWsOrigin } from '../support/ws-origin.js';
import type { WsOrigin } from '../support/ws-origin.js';

/*
 * Message sizes across every payload length encoding (RFC 6455 §5.2: 7-bit up to 125, 16-bit
 * from 126 to 65535, 64-bit from 65536) up to 16 MiB, echoed by the `ws` server with and without
 * permessage-deflate (RFC 7692) and over HTTP/2 (RFC 8441), and fragmented messages from the
 * server (RFC 6455 §5.4) reassembled by the client.
 */

const MiB = 1024 * 1024;
const SIZES = [0, 1, 125, 126, 65535, 65536, MiB] as const;

/** ASCII text of exactly n octets. */
const textOf = (n: number): string => 'The quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(n / 45)).slice(0, n);
/** Bytes that do not compress much (a multiplicative hash of the index). */
const binaryOf = (n: number): Uint8Array => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.imul(i + 1, 2654435761) >>> 24;
  return out;
};

const conns: Connection[] = [];
afterEach(() => {
  for (const c of conns.splice(0)) c.close();
});

async function frame(conn: Connection, ref: StreamRef, timeout = 10000): Promise<WsFrame> {
  const m = await conn.await(ref, timeout);
  if (m.type !== 'ws') throw new Error(`expected a ws message, got ${m.type}`);
  return m.frame;
}

/** Compares without jest's element-by-element diff, which is slow on megabytes. */
function expectSame(got: WsFrame, want: WsFrame): void {
  expect(got.type).toBe(want.type);
  if (want.type === 'text' && got.type === 'text') {
    expect(got.data.length).toBe(want.data.length);
    expect(got.data === want.data).toBe(true);
  } else if (want.type === 'binary' && got.type === 'binary') {
    expect(got.data.length).toBe(want.data.length);
    expect(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.length).equals(want.data)).toBe(true);
  }
}

function message(type: 'text' | 'binary', n: number): WsFrame {
  return type === 'text' ? { type, data: textOf(n) } : { type, data: binaryOf(n) };
}

async function echoes(conn: Connection, ref: StreamRef, m: WsFrame, timeout?: number): Promise<void> {
  conn.wsSend(ref, m);
  expectSame(await frame(conn, ref, timeout), m);
}

/** One test per size of {@link SIZES}, text and binary, on the Websocket `current()` gives. */
function echoesEverySize(current: () => [Connection, StreamRef]): void {
  it.each(SIZES.flatMap((n) => [['text', n], ['binary', n]] as const))('echoes a %s message of %i octets', (type, n) => echoes(...current(), message(type, n)));
}

async function upgrade(conn: Connection, compress: boolean): Promise<StreamRef> {
  const ref = conn.wsUpgrade('/echo', [], { compress });
  const m = await conn.await(ref, 3000);
  if (m.type !== 'upgrade') throw new Error(`expected an upgrade message, got ${m.type}`);
  return ref;
}

describe.each([
  ['the ws server', false],
  ['the ws server with permessage-deflate', true],
] as const)('message sizes through %s (RFC 6455 §5.2)', (_name, deflate) => {
  let origin: WsOrigin;
  let conn: Connection;
  let ref: StreamRef;
  beforeAll(async () => {
    origin = await startWsOrigin(deflate ? { perMessageDeflate: { threshold: 0 } } : {});
    conn = await connectTo(origin.port);
    ref = await upgrade(conn, deflate);
  });
  afterAll(async () => {
    conn.close();
    await origin.close();
  });

  echoesEverySize(() => [conn, ref]);

  it(`echoes a 16 MiB ${deflate ? 'text' : 'binary'} message`, () => echoes(conn, ref, message(deflate ? 'text' : 'binary', 16 * MiB), 20000));

  it('reassembles a message the server sent in fragments, a UTF-8 character split between two (RFC 6455 §5.4)', async () => {
    const server = origin.latestSocket();
    const whole = Buffer.from('fragments: κόσμε ✓ '.repeat(5000));
    const cut = whole.indexOf('κ') + 1; // inside the two octets of κ
    const parts = [whole.subarray(0, cut), whole.subarray(cut, 70000), whole.subarray(70000)];
    parts.forEach((p, i) => server.send(p, { binary: false, fin: i === parts.length - 1 }));
    expectSame(await frame(conn, ref), { type: 'text', data: whole.toString() });
  });

  it('reassembles a binary message of 1 MiB sent in 64 KiB fragments, with a ping between fragments', async () => {
    const server = origin.latestSocket();
    const whole = Buffer.from(binaryOf(MiB));
    for (let offset = 0; offset < whole.length; offset += 65536) {
      server.send(whole.subarray(offset, offset + 65536), { binary: true, fin: offset + 65536 >= whole.length });
      if (offset === 0) server.ping('mid');
    }
    expectSame(await frame(conn, ref), { type: 'binary', data: whole });
  });
});

describe.each([
  ['h2c', false],
  ['h2 (TLS)', true],
] as const)('message sizes over HTTP/2 %s (RFC 8441)', (_name, tls) => {
  let origin: H2WsOrigin;
  let conn: Connection;
  let ref: StreamRef;
  beforeAll(async () => {
    const { getTestPki } = await import('@gunhttp/testkit');
    origin = await startH2WsOrigin(tls, { enableConnectProtocol: true });
    conn = open('127.0.0.1', origin.port, tls
      ? { retry: 0, transport: 'tls', tlsOpts: { ca: getTestPki().caPem }, http2Opts: { notifySettingsChanged: true } }
      : { retry: 0, protocols: ['http2'], http2Opts: { notifySettingsChanged: true } });
    await conn.awaitUp();
    await conn.owner.receive((m: ConnMessage) => m.type === 'notify' && m.kind === 'settingsChanged', { timeout: 3000 });
    ref = await upgrade(conn, false);
  });
  afterAll(async () => {
    conn.close();
    await origin.close();
  });

  echoesEverySize(() => [conn, ref]);

  if (!tls) {
    it('echoes a 16 MiB binary message through the stream flow control', () => echoes(conn, ref, message('binary', 16 * MiB), 20000));
  }
});
