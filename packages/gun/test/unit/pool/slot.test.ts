import { StreamRef } from '@gunhttp/core';
import type { Connection } from '../../../src/index.js';
import { hasCapacity, slotCapacity } from '../../../src/pool/slot.js';
import type { PoolSlot, SlotState } from '../../../src/pool/slot.js';
import { StreamCounts } from '../../../src/pool/stream-counts.js';

function slot(state: SlotState, inFlight: number, maxStreams = Infinity): PoolSlot {
  const counts = new StreamCounts();
  for (let i = 0; i < inFlight; i++) counts.start(new StreamRef());
  return { conn: {} as Connection, counts, state, wire: undefined, maxStreams };
}

const up = (protocol: 'http' | 'http2' | 'ws'): SlotState => ({ kind: 'up', protocol, meta: {} });

describe('a pooled connection has capacity (Gun gun_pool checkout)', () => {
  it.each([
    { name: 'HTTP/1.1 idle', s: slot(up('http'), 0), ok: true },
    { name: 'HTTP/1.1 with 1 stream', s: slot(up('http'), 1), ok: false },
    { name: 'HTTP/2 before SETTINGS, 1000 streams (unlimited until known)', s: slot(up('http2'), 1000), ok: true },
    { name: 'HTTP/2 limit 2, 1 stream', s: slot(up('http2'), 1, 2), ok: true },
    { name: 'HTTP/2 limit 2, 2 streams', s: slot(up('http2'), 2, 2), ok: false },
    { name: 'HTTP/2 limit 0 (RFC 9113 §6.5.2 allows it)', s: slot(up('http2'), 0, 0), ok: false },
    { name: 'Websocket with 5 streams', s: slot(up('ws'), 5, 1), ok: true },
    { name: 'down', s: slot({ kind: 'down' }, 0), ok: false },
    { name: 'in setup', s: slot({ kind: 'setup', state: 0 }, 0), ok: false },
  ])('$name: $ok', ({ s, ok }) => {
    expect(hasCapacity(s)).toBe(ok);
  });

  it('reports 0 streams of capacity while not up', () => {
    expect(slotCapacity(slot({ kind: 'down' }, 0))).toBe(0);
    expect(slotCapacity(slot(up('http2'), 0, 7))).toBe(7);
  });
});
