import { DEFAULT_FLOOD_LIMITS, Http2ClientConnection } from '../../src/index.js';
import { connected, frames } from '../helpers.js';

const BAD = expect.objectContaining({ code: 'H2_ERR_BAD_ARGUMENT', origin: 'local' });

describe('option floodLimits (validation)', () => {
  it.each([
    ['not an object', 5],
    ['null', null],
    ['an unknown kind', { pings: { count: 1 } }],
    ['a kind that is not an object', { ping: 3 }],
    ['an unknown key', { ping: { count: 1, window: 5 } }],
    ['count 0', { ping: { count: 0 } }],
    ['a negative count', { settings: { count: -1 } }],
    ['a fractional count', { rstStream: { count: 1.5 } }],
    ['a count that is not a number', { emptyData: { count: '10' } }],
    ['NaN count', { continuation: { count: NaN } }],
    ['windowMs 0', { ping: { windowMs: 0 } }],
    ['a negative windowMs', { ping: { windowMs: -10 } }],
    ['NaN windowMs', { ping: { windowMs: NaN } }],
    ['a windowMs that is not a number', { ping: { windowMs: '1000' } }],
  ])('rejects %s with H2_ERR_BAD_ARGUMENT', (_name, floodLimits) => {
    expect(() => new Http2ClientConnection({ floodLimits } as never)).toThrow(BAD);
  });

  it.each([
    ['an empty object', {}],
    ['count 1', { ping: { count: 1 } }],
    ['count Infinity (no limit)', { ping: { count: Infinity } }],
    ['a fractional windowMs', { ping: { windowMs: 0.5 } }],
    ['windowMs Infinity (the connection life)', { ping: { windowMs: Infinity } }],
    ['every kind', { settings: { count: 1, windowMs: 1 }, ping: { count: 1, windowMs: 1 }, rstStream: { count: 1, windowMs: 1 }, emptyData: { count: 1, windowMs: 1 }, continuation: { count: 1, windowMs: 1 } }],
  ])('accepts %s', (_name, floodLimits) => {
    expect(() => new Http2ClientConnection({ floodLimits })).not.toThrow();
  });

  it('keeps the default window when only count is given', () => {
    const h2 = connected({ floodLimits: { ping: { count: 1 } } });
    const ping = frames({ type: 'ping', opaque: new Uint8Array(8) });
    expect(h2.receive(ping, 0).map((e) => e.type)).toEqual(['ping']);
    // Still inside the default 10000 ms window: the second PING is one too many.
    expect(h2.receive(ping, DEFAULT_FLOOD_LIMITS.ping.windowMs - 1).map((e) => e.type)).toEqual(['error']);
  });

  it('never trips with count Infinity', () => {
    const h2 = connected({ floodLimits: { ping: { count: Infinity } } });
    const ping = frames({ type: 'ping', opaque: new Uint8Array(8) });
    for (let i = 0; i < 1100; i++) expect(h2.receive(ping).map((e) => e.type)).toEqual(['ping']);
  });
});

describe('receive(chunk, now)', () => {
  it.each([NaN, Infinity, -Infinity, '5'])('rejects now = %p with H2_ERR_BAD_ARGUMENT', (now) => {
    const h2 = connected();
    expect(() => h2.receive(new Uint8Array(0), now as number)).toThrow(BAD);
  });
});
