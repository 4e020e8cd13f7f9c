import type { StreamRef } from '@gunhttp/core';
import {
  buildServerFrame, closeFramePayload, readClosePayload, startScriptedWsServer, WsOpcode,
} from '@gunhttp/testkit';
import type { ClientFrame, ScriptedWsServer, ScriptedWsSession, ServerFrameSpec } from '@gunhttp/testkit';
import { GunErrors } from '../../src/index.js';
import type { ConnMessage, Connection, WsOpts } from '../../src/index.js';
import { connectTo } from '../support/helpers.js';

/*
 * Invalid frames from a scripted server (tools/testkit ws-server-codec): for each violation the
 * client must fail the connection (RFC 6455 §7.1.7) with the right close code, read here from
 * what the server recorded, and the user must get the error (a stream error on the Websocket's
 * ref, then `down`).
 */

const KEY = Uint8Array.of(9, 8, 7, 6);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

let server: ScriptedWsServer | undefined;
const conns: Connection[] = [];

afterEach(async () => {
  for (const c of conns.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

interface Run {
  readonly conn: Connection;
  readonly ref: StreamRef;
  readonly session: ScriptedWsSession;
}

/** Starts a server sending `parts` right after its 101, connects, upgrades and returns the session. */
async function run(parts: ReadonlyArray<Uint8Array | ServerFrameSpec>, wsOpts: WsOpts = {}, responseHeaders: ReadonlyArray<readonly [string, string]> = []): Promise<Run> {
  server = await startScriptedWsServer((s) => s.send(...parts), { responseHeaders });
  const conn = await connectTo(server.port);
  conns.push(conn);
  const ref = conn.wsUpgrade('/', [], wsOpts);
  expect(await conn.await(ref, 2000)).toMatchObject({ type: 'upgrade', streamRef: ref });
  return { conn, ref, session: server.sessions[0]! };
}

/** The first frame the client sent back: it must be a masked close. */
async function closeSent(session: ScriptedWsSession): Promise<number | undefined> {
  const frame = (await session.nextFrame()) as ClientFrame | 'eof';
  if (frame === 'eof') throw new Error('the client closed the connection without a close frame');
  expect(frame).toMatchObject({ opcode: WsOpcode.CLOSE, fin: true });
  expect(frame.maskKey).toHaveLength(4);
  return readClosePayload(frame.payload).code;
}

const down = (conn: Connection): Promise<ConnMessage> => conn.owner.receive((m) => m.type === 'down', { timeout: 2000 });

/**
 * The whole expectation: the close code on the wire, the stream error the user's `await` gets
 * (its cause the codec's error with that close code), `down` killing the Websocket's stream,
 * and the TCP connection closed by the client.
 */
async function expectFailure(r: Run, closeCode: number, code: string): Promise<void> {
  expect(await closeSent(r.session)).toBe(closeCode);
  await expect(r.conn.await(r.ref, 2000)).rejects.toMatchObject({ code: GunErrors.STREAM_ERROR, cause: { code, wsCloseCode: closeCode } });
  expect(await down(r.conn)).toMatchObject({ type: 'down', protocol: 'ws', reason: { code, wsCloseCode: closeCode }, killedStreams: [r.ref] });
  await r.session.closed;
}

const PROTOCOL = 'WS_ERR_PROTOCOL';
const UTF8 = 'WS_ERR_INVALID_UTF8';
const TOO_LARGE = 'WS_ERR_MESSAGE_TOO_LARGE';

describe('invalid frames from the server fail the connection with the right close code (RFC 6455 §7.1.7)', () => {
  it.each<[string, ServerFrameSpec[]]>([
    ['§5.1: a masked server frame', [{ opcode: WsOpcode.TEXT, payload: 'masked', mask: KEY }]],
    ['§5.2: RSV1 set without a negotiated extension', [{ opcode: WsOpcode.TEXT, payload: 'x', rsv: 0b100 }]],
    ['§5.2: RSV2 set', [{ opcode: WsOpcode.BINARY, payload: 'x', rsv: 0b010 }]],
    ['§5.2: RSV3 set', [{ opcode: WsOpcode.PING, rsv: 0b001 }]],
    ['§5.2: reserved data opcode 0x3', [{ opcode: 0x3 }]],
    ['§5.2: reserved control opcode 0xB', [{ opcode: 0xb }]],
    ['§5.5: a fragmented control frame (PING with FIN=0)', [{ opcode: WsOpcode.PING, payload: 'p', fin: false }]],
    ['§5.5: a control payload of 126 octets', [{ opcode: WsOpcode.PONG, payload: new Uint8Array(126) }]],
    ['§5.2: a 5-octet length in the 16-bit form (not minimal)', [{ opcode: WsOpcode.TEXT, payload: 'hello', length: '16bit' }]],
    ['§5.2: a 200-octet length in the 64-bit form (not minimal)', [{ opcode: WsOpcode.BINARY, payload: new Uint8Array(200), length: '64bit' }]],
    ['§5.4: a continuation frame with no message started', [{ opcode: WsOpcode.CONTINUATION, payload: 'orphan' }]],
    ['§5.4: a new text frame while a fragmented message is open', [{ opcode: WsOpcode.TEXT, payload: 'a', fin: false }, { opcode: WsOpcode.TEXT, payload: 'b' }]],
    ['§5.5.1: a close payload of 1 octet', [{ opcode: WsOpcode.CLOSE, payload: Uint8Array.of(3) }]],
    ...[999, 1004, 1005, 1006, 1015, 1016, 2999, 5000].map((code): [string, ServerFrameSpec[]] => [`§7.4: close code ${code}`, [{ opcode: WsOpcode.CLOSE, payload: closeFramePayload(code) }]]),
  ])('RFC 6455 %s → close 1002', async (_name, frames) => {
    await expectFailure(await run(frames), 1002, PROTOCOL);
  });

  it.each<[string, ServerFrameSpec[]]>([
    ['a text message that is not UTF-8', [{ opcode: WsOpcode.TEXT, payload: Uint8Array.of(0x68, 0xc0, 0xaf) }]],
    ['a UTF-16 surrogate encoded in UTF-8 (ED A0 80)', [{ opcode: WsOpcode.TEXT, payload: Uint8Array.of(0xed, 0xa0, 0x80) }]],
    ['an invalid sequence split across fragments (F4 | 90 80 80: above U+10FFFF)', [
      { opcode: WsOpcode.TEXT, payload: Uint8Array.of(0xf4), fin: false },
      { opcode: WsOpcode.CONTINUATION, payload: Uint8Array.of(0x90, 0x80, 0x80) },
    ]],
    ['a truncated code point at the end of the last fragment', [
      { opcode: WsOpcode.TEXT, payload: 'ok', fin: false },
      { opcode: WsOpcode.CONTINUATION, payload: Uint8Array.of(0xe2, 0x82) },
    ]],
    // Fail fast: the rest of the message never comes, yet the first fragment is already invalid.
    ['an invalid first fragment, before the message ends', [{ opcode: WsOpcode.TEXT, payload: Uint8Array.of(0xff), fin: false }]],
    ['a close reason that is not UTF-8 (§5.5.1)', [{ opcode: WsOpcode.CLOSE, payload: closeFramePayload(1000, Uint8Array.of(0xce, 0xba, 0xff)) }]],
  ])('RFC 6455 §8.1: %s → close 1007', async (_name, frames) => {
    await expectFailure(await run(frames), 1007, UTF8);
  });

  it('RFC 6455 §8.1: a code point split across fragments is valid text (κόσμε)', async () => {
    const bytes = enc('κόσμε');
    const r = await run([
      { opcode: WsOpcode.TEXT, payload: bytes.subarray(0, 3), fin: false },
      { opcode: WsOpcode.PING, payload: 'between' },
      { opcode: WsOpcode.CONTINUATION, payload: bytes.subarray(3, 4), fin: false },
      { opcode: WsOpcode.CONTINUATION, payload: bytes.subarray(4) },
    ]);
    expect(await r.conn.await(r.ref, 2000)).toMatchObject({ type: 'ws', frame: { type: 'text', data: 'κόσμε' } });
    // The PING between fragments is answered with its payload (RFC 6455 §5.5.2, §5.4).
    const pong = (await r.session.nextFrame()) as ClientFrame;
    expect([pong.opcode, new TextDecoder().decode(pong.payload)]).toEqual([WsOpcode.PONG, 'between']);
  });

  describe('RFC 6455 §7.4.1: maxFrameSize and maxMessageSize (wsOpts) → close 1009', () => {
    it('accepts a frame of exactly maxFrameSize octets', async () => {
      const r = await run([{ opcode: WsOpcode.BINARY, payload: new Uint8Array(1000) }], { maxFrameSize: 1000 });
      expect(await r.conn.await(r.ref, 2000)).toMatchObject({ type: 'ws', frame: { type: 'binary', data: new Uint8Array(1000) } });
    });

    it('fails on a frame of maxFrameSize + 1 octets, announced by its header alone', async () => {
      // Only the header is sent: the client must not wait for the payload.
      const header = buildServerFrame({ opcode: WsOpcode.BINARY, payload: new Uint8Array(1001) }).subarray(0, 4);
      await expectFailure(await run([header], { maxFrameSize: 1000 }), 1009, TOO_LARGE);
    });

    it('accepts a fragmented message of exactly maxMessageSize octets', async () => {
      const r = await run([
        { opcode: WsOpcode.TEXT, payload: 'a'.repeat(600), fin: false },
        { opcode: WsOpcode.CONTINUATION, payload: 'b'.repeat(400) },
      ], { maxMessageSize: 1000 });
      expect(await r.conn.await(r.ref, 2000)).toMatchObject({ type: 'ws', frame: { type: 'text', data: 'a'.repeat(600) + 'b'.repeat(400) } });
    });

    it('fails on a fragmented message of maxMessageSize + 1 octets', async () => {
      const frames: ServerFrameSpec[] = [
        { opcode: WsOpcode.TEXT, payload: 'a'.repeat(600), fin: false },
        { opcode: WsOpcode.CONTINUATION, payload: 'b'.repeat(401) },
      ];
      await expectFailure(await run(frames, { maxMessageSize: 1000 }), 1009, TOO_LARGE);
    });
  });

  describe('with permessage-deflate negotiated (RFC 7692 §6.1)', () => {
    const deflate = [['sec-websocket-extensions', 'permessage-deflate']] as const;

    it('RSV1 on a continuation frame → close 1002', async () => {
      const frames: ServerFrameSpec[] = [{ opcode: WsOpcode.TEXT, payload: 'a', fin: false }, { opcode: WsOpcode.CONTINUATION, payload: 'b', rsv: 0b100 }];
      await expectFailure(await run(frames, { compress: true }, deflate), 1002, PROTOCOL);
    });

    it('RSV1 on a control frame → close 1002', async () => {
      await expectFailure(await run([{ opcode: WsOpcode.PING, rsv: 0b100 }], { compress: true }, deflate), 1002, PROTOCOL);
    });

    it('a compressed payload that is not DEFLATE data → close 1007', async () => {
      const frames: ServerFrameSpec[] = [{ opcode: WsOpcode.TEXT, payload: Uint8Array.of(0xff, 0xff, 0xff, 0xff), rsv: 0b100 }];
      await expectFailure(await run(frames, { compress: true }, deflate), 1007, 'WS_ERR_INFLATE_FAILED');
    });
  });

  it('RFC 6455 §7.1.5: an abrupt TCP drop in the middle of a frame → down closed, the stream killed, no close frame sent', async () => {
    const partial = buildServerFrame({ opcode: WsOpcode.BINARY, payload: new Uint8Array(500) }).subarray(0, 100);
    const r = await run([partial]);
    r.session.drop();
    const d = await down(r.conn);
    expect(d).toMatchObject({ type: 'down', protocol: 'ws', reason: 'closed', killedStreams: [r.ref] });
    await expect(r.conn.await(r.ref, 1000)).rejects.toMatchObject({ code: GunErrors.DOWN });
    expect(r.session.frames).toEqual([]);
  });

  it('RFC 6455 §5.5.1: a valid close from the server is echoed with its code and ends the connection normally', async () => {
    const r = await run([{ opcode: WsOpcode.CLOSE, payload: closeFramePayload(4321, 'fine') }]);
    expect(await r.conn.await(r.ref, 2000)).toMatchObject({ type: 'ws', frame: { type: 'close', code: 4321, reason: 'fine' } });
    expect(await closeSent(r.session)).toBe(4321);
    expect(await down(r.conn)).toMatchObject({ type: 'down', protocol: 'ws', reason: 'normal' });
  });
});
