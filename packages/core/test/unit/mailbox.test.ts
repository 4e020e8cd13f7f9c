import { CoreErrors, Mailbox, StreamRef, deliverTo } from '../../src/index.js';

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
