import * as zlib from 'node:zlib';
import { WebSocketConnection } from '@gunhttp/websocket';
import type { DeflateParams, PerMessageDeflate, WsEvent } from '@gunhttp/websocket';
import { nodePerMessageDeflate } from '../../src/ws-deflate.js';

const TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff);
const BIG = 64 * 1024 * 1024;

const params = (over: Partial<DeflateParams> = {}): DeflateParams => ({
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: 15,
  clientMaxWindowBits: 15,
  ...over,
});

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Inflates one compressed message (tail included) the way the Websocket codec does. */
function inflate(codec: PerMessageDeflate, compressed: Uint8Array, maxSize = BIG): Uint8Array | string {
  const first = codec.decompress(compressed, false, maxSize);
  if (!(first instanceof Uint8Array)) return first;
  const last = codec.decompress(TAIL, true, maxSize);
  return last instanceof Uint8Array ? new Uint8Array([...first, ...last]) : last;
}

const stripTail = (b: Uint8Array): Uint8Array => b.subarray(0, b.length - 4);

/** Pseudo-random but repeatable octets (incompressible enough to need the whole window). */
function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('nodePerMessageDeflate (RFC 7692 §7)', () => {
  it('ends a compressed message with the sync-flush tail 00 00 FF FF (RFC 7692 §7.2.1)', () => {
    const out = nodePerMessageDeflate(params()).compress(text('Hello'), true);
    expect([...out.subarray(out.length - 4)]).toEqual([...TAIL]);
  });

  it('round-trips messages with context takeover, later repeats compressing smaller (RFC 7692 §7.2.3.2)', () => {
    const tx = nodePerMessageDeflate(params(), { role: 'client' });
    const rx = nodePerMessageDeflate(params(), { role: 'server' });
    const msg = text('{"jsonrpc":"2.0","method":"subscribe","params":["ticker","BTC-EUR"]}');
    const sizes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = stripTail(tx.compress(msg, true));
      sizes.push(c.length);
      expect(inflate(rx, c)).toEqual(msg);
    }
    expect(sizes[1]).toBeLessThan(sizes[0]!);
    // The second message refers to the first: a decompressor without that history cannot read it.
    const fresh = nodePerMessageDeflate(params(), { role: 'server' });
    const again = stripTail(tx.compress(msg, true));
    expect(inflate(fresh, again)).toBe('invalid');
  });

  it('keeps no history when no_context_takeover was negotiated (RFC 7692 §7.1.1)', () => {
    const p = params({ clientNoContextTakeover: true });
    const tx = nodePerMessageDeflate(p, { role: 'client' });
    const msg = text('the same message, again and again and again');
    const first = stripTail(tx.compress(msg, true));
    tx.resetCompressor();
    const second = stripTail(tx.compress(msg, true));
    expect(second).toEqual(first);
    // Any decompressor reads it alone.
    expect(inflate(nodePerMessageDeflate(p, { role: 'server' }), second)).toEqual(msg);
  });

  it('forgets its history on resetCompressor/resetDecompressor', () => {
    const tx = nodePerMessageDeflate(params());
    const rx = nodePerMessageDeflate(params(), { role: 'server' });
    const msg = text('abcabcabcabc-reset-me');
    expect(inflate(rx, stripTail(tx.compress(msg, true)))).toEqual(msg);
    tx.resetCompressor();
    rx.resetDecompressor();
    expect(inflate(rx, stripTail(tx.compress(msg, true)))).toEqual(msg);
  });

  it('inflates what a continuous zlib stream (one context for the connection) produces', async () => {
    const stream = zlib.createDeflateRaw({ windowBits: 15, level: 6 });
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const flush = async (data: Uint8Array): Promise<Uint8Array> => {
      stream.write(data);
      await new Promise<void>((resolve) => stream.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
      const out = Buffer.concat(chunks.splice(0));
      return new Uint8Array(out.subarray(0, out.length - 4));
    };
    const rx = nodePerMessageDeflate(params());
    const messages = [noise(40000, 3), text('short'), noise(40000, 3), noise(70000, 9), text('short')];
    for (const m of messages) expect(inflate(rx, await flush(m))).toEqual(m);
    stream.close();
  });

  it('holds back a message split across calls until its last call', () => {
    const tx = nodePerMessageDeflate(params());
    const rx = nodePerMessageDeflate(params(), { role: 'server' });
    expect(tx.compress(text('Hel'), false)).toEqual(new Uint8Array(0));
    const c = stripTail(tx.compress(text('lo'), true));
    expect(rx.decompress(c.subarray(0, 2), false, BIG)).toEqual(new Uint8Array(0));
    expect(rx.decompress(c.subarray(2), false, BIG)).toEqual(new Uint8Array(0));
    expect(rx.decompress(TAIL, true, BIG)).toEqual(text('Hello'));
  });

  it('inflates a message of exactly maxSize octets and refuses one octet more (tooLarge)', () => {
    const tx = nodePerMessageDeflate(params({ clientNoContextTakeover: true }));
    const msg = new Uint8Array(1000).fill(0x61);
    const c = stripTail(tx.compress(msg, true));
    expect(inflate(nodePerMessageDeflate(params(), { role: 'server' }), c, 1000)).toEqual(msg);
    expect(inflate(nodePerMessageDeflate(params(), { role: 'server' }), c, 999)).toBe('tooLarge');
  });

  it('refuses compressed input that could not inflate within maxSize (tooLarge)', () => {
    const rx = nodePerMessageDeflate(params());
    expect(rx.decompress(noise(5000), false, 100)).toBe('tooLarge');
  });

  it('reports corrupt DEFLATE data as invalid (RFC 7692 §7.2.2)', () => {
    expect(inflate(nodePerMessageDeflate(params()), Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toBe('invalid');
  });

  it('bumps 8-bit windows to 9 and refuses window bits outside 8..15', () => {
    const p = params({ clientMaxWindowBits: 8, serverMaxWindowBits: 8 });
    const tx = nodePerMessageDeflate(p);
    const rx = nodePerMessageDeflate(p, { role: 'server' });
    const msg = noise(3000, 5);
    expect(inflate(rx, stripTail(tx.compress(msg, true)))).toEqual(msg);
    expect(() => nodePerMessageDeflate(params({ clientMaxWindowBits: 16 }))).toThrow(RangeError);
    expect(() => nodePerMessageDeflate(params(), { level: 10 })).toThrow(RangeError);
  });
});

describe('nodePerMessageDeflate with WebSocketConnection in both roles', () => {
  function pair(p: DeflateParams): { client: WebSocketConnection; server: WebSocketConnection } {
    const key = Uint8Array.of(1, 2, 3, 4);
    return {
      client: new WebSocketConnection({ role: 'client', maskKey: () => key, extensions: { permessageDeflate: { params: p, codec: nodePerMessageDeflate(p, { role: 'client' }) } } }),
      server: new WebSocketConnection({ role: 'server', extensions: { permessageDeflate: { params: p, codec: nodePerMessageDeflate(p, { role: 'server' }) } } }),
    };
  }
  const carry = (from: WebSocketConnection, to: WebSocketConnection): WsEvent[] => from.takeOutput().flatMap((b) => to.receive(b));

  it.each([
    ['context takeover, 15-bit windows', params()],
    ['no context takeover both ways', params({ clientNoContextTakeover: true, serverNoContextTakeover: true })],
    ['9-bit client window, 10-bit server window', params({ clientMaxWindowBits: 9, serverMaxWindowBits: 10 })],
    ['8-bit windows (bumped to 9)', params({ clientMaxWindowBits: 8, serverMaxWindowBits: 8 })],
  ])('exchanges text and binary messages both ways: %s', (_name, p) => {
    const { client, server } = pair(p);
    const messages = ['hello', 'hello', 'x'.repeat(70000), decode(noise(100, 2).map((b) => 0x20 + (b % 90))), ''];
    for (const m of messages) {
      client.send({ type: 'text', data: m });
      expect(carry(client, server)).toEqual([{ type: 'text', data: m }]);
      server.send({ type: 'text', data: m });
      expect(carry(server, client)).toEqual([{ type: 'text', data: m }]);
    }
    const blob = noise(50000, 7);
    server.send({ type: 'binary', data: blob });
    expect(carry(server, client)).toEqual([{ type: 'binary', data: blob }]);
  });
});
