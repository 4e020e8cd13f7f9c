import { GUN_EVENT_NAMES } from '@gunhttp/core';
import type { GunEventHandler, GunEventMap, GunEventName } from '@gunhttp/core';

/** One recorded event, with its name. */
export interface Recorded<K extends GunEventName = GunEventName> {
  readonly name: K;
  readonly event: GunEventMap[K];
}

interface Waiter {
  readonly name: GunEventName;
  readonly match: (event: unknown) => boolean;
  readonly resolve: (r: Recorded) => void;
}

/**
 * An event handler recording every event in order (as Gun's event_SUITE sends each one to the
 * test process), with a way to wait for the next event of a name without sleeping.
 */
export class EventRecorder {
  readonly events: Recorded[] = [];
  private readonly waiters: Waiter[] = [];

  /** The handler to pass as `eventHandler`: one method per event name (all 28). */
  readonly handler: GunEventHandler = Object.fromEntries(
    GUN_EVENT_NAMES.map((name) => [name, (event: unknown) => this.record(name, event)]),
  ) as GunEventHandler;

  private record(name: GunEventName, event: unknown): void {
    const entry = { name, event } as Recorded;
    this.events.push(entry);
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i];
      if (w !== undefined && w.name === name && w.match(event)) {
        this.waiters.splice(i, 1);
        w.resolve(entry);
        return;
      }
    }
  }

  /** Event names in order. */
  get names(): GunEventName[] {
    return this.events.map((e) => e.name);
  }

  /** Every event of one name, in order. */
  all<K extends GunEventName>(name: K): Array<GunEventMap[K]> {
    return this.events.filter((e) => e.name === name).map((e) => e.event as GunEventMap[K]);
  }

  /** The first event of a name (throws when there is none, so a test fails clearly). */
  first<K extends GunEventName>(name: K): GunEventMap[K] {
    const found = this.all(name)[0];
    if (found === undefined) throw new Error(`no ${name} event among: ${this.names.join(', ')}`);
    return found;
  }

  /**
   * The first event of `name` (matching `match`) already recorded, or the next one to come.
   * Rejects after `timeout` ms, as Gun's do_receive_event (5000 ms).
   */
  waitFor<K extends GunEventName>(name: K, match: (event: GunEventMap[K]) => boolean = () => true, timeout = 5000): Promise<GunEventMap[K]> {
    const seen = this.events.find((e) => e.name === name && match(e.event as GunEventMap[K]));
    if (seen !== undefined) return Promise.resolve(seen.event as GunEventMap[K]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${name} event within ${timeout} ms; got: ${this.names.join(', ')}`)), timeout);
      this.waiters.push({
        name,
        match: (e) => match(e as GunEventMap[K]),
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r.event as GunEventMap[K]);
        },
      });
    });
  }

  /** The position of the first event of `name` about stream `ref` (-1 when there is none). */
  indexOf(name: GunEventName, ref: object): number {
    return this.events.findIndex((e) => e.name === name && (e.event as { streamRef?: unknown }).streamRef === ref);
  }

  /** Names of the events about one stream (those whose `streamRef` is `ref`), in order. */
  namesFor(ref: object): GunEventName[] {
    return this.events.filter((e) => (e.event as { streamRef?: unknown }).streamRef === ref).map((e) => e.name);
  }

  /** Forgets what was recorded so far (e.g. the connection's own events). */
  clear(): void {
    this.events.length = 0;
  }
}
