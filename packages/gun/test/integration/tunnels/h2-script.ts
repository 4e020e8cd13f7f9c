import type { Socket } from 'node:net';
import { serializeFrame } from '@gunhttp/http2';
import type { FrameInput } from '@gunhttp/http2';
import { open } from '../../../src/index.js';
import type { Connection } from '../../../src/index.js';

/*
 * What the tunnel tests that script an HTTP/2 origin by hand share: the h2c proxy connection,
 * writing frames, and reading back the frames the client sent.
 */

/** The client connection preface magic, before the client's first frame (RFC 9113 §3.4). */
const PREFACE_LENGTH = 24;

/** An h2c connection to the proxy on 127.0.0.1 (prior knowledge), once up. */
export async function openH2cProxy(port: number): Promise<Connection> {
  const c = open('127.0.0.1', port, { retry: 0, protocols: ['http2'] });
  expect(await c.awaitUp()).toBe('http2');
  return c;
}

/** Writes `frames` to a scripted origin's socket. */
export function sendFrames(socket: Socket, ...frames: FrameInput[]): void {
  for (const f of frames) socket.write(serializeFrame(f));
}

/** The frames the client sent to a scripted HTTP/2 origin, after the preface magic. */
export function framesSent(bytes: Buffer): Array<{ type: number; payload: Buffer }> {
  const frames = [];
  for (let at = PREFACE_LENGTH; at + 9 <= bytes.length;) {
    const length = bytes.readUIntBE(at, 3);
    frames.push({ type: bytes[at + 3]!, payload: bytes.subarray(at + 9, at + 9 + length) });
    at += 9 + length;
  }
  return frames;
}
