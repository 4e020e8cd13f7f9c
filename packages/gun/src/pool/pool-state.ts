import { assertNever } from '@gunhttp/core';

/**
 * The state of a pool (Gun's `gun_pool` manager, a gen_statem with `degraded` and
 * `operational`; `stopped` is ours: the pool was stopped and opens nothing more).
 *
 *              connUp, every connection up
 *   degraded ───────────────────────────────> operational
 *      │   ^ <─────────────────────────────────  │
 *      │   │   connDown / connGone (one is down  │
 *      │   │   or terminated, and replaced)      │
 *      │   └── connUp, some still down ──┘        │
 *      └── stop ──> stopped <──── stop ───────────┘
 *
 * A pool with no connection (its connection options were rejected) stays degraded (Gun's
 * `degraded_configuration_error`).
 */
export type PoolStateName = 'degraded' | 'operational' | 'stopped';

/** What happens to a pool. */
export type PoolEvent = 'connUp' | 'connDown' | 'connGone' | 'stop';

/** The transition table; `allUp` tells whether every connection is up after the event. */
export function nextPoolState(state: PoolStateName, event: PoolEvent, allUp: boolean): PoolStateName {
  switch (state) {
    case 'stopped':
      return 'stopped';
    case 'degraded':
    case 'operational':
      switch (event) {
        case 'connUp': return allUp ? 'operational' : 'degraded';
        case 'connDown':
        case 'connGone':
          return 'degraded';
        case 'stop': return 'stopped';
        default: return assertNever(event, 'pool event');
      }
    default:
      return assertNever(state, 'pool state');
  }
}
