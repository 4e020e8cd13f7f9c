import { GUN_EVENT_NAMES, Mailbox } from '@gunhttp/core';
import type { GunEventHandler, GunEventName } from '@gunhttp/core';
import type { ConnMessage } from '../connection.js';

type AnyHandler = (event: unknown) => void;

/**
 * Gun's pool forces its own event handler (`gun_pool_events_h`) and chains the user's: for each
 * event the pool's method runs first, then the user's (called on the user's object, so classes
 * and proxies work). Only events someone handles get a method.
 */
export function chainEventHandler(pool: GunEventHandler, user: GunEventHandler | undefined): GunEventHandler {
  const chained: Partial<Record<GunEventName, AnyHandler>> = {};
  for (const name of GUN_EVENT_NAMES) {
    const first = pool[name] as AnyHandler | undefined;
    const second = user?.[name] as AnyHandler | undefined;
    if (first !== undefined && second !== undefined) {
      chained[name] = (event) => {
        first(event);
        second.call(user, event);
      };
    } else if (first !== undefined) {
      chained[name] = first;
    } else if (second !== undefined) {
      chained[name] = (event) => second.call(user, event);
    }
  }
  return chained as GunEventHandler;
}

/**
 * The owner mailbox of a pooled connection (the pool plays Gun's manager process): messages
 * the pool consumes (`up`, `down`, `notify` `settingsChanged`, setup replies) are handed to
 * `intercept` synchronously and not queued; every other message is queued as usual, so the
 * streams of pool requests reply here by default and `conn.await(streamRef)` reads them.
 */
export class PoolOwnerMailbox extends Mailbox<ConnMessage> {
  constructor(private readonly intercept: (message: ConnMessage) => boolean) {
    super();
  }

  override deliver(message: ConnMessage): void {
    if (!this.intercept(message)) super.deliver(message);
  }
}
