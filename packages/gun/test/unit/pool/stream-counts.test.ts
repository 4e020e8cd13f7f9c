import { StreamRef } from '@gunhttp/core';
import { StreamCounts } from '../../../src/pool/stream-counts.js';

type Step = 'start' | 'request' | 'response' | 'cancelH1' | 'cancelH2' | 'release';

function run(steps: readonly Step[]): number {
  const counts = new StreamCounts();
  const ref = new StreamRef();
  for (const step of steps) {
    if (step === 'start') counts.start(ref);
    else if (step === 'request' || step === 'response') counts.ended(ref, step);
    else if (step === 'cancelH1' || step === 'cancelH2') counts.cancelled(ref, step === 'cancelH2');
    else counts.release(ref);
  }
  return counts.inFlight;
}

describe('StreamCounts (Gun gun_pool_events_h)', () => {
  it.each<{ steps: Step[]; inFlight: number }>([
    { steps: ['start'], inFlight: 1 },
    { steps: ['start', 'request'], inFlight: 1 },
    { steps: ['start', 'response'], inFlight: 1 },
    { steps: ['start', 'request', 'response'], inFlight: 0 },
    { steps: ['start', 'response', 'request'], inFlight: 0 },
    { steps: ['start', 'request', 'request'], inFlight: 1 },
    { steps: ['start', 'response', 'response'], inFlight: 1 },
    { steps: ['start', 'cancelH2'], inFlight: 0 },
    { steps: ['start', 'cancelH1'], inFlight: 1 },
    { steps: ['start', 'cancelH1', 'response'], inFlight: 0 },
    { steps: ['start', 'release'], inFlight: 0 },
    { steps: ['request', 'response'], inFlight: 0 },
    { steps: ['start', 'request', 'response', 'response'], inFlight: 0 },
  ])('$steps leaves $inFlight stream(s) in flight', ({ steps, inFlight }) => {
    expect(run(steps)).toBe(inFlight);
  });

  it('counts each stream once both halves ended, and a disconnect forgets them all', () => {
    const counts = new StreamCounts();
    const [a, b, c] = [new StreamRef(), new StreamRef(), new StreamRef()];
    for (const r of [a, b, c]) counts.start(r);
    counts.ended(a, 'request');
    counts.ended(a, 'response');
    expect(counts.inFlight).toBe(2);
    counts.reset();
    expect(counts.inFlight).toBe(0);
    counts.ended(b, 'response');
    expect(counts.inFlight).toBe(0);
  });
});

describe('StreamCounts with several streams', () => {
  it('releases a stream from the middle and keeps the others counted in order', () => {
    const counts = new StreamCounts();
    const [a, b, c] = [new StreamRef(), new StreamRef(), new StreamRef()];
    for (const r of [a, b, c]) counts.start(r);
    counts.ended(b, 'response');
    counts.ended(b, 'request');
    expect(counts.inFlight).toBe(2);
    counts.ended(c, 'request');
    counts.ended(a, 'request');
    counts.ended(c, 'response');
    expect(counts.inFlight).toBe(1);
    counts.ended(a, 'response');
    expect(counts.inFlight).toBe(0);
  });
});
