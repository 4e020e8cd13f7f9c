import { Mailbox } from '@gunhttp/core';
import type { DownReason, ReplyTo, StreamRef } from '@gunhttp/core';
import type { ConnMessage } from './connection.js';

/** What the connection keeps about one stream it handed out (or that a `down` listed). */
class StreamEntry {
  /** The `down` reason, once a disconnect killed it. */
  killed: { readonly reason: DownReason } | undefined = undefined;
  /** Who waits (in `await`) for it to be killed; made on the first watch and kept. */
  watchers: Array<() => void> | undefined = undefined;
  /** What `await` keeps for the stream (its reusable waits); see {@link StreamRegistry.awaitSlot}. */
  waits: unknown = undefined;

  constructor(
    /** The registry that made it: a ref's slot is only ours when this is us. */
    readonly registry: StreamRegistry,
    /** Where its messages go; `undefined` for refs the connection did not make (pushed streams): the owner. */
    readonly replyTo: ReplyTo<ConnMessage> | undefined,
    /** The URL of its request, for cookies. */
    readonly url: URL | undefined,
  ) {}
}

/**
 * What the connection remembers about the streams it handed out, outside the layers: each
 * stream's replyTo, the URL its cookies belong to, the `down` reason of killed streams, and who
 * waits (in `await`) for a stream to be killed or the connection to end. The entry lives in the
 * ref's `slot` (see {@link StreamRef.slot}), so a stream the user dropped costs nothing and dies
 * young; refs whose slot another connection holds (a ref handed to a second connection's `await`)
 * fall back to a WeakMap.
 */
export class StreamRegistry {
  private readonly foreign = new WeakMap<StreamRef, StreamEntry>();
  /**
   * Who waits (in `await`) for the connection to end. Arrays rather than Sets: V8 reallocates a
   * Set's table each time it empties, which here would be every request.
   */
  private readonly endWatchers: Array<() => void> = [];

  constructor(private owner: Mailbox<ConnMessage>) {}

  /** Records where a new stream's messages go. */
  open(ref: StreamRef, replyTo: ReplyTo<ConnMessage>, url?: URL): void {
    this.store(ref, new StreamEntry(this, replyTo, url));
  }

  /** The stream's replyTo; the owner's mailbox for refs this connection did not make. */
  replyTo(ref: StreamRef): ReplyTo<ConnMessage> {
    return this.find(ref)?.replyTo ?? this.owner;
  }

  /** The URL of the stream's request, for its cookies. */
  url(ref: StreamRef): URL | undefined {
    return this.find(ref)?.url;
  }

  /** The stream died with the connection (`reason` is the `down` reason); its waiters are told. */
  kill(ref: StreamRef, reason: DownReason): void {
    const entry = this.entryOf(ref);
    entry.killed = { reason };
    const list = entry.watchers;
    if (list !== undefined && list.length > 0) for (const w of [...list]) w();
  }

  /** Why the stream was killed, if it was. */
  killedReason(ref: StreamRef): { reason: DownReason } | undefined {
    return this.find(ref)?.killed;
  }

  /** The connection ended for good: every waiter is told. */
  ended(): void {
    for (const w of [...this.endWatchers]) w();
  }

  /** Calls `onGone` when the stream is killed or the connection ends; returns the unwatch function. */
  watch(ref: StreamRef | undefined, onGone: () => void): () => void {
    let list: Array<() => void> | undefined;
    if (ref !== undefined) {
      const entry = this.entryOf(ref);
      if (entry.watchers === undefined) entry.watchers = list = [onGone];
      else (list = entry.watchers).push(onGone);
    }
    this.endWatchers.push(onGone);
    return () => {
      if (list !== undefined) removeItem(list, onGone);
      removeItem(this.endWatchers, onGone);
    };
  }

  /** The stream's `await` state, kept on its entry (made, as for a ref we did not make, when missing). */
  awaitSlot(ref: StreamRef): { waits: unknown } {
    return this.entryOf(ref);
  }

  private find(ref: StreamRef): StreamEntry | undefined {
    const slot = ref.slot;
    if (slot instanceof StreamEntry && slot.registry === this) return slot;
    return this.foreign.get(ref);
  }

  private store(ref: StreamRef, entry: StreamEntry): void {
    const slot = ref.slot;
    if (slot === undefined || (slot instanceof StreamEntry && slot.registry === this)) ref.slot = entry;
    else this.foreign.set(ref, entry);
  }

  private entryOf(ref: StreamRef): StreamEntry {
    let entry = this.find(ref);
    if (entry === undefined) this.store(ref, (entry = new StreamEntry(this, undefined, undefined)));
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

/** Removes the first `item` from `list`, in place (no array made, unlike splice). */
function removeItem<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i === -1) return;
  for (let j = i + 1; j < list.length; j++) list[j - 1] = list[j]!;
  list.pop();
}
