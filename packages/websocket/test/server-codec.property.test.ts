import fc from 'fast-check';
import { ClientFrameReader, joinBytes, messageFrameSpecs, buildServerFrame, ServerDeflate, ServerInflate, WsOpcode } from '@gunhttp/testkit';
import type { ClientFrame, ServerFrameSpec } from '@gunhttp/testkit';
import type { DeflateParams, WsEvent } from '../src/index.js';
import { client, deflateClient } from './support/ws.js';

/*
 * Round trips between our client codec and the independent server-side codec of the testkit
 * (its own frame reader and writer, permessage-deflate on streaming node:zlib): random messages
 * of 0 to 70,000 octets, random fragmentations and chunkings, with and without compression and
 * with context takeover on and off (RFC 6455 §5.2-§5.4, RFC 7692 §7.2).
 */

type Message = { readonly type: 'text'; readonly data: string } | { readonly type: 'binary'; readonly data: Uint8Array };

const utf8 = new TextEncoder();
const payloadOf = (m: Message): Uint8Array => (m.type === 'text' ? utf8.encode(m.data) : m.data);

/** Bytes from a seed: a cheap generator, so 70,000-octet messages cost little; `runs` makes some compressible. */
function bytesFromSeed(n: number, seed: number, runs: boolean): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    if (!runs || i % 64 === 0) x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = runs ? (x >>> 24) % 8 : x >>> 24;
  }
  return out;
}

const binaryArb: fc.Arbitrary<Message> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(fc.integer({ min: 0, max: 70000 }), fc.integer(), fc.boolean()).map(([n, seed, runs]) => bytesFromSeed(n, seed, runs)),
).map((data) => ({ type: 'binary', data }));

const textArb: fc.Arbitrary<Message> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  // Repeated graphemes reach large sizes cheaply; 17,500 code points of 4 octets at most keep this ≤ 70,000.
  fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 2000 })).map(([s, n]) => Array.from(s.repeat(n)).slice(0, 17500).join('')),
).map((data) => ({ type: 'text', data }));

const messagesArb = fc.array(fc.oneof(textArb, binaryArb), { minLength: 1, maxLength: 4 });
/** Fragment payload sizes per message (RFC 6455 §5.4); an empty list sends one frame. */
const fragmentationArb = fc.array(fc.integer({ min: 1, max: 30000 }), { maxLength: 5 });
/** Where the wire is cut into chunks, as fractions of its length. */
const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

const paramsArb: fc.Arbitrary<DeflateParams> = fc.record({
  serverNoContextTakeover: fc.boolean(),
  clientNoContextTakeover: fc.boolean(),
  serverMaxWindowBits: fc.integer({ min: 9, max: 15 }),
  clientMaxWindowBits: fc.integer({ min: 9, max: 15 }),
});

function chunks(wire: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * wire.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, wire.length]) {
    out.push(wire.subarray(from, p));
    from = p;
  }
  return out;
}

/** Events with binary payloads as base64: jest compares long strings much faster than long byte arrays. */
const compact = (events: readonly WsEvent[]): unknown[] =>
  events.map((e) => ('data' in e && e.data instanceof Uint8Array ? { type: e.type, base64: Buffer.from(e.data).toString('base64') } : e));

/**
 * Server → client: the testkit compresses (one stream, or one per message without context
 * takeover), fragments each message and puts a PING between the first two fragments, which
 * RFC 6455 §5.4 allows; our client reads the wire in random chunks.
 */
async function serverToClient(messages: readonly Message[], sizes: readonly number[], cuts: readonly number[], params: DeflateParams | undefined): Promise<void> {
  const deflate = params === undefined ? undefined : new ServerDeflate({ noContextTakeover: params.serverNoContextTakeover, windowBits: params.serverMaxWindowBits });
  const frames: ServerFrameSpec[] = [];
  const want: WsEvent[] = [];
  for (const [i, m] of messages.entries()) {
    const raw = payloadOf(m);
    const payload = deflate === undefined ? raw : await deflate.compress(raw);
    const specs = messageFrameSpecs(m.type === 'text' ? WsOpcode.TEXT : WsOpcode.BINARY, payload, { sizes, compressed: deflate !== undefined });
    const ping = Uint8Array.of(i);
    if (specs.length > 1) {
      specs.splice(1, 0, { opcode: WsOpcode.PING, payload: ping });
      want.push({ type: 'ping', data: ping });
    }
    frames.push(...specs);
    want.push(m);
  }
  deflate?.close();
  const ws = params === undefined ? client() : deflateClient(params);
  const got = chunks(joinBytes(frames.map(buildServerFrame)), cuts).flatMap((c) => ws.receive(c));
  expect(compact(got)).toEqual(compact(want));
}

/** Reassembles data messages from client frames (continuations joined), inflating compressed ones. */
async function assemble(frames: readonly ClientFrame[], inflate: ServerInflate | undefined): Promise<Message[]> {
  const out: Message[] = [];
  let parts: ClientFrame[] = [];
  for (const f of frames) {
    expect(f.maskKey).toHaveLength(4); // RFC 6455 §5.3: every client frame is masked
    parts.push(f);
    if (!f.fin) continue;
    const first = parts[0]!;
    const joined = joinBytes(parts.map((p) => p.payload));
    expect(first.rsv).toBe(inflate === undefined ? 0 : 0b100);
    const data = inflate === undefined ? joined : await inflate.decompress(joined);
    out.push(first.opcode === WsOpcode.TEXT ? { type: 'text', data: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data) } : { type: 'binary', data });
    parts = [];
  }
  expect(parts).toEqual([]);
  return out;
}

/** Client → server: our client compresses and masks; the testkit reads the wire in random chunks. */
async function clientToServer(messages: readonly Message[], keys: readonly Uint8Array[], cuts: readonly number[], params: DeflateParams | undefined): Promise<void> {
  let k = 0;
  const maskKey = (): Uint8Array => keys[k++ % keys.length]!;
  const ws = params === undefined ? client({ maskKey }) : deflateClient(params, { maskKey });
  for (const m of messages) ws.send(m);
  const reader = new ClientFrameReader();
  const frames = chunks(joinBytes(ws.takeOutput()), cuts).flatMap((c) => reader.push(c));
  expect(reader.pending).toBe(0);
  const inflate = params === undefined ? undefined : new ServerInflate({ noContextTakeover: params.clientNoContextTakeover });
  const got = await assemble(frames, inflate);
  inflate?.close();
  expect(compact(got)).toEqual(compact(messages));
}

const keysArb = fc.array(fc.uint8Array({ minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 3 });

describe('round trips with the testkit server codec (RFC 6455 §5, RFC 7692 §7.2)', () => {
  it('server → client, uncompressed: every message arrives whole, however fragmented and chunked', async () => {
    await fc.assert(fc.asyncProperty(messagesArb, fragmentationArb, cutsArb, (m, sizes, cuts) => serverToClient(m, sizes, cuts, undefined)), { numRuns: 100 });
  });

  it('server → client, permessage-deflate with and without context takeover', async () => {
    await fc.assert(fc.asyncProperty(messagesArb, fragmentationArb, cutsArb, paramsArb, (m, sizes, cuts, params) => serverToClient(m, sizes, cuts, params)), { numRuns: 60 });
  });

  it('client → server, uncompressed and masked with the injected keys', async () => {
    await fc.assert(fc.asyncProperty(messagesArb, keysArb, cutsArb, (m, keys, cuts) => clientToServer(m, keys, cuts, undefined)), { numRuns: 100 });
  });

  it('client → server, permessage-deflate with and without context takeover', async () => {
    await fc.assert(fc.asyncProperty(messagesArb, keysArb, cutsArb, paramsArb, (m, keys, cuts, params) => clientToServer(m, keys, cuts, params)), { numRuns: 60 });
  });
});
