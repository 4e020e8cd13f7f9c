import { Mailbox } from '@gunhttp/core';
import type { DownReason, ReplyTo, StreamRef } from '@gunhttp/core';
import type { ConnMessage } from './connection.js';

/** What the connection keeps about one stream it handed out (or that a `down` listed). */
interface StreamEntry {
  /** Where its messages go; `undefined` for refs the connection did not make (pushed streams): the owner. */
  readonly replyTo: ReplyTo<ConnMessage> | undefined;
  /** The URL of its request, for cookies. */
  readonly url: URL | undefined;
  /** The `down` reason, once a disconnect killed it. */
  killed: { readonly reason: DownReason } | undefined;
  /** Who waits (in `await`) for it to be killed; made on the first watch and kept. */
  watchers: Set<() => void> | undefined;
}

/**
 * What the connection remembers about the streams it handed out, outside the layers: each
 * stream's replyTo, the URL its cookies belong to, the `down` reason of killed streams, and who
 * waits (in `await`) for a stream to be killed or the connection to end. One weak entry per
 * stream (a request costs one WeakMap insertion): a stream the user dropped costs nothing.
 */
export class StreamRegistry {
  private readonly entries = new WeakMap<StreamRef, StreamEntry>();
  private readonly endWatchers = new Set<() => void>();

  constructor(private owner: Mailbox<ConnMessage>) {}

  /** Records where a new stream's messages go. */
  open(ref: StreamRef, replyTo: ReplyTo<ConnMessage>, url?: URL): void {
    this.entries.set(ref, { replyTo, url, killed: undefined, watchers: undefined });
  }

  /** The stream's replyTo; the owner's mailbox for refs this connection did not make. */
  replyTo(ref: StreamRef): ReplyTo<ConnMessage> {
    return this.entries.get(ref)?.replyTo ?? this.owner;
  }

  /** The URL of the stream's request, for its cookies. */
  url(ref: StreamRef): URL | undefined {
    return this.entries.get(ref)?.url;
  }

  /** The stream died with the connection (`reason` is the `down` reason); its waiters are told. */
  kill(ref: StreamRef, reason: DownReason): void {
    const entry = this.entryOf(ref);
    entry.killed = { reason };
    const set = entry.watchers;
    if (set !== undefined && set.size > 0) for (const w of [...set]) w();
  }

  /** Why the stream was killed, if it was. */
  killedReason(ref: StreamRef): { reason: DownReason } | undefined {
    return this.entries.get(ref)?.killed;
  }

  /** The connection ended for good: every waiter is told. */
  ended(): void {
    for (const w of [...this.endWatchers]) w();
  }

  /** Calls `onGone` when the stream is killed or the connection ends; returns the unwatch function. */
  watch(ref: StreamRef | undefined, onGone: () => void): () => void {
    const set = ref === undefined ? undefined : (this.entryOf(ref).watchers ??= new Set());
    set?.add(onGone);
    this.endWatchers.add(onGone);
    return () => {
      set?.delete(onGone);
      this.endWatchers.delete(onGone);
    };
  }

  private entryOf(ref: StreamRef): StreamEntry {
    let entry = this.entries.get(ref);
    if (entry === undefined) this.entries.set(ref, (entry = { replyTo: undefined, url: undefined, killed: undefined, watchers: undefined }));
    return entry;
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
