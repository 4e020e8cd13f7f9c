let nextId = 1;

/**
 * Identifies one stream: a request, a CONNECT tunnel, a Websocket, a pushed response. Compared by
 * identity (`===`), never by value; `parent` is the tunnel stream it runs inside (Gun's nested
 * stream refs `[Tunnel, Stream]`), so `ref.parent.parent` walks out through the hops.
 *
 * Refs are made by the caller's function call, before anything is sent, as Gun does.
 */
export class StreamRef {
  /** A small integer unique within the process, for logs and traces only. */
  readonly id: number;
  /** The tunnel this stream runs inside, or `undefined` for a stream of the connection itself. */
  readonly parent: StreamRef | undefined;
  #slot: unknown = undefined;

  /**
   * Reserved for the connection that made the ref: where it keeps its record of the stream (the
   * replyTo, the `await` state). Not for users. A field rather than a WeakMap entry because V8's
   * young-generation GC keeps WeakMap values alive strongly: a record that points back at its ref
   * would keep both alive, and promoted, until a full GC. Private behind accessors, so that
   * equality checks and `util.inspect` of a ref see only `id` and `parent`.
   */
  get slot(): unknown {
    return this.#slot;
  }

  set slot(value: unknown) {
    this.#slot = value;
  }

  constructor(parent?: StreamRef) {
    this.id = nextId++;
    this.parent = parent;
  }

  /** How many tunnels the stream is nested in (0 for a stream of the connection itself). */
  get depth(): number {
    let n = 0;
    for (let p = this.parent; p !== undefined; p = p.parent) n++;
    return n;
  }

  /** The refs from the outermost tunnel down to this one (Gun's list form). */
  path(): StreamRef[] {
    const refs: StreamRef[] = [this];
    for (let r = this.parent; r !== undefined; r = r.parent) refs.unshift(r);
    return refs;
  }

  /** Whether `ancestor` is this ref or one of the tunnels it runs inside. */
  isWithin(ancestor: StreamRef): boolean {
    if (ancestor === this) return true;
    for (let r = this.parent; r !== undefined; r = r.parent) if (r === ancestor) return true;
    return false;
  }

  toString(): string {
    return `#StreamRef<${this.path().map((r) => r.id).join('.')}>`;
  }
}
