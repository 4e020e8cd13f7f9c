import type { Socket } from 'node:net';
import { GunError, Mailbox } from '@gunhttp/core';
import { H2ErrorCodes, HpackEncoder, serializeFrame } from '@gunhttp/http2';
import type { FrameInput } from '@gunhttp/http2';
import { startRawOrigin } from '@gunhttp/testkit';
import type { RawOrigin } from '@gunhttp/testkit';
import { GunErrors, open } from '../../src/index.js';
import type { ConnMessage, Connection, GunOptions } from '../../src/index.js';
import { text } from '../support/helpers.js';

/*
 * The client against scripted HTTP/2 servers: each test writes the frames a misbehaving (or
 * merely slow) server would, so the client's timers and GOAWAY handling are checked exactly.
 */

const PREFACE_LENGTH = 24;
let origin: RawOrigin | undefined;
let conn: Connection | undefined;
afterEach(async () => {
  conn?.close();
  await origin?.close();
  origin = undefined;
});

const send = (socket: Socket, ...frames: FrameInput[]): void => {
  for (const f of frames) socket.write(serializeFrame(f));
};

/** The frames in the bytes the client sent (after the 24-octet preface magic). */
function framesSent(bytes: Buffer): Array<{ type: number; streamId: number; payload: Buffer }> {
  const frames = [];
  for (let at = PREFACE_LENGTH; at + 9 <= bytes.length;) {
    const length = bytes.readUIntBE(at, 3);
    frames.push({ type: bytes[at + 3]!, streamId: bytes.readUInt32BE(at + 5) & 0x7fffffff, payload: bytes.subarray(at + 9, at + 9 + length) });
    at += 9 + length;
  }
  return frames;
}

/** Resolves once the client has closed its side of the first connection (all its bytes are in). */
function clientClosed(): Promise<void> {
  const socket = origin!.sockets[0]!;
  return socket.readableEnded || socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

/** The error code of the last GOAWAY the client sent, if any (RFC 9113 §6.8). */
function goAwayCode(bytes: Buffer): number | undefined {
  const goAways = framesSent(bytes).filter((f) => f.type === 0x7);
  return goAways.at(-1)?.payload.readUInt32BE(4);
}

async function downReason(options: GunOptions, script: (socket: Socket) => void): Promise<unknown> {
  origin = await startRawOrigin(script);
  const owner = new Mailbox<ConnMessage>();
  conn = open('127.0.0.1', origin.port, { retry: 0, protocols: ['http2'], owner, ...options });
  const down = await owner.receive((m) => m.type === 'down', { timeout: 5000 });
  return (down as Extract<ConnMessage, { type: 'down' }>).reason;
}

describe("the client's HTTP/2 timers (Gun §5.4, §5.11)", () => {
  it('closes with GOAWAY PROTOCOL_ERROR when the server preface does not arrive within prefaceTimeout (RFC 9113 §3.4)', async () => {
    const reason = await downReason({ protocols: [{ http2: { prefaceTimeout: 100 } }] }, () => undefined);
    expect(reason).toBeInstanceOf(GunError);
    expect((reason as GunError).code).toBe(GunErrors.PREFACE_TIMEOUT);
    await clientClosed();
    expect(goAwayCode(origin!.received())).toBe(H2ErrorCodes.PROTOCOL_ERROR);
  });

  it('closes with GOAWAY SETTINGS_TIMEOUT when our SETTINGS are not acknowledged within settingsTimeout (RFC 9113 §6.5.3)', async () => {
    const reason = await downReason({ protocols: [{ http2: { settingsTimeout: 100 } }] }, (s) => send(s, { type: 'settings' }));
    expect((reason as GunError).code).toBe(GunErrors.SETTINGS_TIMEOUT);
    await clientClosed();
    expect(goAwayCode(origin!.received())).toBe(H2ErrorCodes.SETTINGS_TIMEOUT);
  });

  it('closes with GOAWAY NO_ERROR when keepaliveTolerance PINGs go unanswered (Gun keepalive_tolerance)', async () => {
    const reason = await downReason({ protocols: [{ http2: { keepalive: 30, keepaliveTolerance: 2 } }] }, (s) => send(s, { type: 'settings' }, { type: 'settings', ack: true }));
    expect((reason as GunError).code).toBe(GunErrors.KEEPALIVE_TIMEOUT);
    await clientClosed();
    const sent = framesSent(origin!.received());
    expect(sent.filter((f) => f.type === 0x6).length).toBe(2);
    expect(goAwayCode(origin!.received())).toBe(H2ErrorCodes.NO_ERROR);
  });

  it('stays up while the server answers the keepalive PINGs', async () => {
    origin = await startRawOrigin((s) => {
      send(s, { type: 'settings' }, { type: 'settings', ack: true });
      s.on('data', (chunk: Buffer) => {
        for (let at = chunk.indexOf(Buffer.from([0, 0, 8, 6, 0])); at >= 0; at = chunk.indexOf(Buffer.from([0, 0, 8, 6, 0]), at + 1)) {
          send(s, { type: 'ping', ack: true, opaque: chunk.subarray(at + 9, at + 17) });
        }
      });
    });
    conn = open('127.0.0.1', origin.port, { retry: 0, protocols: [{ http2: { keepalive: 20, keepaliveTolerance: 1 } }] });
    await conn.awaitUp();
    await new Promise((r) => setTimeout(r, 200));
    expect(conn.info().stateName).toBe('connected');
  });
});

describe('GOAWAY from the server (RFC 9113 §6.8)', () => {
  it('fails the streams above the last stream id as unprocessed and finishes the others', async () => {
    const hpack = new HpackEncoder();
    origin = await startRawOrigin((s) => {
      send(s, { type: 'settings' }, { type: 'settings', ack: true });
      let answered = false;
      s.on('data', () => {
        const ids = new Set(framesSent(origin!.received()).filter((f) => f.type === 0x1).map((f) => f.streamId));
        if (answered || !ids.has(3)) return;
        answered = true;
        const fragment = hpack.encode([[':status', '200'], ['content-length', '2']]);
        send(s, { type: 'goAway', lastStreamId: 1, errorCode: 0 }, { type: 'headers', streamId: 1, fragment }, { type: 'data', streamId: 1, endStream: true, data: Buffer.from('ok') });
      });
    });
    const owner = new Mailbox<ConnMessage>();
    conn = open('127.0.0.1', origin.port, { retry: 0, protocols: ['http2'], owner });
    await conn.awaitUp();
    const first = conn.get('/first');
    const second = conn.get('/second');
    const err = await conn.await(second).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: GunErrors.STREAM_ERROR, cause: { code: 'H2_ERR_GOAWAY' } });
    expect(await conn.await(first)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(first)).body)).toBe('ok');
    const down = await owner.receive((m) => m.type === 'down', { timeout: 5000 });
    expect(down).toMatchObject({ protocol: 'http2', reason: 'normal', killedStreams: [] });
    await clientClosed();
    expect(goAwayCode(origin.received())).toBe(H2ErrorCodes.NO_ERROR);
  });
});

describe('connection errors (RFC 9113 §5.4.1, Gun §5.11)', () => {
  it('answers a frame on stream 0 that must not be there with GOAWAY PROTOCOL_ERROR, goes down and reconnects per retry', async () => {
    origin = await startRawOrigin((s, index) => {
      send(s, { type: 'settings' }, { type: 'settings', ack: true });
      // A DATA frame on stream 0 is a connection error of type PROTOCOL_ERROR (RFC 9113 §6.1).
      if (index === 0) send(s, { type: 'data', streamId: 0, data: Buffer.from('x') });
    });
    const owner = new Mailbox<ConnMessage>();
    conn = open('127.0.0.1', origin.port, { protocols: ['http2'], owner, retry: 1, retryTimeout: 10 });
    await owner.receive((m) => m.type === 'up', { timeout: 5000 });
    const down = await owner.receive((m) => m.type === 'down', { timeout: 5000 });
    expect(down).toMatchObject({ protocol: 'http2', reason: { code: expect.stringMatching(/^H2_ERR_/), h2Code: 'PROTOCOL_ERROR' } });
    await clientClosed();
    expect(goAwayCode(origin.received())).toBe(H2ErrorCodes.PROTOCOL_ERROR);
    await owner.receive((m) => m.type === 'up', { timeout: 5000 });
    expect(origin.sockets.length).toBe(2);
  });
});

