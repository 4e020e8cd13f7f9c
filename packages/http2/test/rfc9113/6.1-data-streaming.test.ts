import type { Http2ClientConnection, Http2Event } from '../../src/index.js';
import { frames, headersFrame, withRequest, written } from '../helpers.js';

/*
 * DATA payload is handed over as it arrives (RFC 9113 §6.1): a frame spread over several received
 * chunks gives one `data` event per chunk, each a view of the chunk (no copy), END_STREAM on the
 * last piece only. The checks of §6.9.1 and §8.1.1 are made from the frame header, before any
 * octet is delivered.
 */

type DataEvent = Extract<Http2Event, { type: 'data' }>;

function dataEvents(events: Http2Event[]): DataEvent[] {
  return events.filter((e): e is DataEvent => e.type === 'data');
}

function responding(headers: Array<[string, string]> = [[':status', '200']], options = {}): Http2ClientConnection {
  const { h2, enc } = withRequest(options);
  h2.receive(frames(headersFrame(enc, 1, headers)));
  written(h2);
  return h2;
}

/** One DATA frame of `size` octets valued i % 251, cut at `cuts` offsets. */
function cutFrame(size: number, endStream: boolean, cuts: number[]): Uint8Array[] {
  const payload = Uint8Array.from({ length: size }, (_, i) => i % 251);
  const bytes = frames({ type: 'data', streamId: 1, data: payload, endStream });
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.slice(at, cut));
    at = cut;
  }
  return chunks;
}

describe('RFC 9113 §6.1 DATA: payload delivered as it arrives', () => {
  it('gives one data event per received chunk, each a view of that chunk, END_STREAM on the last only', () => {
    const h2 = responding();
    const chunks = cutFrame(16384, true, [5, 9, 4000, 16000]);
    const pieces = chunks.map((c) => dataEvents(h2.receive(c)));
    expect(pieces.map((p) => p.length)).toEqual([0, 0, 1, 1, 1]);
    const events = pieces.flat();
    expect(events.map((e) => e.data.length)).toEqual([4000 - 9, 16000 - 4000, 16393 - 16000]);
    expect(events.map((e) => e.endStream)).toEqual([false, false, true]);
    events.forEach((e, i) => expect(e.data.buffer).toBe(chunks[i + 2]!.buffer));
    const joined = Uint8Array.from(events.flatMap((e) => [...e.data]));
    expect(joined).toEqual(Uint8Array.from({ length: 16384 }, (_, i) => i % 251));
  });

  it('delivers the pieces of a frame and the frames after it from one chunk', () => {
    const h2 = responding();
    const first = cutFrame(100, false, [50]);
    expect(dataEvents(h2.receive(first[0]!)).map((e) => e.data.length)).toEqual([41]);
    const rest = new Uint8Array([...first[1]!, ...frames({ type: 'data', streamId: 1, data: new Uint8Array(7), endStream: true })]);
    expect(dataEvents(h2.receive(rest)).map((e) => [e.data.length, e.endStream])).toEqual([[59, false], [7, true]]);
  });

  it('checks content-length from the frame header, before any octet is delivered (§8.1.1)', () => {
    const h2 = responding([[':status', '200'], ['content-length', '10']]);
    const events = h2.receive(cutFrame(20, false, [12])[0]!);
    expect(dataEvents(events)).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'streamError', streamId: 1 }));
    expect(written(h2).some((f) => f.type === 'rstStream' && f.streamId === 1)).toBe(true);
  });

  it('checks the stream flow-control window from the frame header (§6.9.1)', () => {
    const h2 = responding(undefined, { initialStreamWindowSize: 1000, initialConnectionWindowSize: 100000 });
    const events = h2.receive(cutFrame(2000, false, [100])[0]!);
    expect(dataEvents(events)).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'streamError', streamId: 1 }));
  });

  it('drops the rest of a frame whose stream the user reset meanwhile, and gives its octets back to the connection window', () => {
    const h2 = responding(undefined, { initialConnectionWindowSize: 65535, connectionWindowUpdateThreshold: 50000 });
    for (let i = 0; i < 3; i++) h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(5000) }));
    h2.consumed(1, 15000);
    expect(written(h2).filter((f) => f.type === 'windowUpdate')).toEqual([]);
    const chunks = cutFrame(16000, false, [1009]);
    expect(dataEvents(h2.receive(chunks[0]!)).map((e) => e.data.length)).toEqual([1000]);
    h2.resetStream(1);
    written(h2);
    expect(dataEvents(h2.receive(chunks[1]!))).toEqual([]);
    h2.consumed(1, 1000);
    const updates = written(h2).filter((f) => f.type === 'windowUpdate');
    expect(updates).toEqual([expect.objectContaining({ streamId: 0 })]);
  });
});
