/**
 * Error codes of the connection pool (Gun's `gun_pool`). Request functions reject with them
 * where Gun returns `{error, Reason, Msg}`.
 */
export const PoolErrors = {
  /** No pool is registered for the request's authority (its `host` header) and scope (`pool_not_found`). */
  NOT_FOUND: 'POOL_ERR_NOT_FOUND',
  /** Every connection is down, still being set up, or at its stream limit, after all `checkoutRetry` sleeps (`no_connection_available`). */
  NO_CONNECTION_AVAILABLE: 'POOL_ERR_NO_CONNECTION_AVAILABLE',
  /** `startPool` for a scope and authority that already have a pool (Gun crashes on `ets:insert_new`). */
  ALREADY_STARTED: 'POOL_ERR_ALREADY_STARTED',
  /** A pool request without the `host` header that routes it (Gun requires one). */
  NO_HOST_HEADER: 'POOL_ERR_NO_HOST_HEADER',
  /** `awaitUp` on a pool that was stopped before it became operational. */
  STOPPED: 'POOL_ERR_STOPPED',
} as const;
