import { nextPoolState } from '../../../src/pool/pool-state.js';
import type { PoolEvent, PoolStateName } from '../../../src/pool/pool-state.js';

// Every (state, event, allUp) triple of the table in pool-state.ts.
const cases: Array<[PoolStateName, PoolEvent, boolean, PoolStateName]> = [
  ['degraded', 'connUp', true, 'operational'],
  ['degraded', 'connUp', false, 'degraded'],
  ['degraded', 'connDown', false, 'degraded'],
  ['degraded', 'connGone', false, 'degraded'],
  ['degraded', 'stop', false, 'stopped'],
  ['operational', 'connUp', true, 'operational'],
  ['operational', 'connUp', false, 'degraded'],
  ['operational', 'connDown', false, 'degraded'],
  ['operational', 'connGone', true, 'degraded'],
  ['operational', 'stop', true, 'stopped'],
  ['stopped', 'connUp', true, 'stopped'],
  ['stopped', 'connDown', false, 'stopped'],
  ['stopped', 'connGone', false, 'stopped'],
  ['stopped', 'stop', false, 'stopped'],
];

describe('the pool state machine (Gun gun_pool degraded / operational)', () => {
  it.each(cases)('%s + %s (every connection up: %s) → %s', (state, event, allUp, next) => {
    expect(nextPoolState(state, event, allUp)).toBe(next);
  });
});
