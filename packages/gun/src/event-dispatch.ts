import { channel } from 'node:diagnostics_channel';
import type { Channel } from 'node:diagnostics_channel';
import { GUN_EVENT_NAMES } from '@gunhttp/core';
import type { GunEventHandler, GunEventMap, GunEventName } from '@gunhttp/core';
import type { EventObserver } from '@gunhttp/tunnel';

const channels = new Map<GunEventName, Channel>(GUN_EVENT_NAMES.map((n) => [n, channel(`gunhttp:${n}`)]));

/**
 * Calls the user's event handler and publishes the event on `node:diagnostics_channel` as
 * `gunhttp:<event>` (with `conn` added). A handler that throws is reported on stderr once per
 * event name and otherwise ignored: observers must not break the connection.
 *
 *   open ──terminate──> terminated   (Gun: the process is gone; nothing is reported after it,
 *                                      e.g. a connection attempt abandoned by close())
 */
export class EventDispatch implements EventObserver {
  private readonly warned = new Set<string>();
  private phase: 'open' | 'terminated' = 'open';

  constructor(
    private readonly handler: GunEventHandler | undefined,
    private readonly conn: object,
  ) {}

  /**
   * Whether anybody reads the event `name`: the handler has a method for it, or its
   * `gunhttp:<name>` channel has a subscriber (the layers' {@link EventObserver}).
   */
  observes(name: GunEventName): boolean {
    return this.handler?.[name] !== undefined || channels.get(name)?.hasSubscribers === true;
  }

  emit<K extends GunEventName>(name: K, event: GunEventMap[K]): void {
    if (this.phase === 'terminated') return;
    if (name === 'terminate') this.phase = 'terminated';
    const fn = this.handler?.[name] as ((e: GunEventMap[K]) => void) | undefined;
    if (fn !== undefined) {
      try {
        fn.call(this.handler, event);
      } catch (error) {
        if (!this.warned.has(name)) {
          this.warned.add(name);
          process.emitWarning(`gunhttp: the ${name} event handler threw: ${String(error)}`);
        }
      }
    }
    const ch = channels.get(name);
    if (ch !== undefined && ch.hasSubscribers) ch.publish({ conn: this.conn, ...event });
  }
}
