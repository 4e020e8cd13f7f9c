import { Mailbox } from '@gunhttp/core';
import type { DownReason, ReplyTo, StreamRef } from '@gunhttp/core';
import type { ConnMessage } from './connection.js';

/**
 * What the connection remembers about the streams it handed out, outside the layers: each
 * stream's replyTo, the URL its cookies belong to, the `down` reason of killed streams, and who
 * waits (in `await`) for a stream to be killed or the connection to end. Entries are weak: a
 * stream the user dropped costs nothing.
 */
export class StreamRegistry {
  private readonly replyTos = new WeakMap<StreamRef, ReplyTo<ConnMessage>>();
  private readonly urls = new WeakMap<StreamRef, URL>();
  private readonly killed = new WeakMap<StreamRef, DownReason>();
  // A stream's set is kept once made (weakly): an `await` per message adds and removes its
  // watcher without making a set each time.
  private readonly watchers = new WeakMap<StreamRef, Set<() => void>>();
  private readonly endWatchers = new Set<() => void>();

  constructor(private owner: Mailbox<ConnMessage>) {}

  /** Records where a new stream's messages go. */
  open(ref: StreamRef, replyTo: ReplyTo<ConnMessage>, url?: URL): void {
    this.replyTos.set(ref, replyTo);
    if (url !== undefined) this.urls.set(ref, url);
  }

  /** The stream's replyTo; the owner's mailbox for refs this connection did not make. */
  replyTo(ref: StreamRef): ReplyTo<ConnMessage> {
    return this.replyTos.get(ref) ?? this.owner;
  }

  /** The URL of the stream's request, for its cookies. */
  url(ref: StreamRef): URL | undefined {
    return this.urls.get(ref);
  }

  /** The stream died with the connection (`reason` is the `down` reason); its waiters are told. */
  kill(ref: StreamRef, reason: DownReason): void {
    this.killed.set(ref, reason);
    const set = this.watchers.get(ref);
    if (set !== undefined && set.size > 0) for (const w of [...set]) w();
  }

  /** Why the stream was killed, if it was. */
  killedReason(ref: StreamRef): { reason: DownReason } | undefined {
    return this.killed.has(ref) ? { reason: this.killed.get(ref)! } : undefined;
  }

  /** The connection ended for good: every waiter is told. */
  ended(): void {
    for (const w of [...this.endWatchers]) w();
  }

  /** Calls `onGone` when the stream is killed or the connection ends; returns the unwatch function. */
  watch(ref: StreamRef | undefined, onGone: () => void): () => void {
    const set = ref === undefined ? undefined : this.streamWatchers(ref);
    set?.add(onGone);
    this.endWatchers.add(onGone);
    return () => {
      set?.delete(onGone);
      this.endWatchers.delete(onGone);
    };
  }

  private streamWatchers(ref: StreamRef): Set<() => void> {
    let set = this.watchers.get(ref);
    if (set === undefined) this.watchers.set(ref, (set = new Set()));
    return set;
  }

  /** The mailbox `await` reads a stream's messages from. */
  mailboxOf(ref: StreamRef): Mailbox<ConnMessage> | undefined {
    const replyTo = this.replyTo(ref);
    return replyTo instanceof Mailbox ? replyTo : undefined;
  }

  /** The connection changed owners (Gun's `set_owner`): refs it did not make now reply to `owner`. */
  setOwner(owner: Mailbox<ConnMessage>): void {
    this.owner = owner;
  }
}
