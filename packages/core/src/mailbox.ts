import { CoreErrors, GunError, localError } from './errors.js';

/** Options of a selective receive. */
export interface ReceiveOptions {
  /** Milliseconds to wait; `Infinity` waits for ever. Default 5000, as Gun's `await`. */
  readonly timeout?: number;
  /** Abandons the receive; the promise rejects with `GUN_ERR_ABORTED`. */
  readonly signal?: AbortSignal;
  /**
   * A cheaper alternative to `signal` for code that cancels receives often: called with a
   * function that rejects this receive with the given error; returns what to call once the
   * receive is settled (to stop watching).
   */
  readonly bind?: (cancel: (error: GunError) => void) => () => void;
}

interface Waiter<M> {
  readonly match: (message: M) => boolean;
  readonly resolve: (message: M) => void;
  readonly reject: (error: GunError) => void;
}

/**
 * A queue of messages standing in for an Erlang process mailbox (DESIGN §3): connections
 * deliver into it; readers take messages out of order with a predicate (selective receive), with
 * a timeout; `flush` drops what matches; async iteration reads in order. Nothing is dropped
 * silently: what no reader takes stays queued until flushed or the mailbox is closed.
 */
export class Mailbox<M = unknown> implements AsyncIterable<M> {
  private queue: M[] = [];
  private waiters: Waiter<M>[] = [];
  private closedFlag = false;
  private closeListeners: Array<() => void> = [];

  /** Number of queued messages. */
  get size(): number {
    return this.queue.length;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Delivers a message: to the oldest waiting receive that matches it, or to the queue.
   * Messages delivered to a closed mailbox are dropped (the owner is gone, as a dead process).
   */
  deliver(message: M): void {
    if (this.closedFlag) return;
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i]!;
      if (w.match(message)) {
        this.waiters.splice(i, 1);
        w.resolve(message);
        return;
      }
    }
    this.queue.push(message);
  }

  /** Takes the oldest queued message matching `match` now, or `undefined`. */
  poll(match: (message: M) => boolean = () => true): M | undefined {
    const i = this.queue.findIndex(match);
    if (i === -1) return undefined;
    return this.queue.splice(i, 1)[0];
  }

  /**
   * Selective receive: resolves with the oldest message matching `match`, waiting up to
   * `timeout` ms (default 5000) for one to arrive.
   *
   * @throws GunError `GUN_ERR_TIMEOUT` when nothing matched in time, `GUN_ERR_ABORTED` when the
   *   signal fired, `GUN_ERR_MAILBOX_CLOSED` when the mailbox is or gets closed.
   */
  receive(match: (message: M) => boolean = () => true, options: ReceiveOptions = {}): Promise<M> {
    const found = this.poll(match);
    if (found !== undefined) return Promise.resolve(found);
    if (this.closedFlag) return Promise.reject(localError(CoreErrors.MAILBOX_CLOSED, 'The mailbox is closed.'));
    const timeout = options.timeout ?? 5000;
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(localError(CoreErrors.ABORTED, 'The receive was aborted.'));
    return new Promise<M>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let unbind: (() => void) | undefined;
      const cleanup = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        if (signal !== undefined) signal.removeEventListener('abort', onAbort);
        unbind?.();
        const i = this.waiters.indexOf(waiter);
        if (i !== -1) this.waiters.splice(i, 1);
      };
      const onAbort = (): void => {
        cleanup();
        reject(localError(CoreErrors.ABORTED, 'The receive was aborted.'));
      };
      const waiter: Waiter<M> = {
        match,
        resolve: (m) => {
          cleanup();
          resolve(m);
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
      };
      this.waiters.push(waiter);
      if (Number.isFinite(timeout)) {
        timer = setTimeout(() => {
          cleanup();
          reject(new GunError(CoreErrors.TIMEOUT, `No matching message arrived within ${timeout} ms.`, { origin: 'local' }));
        }, timeout);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      if (options.bind !== undefined) unbind = options.bind(waiter.reject);
    });
  }

  /** Removes every queued message matching `match`; returns how many were removed. */
  flush(match: (message: M) => boolean = () => true): number {
    const before = this.queue.length;
    this.queue = this.queue.filter((m) => !match(m));
    return before - this.queue.length;
  }

  /** Queued messages, oldest first, without removing them. */
  peekAll(): readonly M[] {
    return this.queue.slice();
  }

  /** Registers a callback run once when the mailbox closes (how a connection watches its owner). */
  onClose(listener: () => void): () => void {
    if (this.closedFlag) {
      listener();
      return () => undefined;
    }
    this.closeListeners.push(listener);
    return () => {
      this.closeListeners = this.closeListeners.filter((l) => l !== listener);
    };
  }

  /** Closes the mailbox: drops queued messages and rejects pending receives. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.queue = [];
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(localError(CoreErrors.MAILBOX_CLOSED, 'The mailbox is closed.'));
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l();
  }

  /** Reads messages in arrival order until the mailbox is closed. */
  async *[Symbol.asyncIterator](): AsyncIterator<M> {
    for (;;) {
      try {
        yield await this.receive(() => true, { timeout: Infinity });
      } catch (error) {
        if (error instanceof GunError && error.code === CoreErrors.MAILBOX_CLOSED) return;
        throw error;
      }
    }
  }
}

/** Where a stream's messages go: a mailbox, or a function called with each message. */
export type ReplyTo<M = unknown> = Mailbox<M> | ((message: M) => void);

/** Delivers a message to a {@link ReplyTo}. */
export function deliverTo<M>(replyTo: ReplyTo<M>, message: M): void {
  if (typeof replyTo === 'function') replyTo(message);
  else replyTo.deliver(message);
}
