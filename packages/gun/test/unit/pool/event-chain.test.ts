import { StreamRef } from '@gunhttp/core';
import type { GunEventHandler } from '@gunhttp/core';
import type { ConnMessage } from '../../../src/index.js';
import { PoolOwnerMailbox, chainEventHandler } from '../../../src/pool/event-chain.js';

describe('chainEventHandler', () => {
  const event = { streamRef: new StreamRef(), replyTo: undefined };

  it("calls the pool's method first, then the user's on the user's object", () => {
    const calls: string[] = [];
    class UserHandler {
      readonly name = 'user';
      responseEnd(): void {
        calls.push(this.name);
      }
    }
    const chained = chainEventHandler({ responseEnd: () => calls.push('pool') }, new UserHandler() as GunEventHandler);
    chained.responseEnd?.(event);
    expect(calls).toEqual(['pool', 'user']);
  });

  it('has a method only for events somebody handles', () => {
    const chained = chainEventHandler({ requestStart: () => undefined }, { cancel: () => undefined });
    expect(Object.keys(chained).sort()).toEqual(['cancel', 'requestStart']);
    expect(Object.keys(chainEventHandler({}, undefined))).toEqual([]);
  });
});

describe('PoolOwnerMailbox', () => {
  it('queues only the messages the pool does not consume', () => {
    const consumed: string[] = [];
    const box = new PoolOwnerMailbox((m) => m.type === 'up' && consumed.push(m.type) > 0);
    box.deliver({ type: 'up', conn: undefined, protocol: 'http' } as unknown as ConnMessage);
    box.deliver({ type: 'data', conn: undefined, streamRef: new StreamRef(), fin: true, data: new Uint8Array() } as unknown as ConnMessage);
    expect(consumed).toEqual(['up']);
    expect(box.peekAll().map((m) => m.type)).toEqual(['data']);
  });
});
