import { Mailbox, StreamRef } from '@gunhttp/core';
import type { ConnMessage } from '../../src/connection.js';
import { StreamRegistry } from '../../src/stream-registry.js';

describe('StreamRegistry', () => {
  it('keeps its record on the ref, and falls back for a ref another connection made', () => {
    const [ownerA, ownerB, replyA, replyB] = [0, 1, 2, 3].map(() => new Mailbox<ConnMessage>());
    const a = new StreamRegistry(ownerA!);
    const b = new StreamRegistry(ownerB!);
    const ref = new StreamRef();
    a.open(ref, replyA!, new URL('http://a.example/'));
    b.open(ref, replyB!, new URL('http://b.example/'));
    expect(a.replyTo(ref)).toBe(replyA);
    expect(b.replyTo(ref)).toBe(replyB);
    expect(a.url(ref)?.host).toBe('a.example');
    expect(b.url(ref)?.host).toBe('b.example');
    b.kill(ref, 'closed');
    expect(b.killedReason(ref)).toEqual({ reason: 'closed' });
    expect(a.killedReason(ref)).toBeUndefined();
  });

  it('answers the owner for refs it did not make, and records kills of them', () => {
    const owner = new Mailbox<ConnMessage>();
    const registry = new StreamRegistry(owner);
    const pushed = new StreamRef();
    expect(registry.replyTo(pushed)).toBe(owner);
    registry.kill(pushed, 'closed');
    expect(registry.killedReason(pushed)).toEqual({ reason: 'closed' });
    expect(registry.replyTo(pushed)).toBe(owner);
  });

  it('tells the watchers of a killed stream and of an ended connection, until they unwatch', () => {
    const registry = new StreamRegistry(new Mailbox<ConnMessage>());
    const [r1, r2] = [new StreamRef(), new StreamRef()];
    const told: string[] = [];
    const unwatch1 = registry.watch(r1, () => told.push('r1'));
    const unwatch1b = registry.watch(r1, () => told.push('r1b'));
    registry.watch(r2, () => told.push('r2'));
    registry.watch(undefined, () => told.push('conn'));
    unwatch1b();
    registry.kill(r1, 'closed');
    expect(told).toEqual(['r1']);
    unwatch1();
    told.length = 0;
    registry.ended();
    expect(told).toEqual(['r2', 'conn']);
  });
});
