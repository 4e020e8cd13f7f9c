import { CoreErrors, GunError, Mailbox, StreamRef, deliverTo } from '../../src/index.js';

type Msg = { type: string; n: number };

describe('Mailbox (selective receive, as an Erlang process mailbox)', () => {
  it('receives the oldest matching message, leaving the others queued', async () => {
    const box = new Mailbox<Msg>();
    box.deliver({ type: 'a', n: 1 });
    box.deliver({ type: 'b', n: 2 });
    box.deliver({ type: 'a', n: 3 });
    expect(await box.receive((m) => m.type === 'b')).toEqual({ type: 'b', n: 2 });
    expect(box.peekAll().map((m) => m.n)).toEqual([1, 3]);
  });

  it('wakes a waiting receive when a matching message arrives', async () => {
    const box = new Mailbox<Msg>();
    const got = box.receive((m) => m.n === 2);
    box.deliver({ type: 'x', n: 1 });
    box.deliver({ type: 'x', n: 2 });
    expect(await got).toEqual({ type: 'x', n: 2 });
    expect(box.size).toBe(1);
  });

  it('times out with GUN_ERR_TIMEOUT and keeps later messages', async () => {
    const box = new Mailbox<Msg>();
    await expect(box.receive(() => true, { timeout: 5 })).rejects.toMatchObject({ code: CoreErrors.TIMEOUT });
    box.deliver({ type: 'late', n: 1 });
    expect(box.size).toBe(1);
  });

  it('is abandoned through an AbortSignal', async () => {
    const box = new Mailbox<Msg>();
    const ac = new AbortController();
    const p = box.receive(() => true, { timeout: Infinity, signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: CoreErrors.ABORTED });
  });

  it('flushes what matches and reports how many', () => {
    const box = new Mailbox<Msg>();
    for (let n = 0; n < 5; n++) box.deliver({ type: n % 2 === 0 ? 'even' : 'odd', n });
    expect(box.flush((m) => m.type === 'even')).toBe(3);
    expect(box.peekAll().map((m) => m.n)).toEqual([1, 3]);
  });

  it('closing rejects waiting receives, drops messages and calls onClose listeners', async () => {
    const box = new Mailbox<Msg>();
    const waiting = box.receive(() => false, { timeout: Infinity });
    let closed = 0;
    box.onClose(() => closed++);
    box.close();
    await expect(waiting).rejects.toMatchObject({ code: CoreErrors.MAILBOX_CLOSED });
    box.deliver({ type: 'x', n: 1 });
    expect(box.size).toBe(0);
    expect(closed).toBe(1);
  });

  it("close() without a reason exits 'normal', as a process that returned; closeReason is undefined while open", () => {
    const box = new Mailbox<Msg>();
    const reasons: unknown[] = [];
    box.onClose((r) => reasons.push(r));
    expect(box.closeReason).toBeUndefined();
    box.close();
    expect(box.closeReason).toBe('normal');
    expect(reasons).toEqual(['normal']);
  });

  it('close(reason) hands the exit reason to every onClose listener and keeps it in closeReason', () => {
    const box = new Mailbox<Msg>();
    const crash = new Error('unexpected');
    const seen: unknown[] = [];
    box.onClose((r) => seen.push(['first', r]));
    const stop = box.onClose((r) => seen.push(['removed', r]));
    box.onClose((r) => seen.push(['last', r]));
    stop();
    box.close(crash);
    expect(seen).toEqual([['first', crash], ['last', crash]]);
    expect(box.closeReason).toBe(crash);
    expect(box.closed).toBe(true);
  });

  it('only the first close counts: a later close neither changes the reason nor calls listeners again', () => {
    const box = new Mailbox<Msg>();
    const seen: unknown[] = [];
    box.onClose((r) => seen.push(r));
    box.close('shutdown');
    box.close('unexpected');
    expect(box.closeReason).toBe('shutdown');
    expect(seen).toEqual(['shutdown']);
  });

  it('onClose on a mailbox already closed runs at once with its reason (a monitor of a dead process)', () => {
    const box = new Mailbox<Msg>();
    box.close('unexpected');
    const seen: unknown[] = [];
    box.onClose((r) => seen.push(r));
    expect(seen).toEqual(['unexpected']);
  });

  it('iterates in arrival order until closed', async () => {
    const box = new Mailbox<Msg>();
    box.deliver({ type: 'x', n: 1 });
    box.deliver({ type: 'x', n: 2 });
    setTimeout(() => box.close(), 5);
    const seen: number[] = [];
    for await (const m of box) seen.push(m.n);
    expect(seen).toEqual([1, 2]);
  });

  it('deliverTo calls a function replyTo', () => {
    const seen: Msg[] = [];
    deliverTo<Msg>((m) => seen.push(m), { type: 'x', n: 1 });
    expect(seen).toEqual([{ type: 'x', n: 1 }]);
  });
});

describe('StreamRef', () => {
  it('is compared by identity and links to its tunnel', () => {
    const tunnel = new StreamRef();
    const inner = new StreamRef(tunnel);
    expect(inner.parent).toBe(tunnel);
    expect(inner.depth).toBe(1);
    expect(inner.path()).toEqual([tunnel, inner]);
    expect(inner.isWithin(tunnel)).toBe(true);
    expect(tunnel.isWithin(inner)).toBe(false);
    expect(new StreamRef()).not.toBe(new StreamRef());
  });
});

describe('Mailbox timeouts (one deadline timer per mailbox)', () => {
  type M = { n: number };
  const timeoutCode = (p: Promise<unknown>): Promise<string | undefined> =>
    p.then(
      () => undefined,
      (e: { code?: string }) => e.code,
    );

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('times out receives with different timeouts each at its own deadline, earliest first', async () => {
    const box = new Mailbox<M>();
    const order: number[] = [];
    const ps = [300, 100, 200].map((timeout) => timeoutCode(box.receive((m) => m.n === timeout, { timeout })).then((code) => (order.push(timeout), code)));
    await jest.advanceTimersByTimeAsync(99);
    expect(order).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(order).toEqual([100]);
    await jest.advanceTimersByTimeAsync(100);
    expect(order).toEqual([100, 200]);
    await jest.advanceTimersByTimeAsync(100);
    expect(order).toEqual([100, 200, 300]);
    expect(await Promise.all(ps)).toEqual([CoreErrors.TIMEOUT, CoreErrors.TIMEOUT, CoreErrors.TIMEOUT]);
  });

  it('keeps one timer for many receives, armed for the earliest deadline', () => {
    const box = new Mailbox<M>();
    for (let i = 0; i < 50; i++) void box.receive(() => false, { timeout: 1000 + i }).catch(() => undefined);
    expect(jest.getTimerCount()).toBe(1);
    void box.receive(() => false, { timeout: 10 }).catch(() => undefined);
    expect(jest.getTimerCount()).toBe(1);
    box.close();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sets no timer for receives that end before the armed deadline', async () => {
    const box = new Mailbox<M>();
    const spy = jest.spyOn(globalThis, 'setTimeout');
    try {
      for (let n = 0; n < 20; n++) {
        const p = box.receive((m) => m.n === n, { timeout: 5000 });
        box.deliver({ n });
        expect(await p).toEqual({ n });
      }
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('re-arms after a receive that ended early, so a later receive still times out on time', async () => {
    const box = new Mailbox<M>();
    const first = box.receive((m) => m.n === 1, { timeout: 100 });
    box.deliver({ n: 1 });
    await first;
    await jest.advanceTimersByTimeAsync(50);
    const second = timeoutCode(box.receive(() => false, { timeout: 100 }));
    let code: string | undefined;
    void second.then((c) => (code = c));
    await jest.advanceTimersByTimeAsync(60); // the timer armed for the first fires: nothing expired
    expect(code).toBeUndefined();
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(39);
    expect(code).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(code).toBe(CoreErrors.TIMEOUT);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('an earlier deadline re-arms the timer; a receive with no timeout never times out', async () => {
    const box = new Mailbox<M>();
    const codes: Array<string | undefined> = [];
    void timeoutCode(box.receive(() => false, { timeout: 1000 })).then((c) => codes.push(c));
    const forever = box.receive((m) => m.n === 7, { timeout: Infinity });
    void timeoutCode(box.receive(() => false, { timeout: 10 })).then((c) => codes.push(c));
    await jest.advanceTimersByTimeAsync(10);
    expect(codes).toEqual([CoreErrors.TIMEOUT]);
    await jest.advanceTimersByTimeAsync(990);
    expect(codes).toEqual([CoreErrors.TIMEOUT, CoreErrors.TIMEOUT]);
    expect(jest.getTimerCount()).toBe(0);
    box.deliver({ n: 7 });
    expect(await forever).toEqual({ n: 7 });
  });

  it('a message delivered before the deadline wins, and matches the oldest waiting receive', async () => {
    const box = new Mailbox<M>();
    const a = box.receive(() => true, { timeout: 100 });
    const b = timeoutCode(box.receive(() => true, { timeout: 50 }));
    await jest.advanceTimersByTimeAsync(49);
    box.deliver({ n: 1 });
    await jest.advanceTimersByTimeAsync(1);
    expect(await a).toEqual({ n: 1 });
    expect(await b).toBe(CoreErrors.TIMEOUT);
  });

  it('cancel rejects the receives with the tag, oldest first, and leaves the others waiting', async () => {
    const box = new Mailbox<M>();
    const tag = {};
    const a = box.receive(() => true, { timeout: Infinity, tag });
    const other = box.receive(() => true, { timeout: Infinity, tag: {} });
    const b = box.receive(() => true, { timeout: 100, tag });
    const error = new GunError('X_ERR_GONE', 'gone', { origin: 'local' });
    expect(box.cancel(tag, error)).toBe(2);
    expect(box.cancel(undefined, error)).toBe(0);
    await expect(a).rejects.toBe(error);
    await expect(b).rejects.toBe(error);
    box.deliver({ n: 1 });
    expect(await other).toEqual({ n: 1 });
  });

  it('a receive aborted or bound away stops counting for the timer', async () => {
    const box = new Mailbox<M>();
    const ac = new AbortController();
    const aborted = box.receive(() => true, { timeout: 100, signal: ac.signal });
    let cancel: ((e: GunError) => void) | undefined;
    let unbound = 0;
    const bound = box.receive(() => true, { timeout: 100, bind: (c) => ((cancel = c), () => void unbound++) });
    ac.abort();
    cancel!(new GunError('X_ERR_BOUND', 'bound', { origin: 'local' }));
    await expect(aborted).rejects.toMatchObject({ code: CoreErrors.ABORTED });
    await expect(bound).rejects.toMatchObject({ code: 'X_ERR_BOUND' });
    expect(unbound).toBe(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(jest.getTimerCount()).toBe(0);
  });
});
