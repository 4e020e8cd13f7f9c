import { CoreErrors, GunError } from '@gunhttp/core';
import { PoolErrors } from '../../../src/index.js';
import { pickRandom, streamCapacity, withCheckoutRetry } from '../../../src/pool/checkout.js';

describe('streamCapacity (Gun gun_pool checkout)', () => {
  it.each([
    { protocol: 'http', max: 100, capacity: 1 },
    { protocol: 'http2', max: 100, capacity: 100 },
    { protocol: 'http2', max: Infinity, capacity: Infinity },
    { protocol: 'ws', max: 1, capacity: Infinity },
    { protocol: 'raw', max: 1, capacity: Infinity },
    { protocol: 'socks', max: 1, capacity: Infinity },
  ] as const)('$protocol with a server limit of $max carries $capacity stream(s)', ({ protocol, max, capacity }) => {
    expect(streamCapacity(protocol, max)).toBe(capacity);
  });
});

describe('pickRandom', () => {
  const items = [1, 2, 3, 4];
  it.each([
    { r: 0, picked: 2 },
    { r: 0.5, picked: 4 },
    { r: 0.999999, picked: 4 },
  ])('picks among the accepted ones with random() = $r', ({ r, picked }) => {
    expect(pickRandom(items, (n) => n % 2 === 0, () => r)).toBe(picked);
  });

  it('answers undefined when none is accepted', () => {
    expect(pickRandom(items, () => false, () => 0)).toBeUndefined();
  });
});

describe("withCheckoutRetry (Gun's checkout_retry)", () => {
  async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
    const e = await p.then(() => undefined, (error: unknown) => error);
    return e instanceof GunError ? e.code : undefined;
  }

  it('tries once without sleeps, then fails with POOL_ERR_NO_CONNECTION_AVAILABLE', async () => {
    let tries = 0;
    expect(await codeOf(withCheckoutRetry(() => void tries++))).toBe(PoolErrors.NO_CONNECTION_AVAILABLE);
    expect(tries).toBe(1);
  });

  it('tries once more after each sleep', async () => {
    let tries = 0;
    expect(await codeOf(withCheckoutRetry(() => void tries++, [0, 0, 0]))).toBe(PoolErrors.NO_CONNECTION_AVAILABLE);
    expect(tries).toBe(4);
  });

  it('runs the first attempt synchronously and stops at the first success', async () => {
    let tries = 0;
    const p = withCheckoutRetry(() => (++tries === 1 ? 'now' : undefined), [0]);
    expect(tries).toBe(1);
    await expect(p).resolves.toBe('now');
    let later = 0;
    await expect(withCheckoutRetry(() => (++later === 3 ? 'third' : undefined), [0, 0, 0])).resolves.toBe('third');
    expect(later).toBe(3);
  });

  it.each([[[-1]], [[1.5]], [[Infinity]], ['10' as unknown as number[]]])('rejects the sleep list %p with GUN_ERR_BAD_ARGUMENT', async (sleeps) => {
    expect(await codeOf(withCheckoutRetry(() => 1, sleeps))).toBe(CoreErrors.BAD_ARGUMENT);
  });
});
