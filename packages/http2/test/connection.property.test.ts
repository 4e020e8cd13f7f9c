import fc from 'fast-check';
import { ByteQueue } from '@gunhttp/core';
import { Http2ClientConnection, parseFrame, serializeFrame, type FrameInput } from '../src/index.js';
import { concat, get, SERVER_SETTINGS, serverEncoder } from './helpers.js';

function started(): Http2ClientConnection {
  const h2 = new Http2ClientConnection({ onStreamLimit: 'queue' });
  h2.start();
  h2.request(get(), { endStream: true });
  h2.request([[':method', 'POST'], [':scheme', 'http'], [':authority', 'a'], [':path', '/']]);
  return h2;
}

const enc = serverEncoder();
const validFrames: FrameInput[] = [
  { type: 'headers', streamId: 1, fragment: enc.encode([[':status', '200']]) },
  { type: 'headers', streamId: 3, fragment: enc.encode([[':status', '100']]), endStream: false },
  { type: 'data', streamId: 1, data: new Uint8Array(10), endStream: true },
  { type: 'data', streamId: 3, data: new Uint8Array(3), padLength: 2 },
  { type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: enc.encode(get('/p')) },
  { type: 'windowUpdate', streamId: 0, increment: 100 },
  { type: 'windowUpdate', streamId: 3, increment: 100 },
  { type: 'rstStream', streamId: 3, errorCode: 8 },
  { type: 'settings', settings: [[3, 1], [4, 100]] },
  { type: 'ping', opaque: new Uint8Array(8) },
  { type: 'goAway', lastStreamId: 1, errorCode: 0 },
  { type: 'continuation', streamId: 1, fragment: new Uint8Array([0x82]) },
];

function drive(h2: Http2ClientConnection, chunks: Uint8Array[]): void {
  for (const chunk of chunks) {
    const events = h2.receive(chunk);
    const errors = events.filter((e) => e.type === 'error');
    expect(errors.length).toBeLessThanOrEqual(1);
    if (errors.length === 1) expect(events.at(-1)?.type).toBe('error');
  }
  // Whatever happened, the output is well-formed frames.
  const q = new ByteQueue();
  h2.takeOutput().forEach((c) => q.push(c));
  q.skip(24);
  while (q.length > 0) expect(parseFrame(q, { maxFrameSize: 1 << 24 }).kind).toBe('ok');
}

describe('Http2ClientConnection properties', () => {
  it('arbitrary bytes after the server SETTINGS never throw; an error is always the last event', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 6 }), (chunks) => {
      drive(started(), [SERVER_SETTINGS, ...chunks]);
    }), { numRuns: 1000 });
  });

  it('arbitrary sequences of (possibly mutated) frames never throw', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.constantFrom(...validFrames), fc.option(fc.tuple(fc.nat(20), fc.integer({ min: 0, max: 255 })), { nil: undefined })), { maxLength: 12 }),
      (list) => {
        const bytes = list.map(([frame, mutation]) => {
          const b = serializeFrame(frame);
          if (mutation !== undefined) b[mutation[0] % b.length] = mutation[1];
          return b;
        });
        drive(started(), [SERVER_SETTINGS, concat(...bytes)]);
      },
    ), { numRuns: 1000 });
  });
});
