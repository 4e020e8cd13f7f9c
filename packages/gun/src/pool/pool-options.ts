import { GunError } from '@gunhttp/core';
import type { Mailbox, Protocol } from '@gunhttp/core';
import type { GunEventHandler } from '@gunhttp/core';
import type { ConnMessage, Connection } from '../connection.js';
import { GunErrors } from '../errors.js';
import type { GunOptions } from '../options.js';

/** What a pooled connection exposes to the code that checks it out (Gun's `conns_meta`), e.g. `{ ws: streamRef }`. */
export type PoolConnMeta = Readonly<Record<string, unknown>>;

/** What a setup function answers: keep setting up with a new state, or the connection is up. */
export type PoolSetupResult<S> =
  | { readonly setup: S }
  | { readonly up: Protocol; readonly meta: PoolConnMeta };

/**
 * Gun's `setup_fun`: run on each `up` of a connection (with `initial`), then on each `upgrade`,
 * `tunnelUp`, `inform`, `response`, stream `error` and `notify` `settingsChanged` message of that
 * connection until it answers `{ up, meta }`. Until then the connection is not checked out. The
 * default answers `{ up: protocol, meta: {} }` to the `up` message.
 */
export interface PoolSetupFun<S = unknown> {
  readonly fn: (conn: Connection, msg: ConnMessage, state: S) => PoolSetupResult<S>;
  readonly initial: S;
}

/** Options of `startPool` (Gun's `gun_pool:opts()`). Unknown keys are rejected. */
export interface PoolOptions<S = unknown> {
  /**
   * Options of each connection (`open()`'s, without `owner`: the pool owns its connections). The
   * pool chains its own event handler before `eventHandler` and turns on
   * `http2Opts.notifySettingsChanged` to learn the server's stream limit.
   */
  readonly connOpts?: Omit<GunOptions, 'owner'>;
  /** Pools are registered per scope and authority. Default `'default'`. */
  readonly scope?: string;
  /** Connections kept open, 1 to {@link MAX_POOL_SIZE}. Default 8. */
  readonly size?: number;
  /** Per-connection setup (e.g. a Websocket upgrade); see {@link PoolSetupFun}. */
  readonly setupFun?: PoolSetupFun<S>;
}

/**
 * The largest pool: each connection is a socket and a file descriptor, and a pool of more than
 * a thousand connections to one authority is almost surely a mistake (HTTP/2 multiplexes).
 */
export const MAX_POOL_SIZE = 1024;

/** Pool options with defaults applied. */
export interface ResolvedPoolOptions {
  readonly connOpts: Omit<GunOptions, 'owner'>;
  readonly scope: string;
  readonly size: number;
  readonly setupFun: PoolSetupFun<unknown>;
}

const POOL_KEYS = ['connOpts', 'scope', 'size', 'setupFun'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, expected: string): never {
  throw new GunError(GunErrors.INVALID_OPTION, `Invalid option ${path}: expected ${expected}.`, { origin: 'local' });
}

/** Gun's default setup: the connection is up with the protocol of its `up` message. */
export const DEFAULT_SETUP: PoolSetupFun<unknown> = {
  fn: (_conn, msg, state) => (msg.type === 'up' ? { up: msg.protocol, meta: {} } : { setup: state }),
  initial: undefined,
};

/**
 * Validates `startPool` options and applies Gun's defaults. Connection options are checked by
 * `open()` when the pool opens its connections (a bad one leaves the pool degraded, as Gun).
 *
 * @throws GunError `GUN_ERR_INVALID_OPTION` naming the first invalid option.
 */
export function resolvePoolOptions(input: unknown): ResolvedPoolOptions {
  const opts = input === undefined ? {} : input;
  if (!isObject(opts)) fail('options', 'an object');
  for (const key of Object.keys(opts)) {
    if (!(POOL_KEYS as readonly string[]).includes(key)) fail(`options.${key}`, `one of ${POOL_KEYS.join(', ')} (unknown option)`);
  }
  const { connOpts, scope, size, setupFun } = opts;
  if (connOpts !== undefined && !isObject(connOpts)) fail('options.connOpts', 'an object');
  if (connOpts !== undefined && 'owner' in connOpts) fail('options.connOpts.owner', 'no owner (the pool owns its connections)');
  // The pool replaces the handler with its chain, so open() would not see a bad one.
  if (connOpts !== undefined && connOpts.eventHandler !== undefined && !isObject(connOpts.eventHandler)) fail('options.connOpts.eventHandler', 'an object with event methods');
  if (scope !== undefined && !(typeof scope === 'string' && scope !== '')) fail('options.scope', 'a non-empty string');
  if (size !== undefined && !(typeof size === 'number' && Number.isInteger(size) && size >= 1 && size <= MAX_POOL_SIZE)) {
    fail('options.size', `an integer from 1 to ${MAX_POOL_SIZE}`);
  }
  if (setupFun !== undefined && !(isObject(setupFun) && typeof setupFun.fn === 'function' && 'initial' in setupFun)) {
    fail('options.setupFun', 'an object { fn, initial }');
  }
  return {
    connOpts: (connOpts as Omit<GunOptions, 'owner'> | undefined) ?? {},
    scope: (scope as string | undefined) ?? 'default',
    size: (size as number | undefined) ?? 8,
    setupFun: (setupFun as PoolSetupFun<unknown> | undefined) ?? DEFAULT_SETUP,
  };
}

/**
 * The options each pooled connection is opened with: the user's, owned by the pool's mailbox,
 * with the pool's event handler, and `notifySettingsChanged` on in `http2Opts` and in every
 * `{ http2: opts }` entry of `protocols` (those replace `http2Opts`). Values of the wrong type
 * are left for `open()` to reject.
 */
export function pooledConnOptions(connOpts: Omit<GunOptions, 'owner'>, owner: Mailbox<ConnMessage>, eventHandler: GunEventHandler): GunOptions {
  const notify = (h2: unknown): unknown => (isObject(h2) ? { ...h2, notifySettingsChanged: true } : h2);
  const protocols = Array.isArray(connOpts.protocols)
    ? connOpts.protocols.map((p: unknown) => (isObject(p) && 'http2' in p ? { http2: notify(p.http2) } : p))
    : connOpts.protocols;
  return {
    ...connOpts,
    http2Opts: notify(connOpts.http2Opts ?? {}),
    ...(protocols === undefined ? {} : { protocols }),
    eventHandler,
    owner: owner as Mailbox<unknown>,
  } as GunOptions;
}
