import { GunError, StreamRef } from '@gunhttp/core';
import type { Protocol, WsFrame } from '@gunhttp/core';
import type { ConnMessage, Connection } from '../connection.js';
import { GunErrors } from '../errors.js';
import { open } from '../open.js';
import { pickRandom, withCheckoutRetry } from './checkout.js';
import { PoolOwnerMailbox, chainEventHandler } from './event-chain.js';
import { PoolErrors } from './errors.js';
import { pooledConnOptions } from './pool-options.js';
import type { PoolConnMeta, PoolSetupResult, ResolvedPoolOptions } from './pool-options.js';
import { nextPoolState } from './pool-state.js';
import type { PoolEvent, PoolStateName } from './pool-state.js';
import { unregisterPool } from './registry.js';
import { hasCapacity, slotCapacity } from './slot.js';
import type { PoolSlot } from './slot.js';
import { StreamCounts } from './stream-counts.js';

/** A connection checked out of a pool, with what its setup exposed (Gun's `{ConnPid, Meta}`). */
export interface PoolCheckout {
  readonly conn: Connection;
  readonly meta: PoolConnMeta;
}

/** A stream started through a pool (Gun's `{async, {ConnPid, StreamRef}}`): read it with `conn.await(streamRef)`. */
export interface PoolStream {
  readonly conn: Connection;
  readonly streamRef: StreamRef;
}

/** Options of `checkout`. */
export interface CheckoutOpts {
  /** Only connections whose setup meta (and connection) pass; default: any connection with capacity. */
  readonly accept?: (meta: PoolConnMeta, conn: Connection) => boolean;
}

/** One connection in {@link PoolInfo}. */
export interface PoolConnInfo {
  readonly conn: Connection;
  /** `down` until `up`; `setup` while the setup function runs; `up` once it answered `{ up }`. */
  readonly state: 'down' | 'setup' | 'up';
  /** The protocol the setup function answered (`up` only). */
  readonly protocol?: Protocol;
  readonly meta?: PoolConnMeta;
  /** Streams in flight (started, request or response not yet ended). */
  readonly streams: number;
  /** Streams the connection may carry now (1 for HTTP/1.1, the server's limit for HTTP/2); 0 while not up. */
  readonly maxStreams: number;
}

/** What `poolInfo` returns (Gun's `{StateName, #{host, port, opts, table, conns, conns_meta}}`). */
export interface PoolInfo {
  readonly stateName: PoolStateName;
  readonly host: string;
  readonly port: number;
  readonly authority: string;
  readonly scope: string;
  readonly size: number;
  readonly conns: readonly PoolConnInfo[];
  /** Why the pool has no connections: `open()` rejected the connection options (Gun's `badarg`). */
  readonly error?: GunError;
}

/** Messages of a connection in setup that go to the setup function (Gun passes `gun_up` and `gun_upgrade`). */
const SETUP_MESSAGES: ReadonlySet<ConnMessage['type']> = new Set(['upgrade', 'tunnelUp', 'inform', 'response', 'error']);

interface UpWaiter {
  readonly resolve: () => void;
  readonly reject: (error: GunError) => void;
}

/**
 * A pool of connections to one authority (Gun's `gun_pool` manager). Made by `startPool`; it
 * keeps `size` connections open, runs the setup function on each, reopens the connections that
 * terminate, and hands out connections with capacity (see `checkout`). State: see
 * {@link PoolStateName}.
 */
export class Pool {
  private state: PoolStateName = 'degraded';
  /** The connections, in the order they were opened (an array: a checkout walks it allocation-free). */
  private readonly slots: PoolSlot[] = [];
  private readonly upWaiters = new Set<UpWaiter>();
  private configError: GunError | undefined;
  private stopping: Promise<void> | undefined;

  /** @internal Use `startPool`. */
  constructor(
    readonly host: string,
    readonly port: number,
    readonly authority: string,
    private readonly opts: ResolvedPoolOptions,
    private readonly random: () => number,
  ) {}

  /** The scope the pool is registered under. */
  get scope(): string {
    return this.opts.scope;
  }

  /** `degraded`, `operational` or `stopped`. */
  get stateName(): PoolStateName {
    return this.state;
  }

  /** @internal Opens the connections (called by `startPool`). */
  start(): void {
    for (let i = 0; i < this.opts.size && this.configError === undefined; i++) this.openSlot();
  }

  private openSlot(): void {
    const counts = new StreamCounts();
    // Set once open() returns; the connection delivers nothing before (its socket is not open yet).
    let slot: PoolSlot | undefined = undefined;
    const owner = new PoolOwnerMailbox((m) => slot !== undefined && this.intercept(slot, m));
    const handler = chainEventHandler({
      requestStart: (e) => counts.start(e.streamRef),
      requestEnd: (e) => counts.ended(e.streamRef, 'request'),
      responseEnd: (e) => counts.ended(e.streamRef, 'response'),
      cancel: (e) => counts.cancelled(e.streamRef, slot?.wire !== 'http'),
      disconnect: () => counts.reset(),
      terminate: () => slot !== undefined && this.gone(slot),
    }, this.opts.connOpts.eventHandler);
    let conn: Connection;
    try {
      conn = open(this.host, this.port, pooledConnOptions(this.opts.connOpts, owner, handler));
    } catch (error) {
      // Gun: a connection that exits with `badarg` is not reopened and the pool stays degraded.
      if (!(error instanceof GunError)) throw error;
      this.configError = error;
      return;
    }
    slot = { conn, counts, state: { kind: 'down' }, wire: undefined, maxStreams: Infinity };
    this.slots.push(slot);
  }

  /** The pool's share of a connection's owner messages; `true` when consumed. */
  private intercept(slot: PoolSlot, m: ConnMessage): boolean {
    switch (m.type) {
      case 'up':
        this.connUp(slot, m.protocol, m);
        return true;
      case 'down':
        slot.state = { kind: 'down' };
        this.transition('connDown');
        return true;
      case 'notify':
        if (m.kind !== 'settingsChanged') return false;
        slot.maxStreams = typeof m.settings.maxConcurrentStreams === 'number' ? m.settings.maxConcurrentStreams : Infinity;
        if (slot.state.kind === 'setup') this.setup(slot, m);
        return true;
      default:
        if (slot.state.kind === 'setup' && SETUP_MESSAGES.has(m.type)) {
          this.setup(slot, m);
          return true;
        }
        if (m.type === 'error' && m.streamRef !== undefined) slot.counts.release(m.streamRef);
        return false;
    }
  }

  private connUp(slot: PoolSlot, protocol: Protocol, m: ConnMessage): void {
    if (this.state === 'stopped') return;
    slot.wire = protocol;
    slot.maxStreams = Infinity;
    slot.state = { kind: 'setup', state: this.opts.setupFun.initial };
    this.setup(slot, m);
  }

  /** Runs the setup function on a message of a connection in setup. */
  private setup(slot: PoolSlot, m: ConnMessage): void {
    const s = slot.state;
    if (s.kind !== 'setup') return;
    let result: PoolSetupResult<unknown>;
    try {
      result = this.opts.setupFun.fn(slot.conn, m, s.state);
    } catch (error) {
      process.emitWarning(`gunhttp: the pool's setup function threw; the connection stays in setup: ${String(error)}`);
      return;
    }
    if ('up' in result) {
      slot.state = { kind: 'up', protocol: result.up, meta: result.meta };
      this.transition('connUp');
    } else {
      slot.state = { kind: 'setup', state: result.setup };
    }
  }

  /** A connection terminated: it is replaced unless the pool is stopped (Gun reopens crashed connections). */
  private gone(slot: PoolSlot): void {
    const i = this.slots.indexOf(slot);
    if (i !== -1) this.slots.splice(i, 1);
    this.transition('connGone');
    if (this.state !== 'stopped') this.openSlot();
  }

  private transition(event: PoolEvent): void {
    const before = this.state;
    const allUp = this.slots.length > 0 && this.slots.every((s) => s.state.kind === 'up');
    this.state = nextPoolState(before, event, allUp);
    if (this.state === 'operational' && before !== 'operational') this.settleWaiters(undefined);
  }

  private settleWaiters(error: GunError | undefined): void {
    const waiters = [...this.upWaiters];
    this.upWaiters.clear();
    for (const w of waiters) {
      if (error === undefined) w.resolve();
      else w.reject(error);
    }
  }

  /**
   * Waits until every connection is up and set up (Gun's `gun_pool:await_up`).
   *
   * @param timeout ms, default 5000.
   * @throws GunError `GUN_ERR_TIMEOUT`; `POOL_ERR_STOPPED` when the pool is stopped first.
   */
  awaitUp(timeout = 5000): Promise<void> {
    if (this.state === 'operational') return Promise.resolve();
    if (this.state === 'stopped') return Promise.reject(stoppedError());
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.upWaiters.delete(waiter);
        reject(new GunError(GunErrors.TIMEOUT, `The pool was not up within ${timeout} ms.`, { origin: 'local' }));
      }, timeout);
      const waiter: UpWaiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.upWaiters.add(waiter);
    });
  }

  /** @internal A connection with capacity, picked at random, or `undefined` (see `checkout`). */
  pick(opts?: CheckoutOpts): PoolCheckout | undefined {
    if (this.state === 'stopped') return undefined;
    const accept = opts?.accept;
    const slot = accept === undefined
      ? pickRandom(this.slots, hasCapacity, this.random)
      : pickRandom(this.slots, (s) => hasCapacity(s) && accept(upMeta(s), s.conn), this.random);
    return slot === undefined ? undefined : { conn: slot.conn, meta: upMeta(slot) };
  }

  /**
   * Sends Websocket frames on a connection whose setup exposed `{ ws: streamRef }` (Gun's
   * `gun_pool:ws_send`): each call checks out one such connection at random; the echo, if any,
   * is read with `conn.await(streamRef)`.
   *
   * @param opts.checkoutRetry ms to sleep between checkout attempts (Gun's `checkout_retry`).
   * @throws GunError `POOL_ERR_NO_CONNECTION_AVAILABLE`; `GUN_ERR_BAD_ARGUMENT` for a bad frame.
   */
  wsSend(frames: WsFrame | readonly WsFrame[], opts: { readonly checkoutRetry?: readonly number[] } = {}): Promise<PoolStream> {
    const accept = (meta: PoolConnMeta): boolean => meta.ws instanceof StreamRef;
    return withCheckoutRetry(() => {
      const picked = this.pick({ accept });
      if (picked === undefined) return undefined;
      const streamRef = picked.meta.ws as StreamRef;
      picked.conn.wsSend(streamRef, frames);
      return { conn: picked.conn, streamRef };
    }, opts.checkoutRetry);
  }

  /** Gun's `gun_pool:info/1`. */
  info(): PoolInfo {
    const conns = this.slots.map((s): PoolConnInfo => {
      const st = s.state;
      const up = st.kind === 'up' ? { protocol: st.protocol, meta: st.meta } : {};
      return { conn: s.conn, state: st.kind, ...up, streams: s.counts.inFlight, maxStreams: slotCapacity(s) };
    });
    const base = { stateName: this.state, host: this.host, port: this.port, authority: this.authority, scope: this.scope, size: this.opts.size, conns };
    return this.configError === undefined ? base : { ...base, error: this.configError };
  }

  /**
   * Stops the pool (Gun's `stop_pool`): it is unregistered at once, `awaitUp` calls fail, and
   * each connection shuts down gracefully (streams in flight finish, as when Gun's manager
   * exits). Resolves once every connection has terminated.
   */
  stop(): Promise<void> {
    if (this.stopping !== undefined) return this.stopping;
    unregisterPool(this.scope, this.authority, this);
    this.transition('stop');
    this.settleWaiters(stoppedError());
    const conns = this.slots.map((s) => s.conn);
    for (const conn of conns) conn.shutdown();
    this.stopping = Promise.all(conns.map((c) => c.terminated)).then(() => undefined);
    return this.stopping;
  }
}

function upMeta(slot: PoolSlot): PoolConnMeta {
  return slot.state.kind === 'up' ? slot.state.meta : {};
}

function stoppedError(): GunError {
  return new GunError(PoolErrors.STOPPED, 'The pool was stopped.', { origin: 'local' });
}
