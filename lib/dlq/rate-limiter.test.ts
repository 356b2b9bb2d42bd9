import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

/** A fake clock: sleeping moves time forward, so the schedule is checked without real waiting. */
function fakeClock() {
  let now = 1000;
  return {
    now: () => now,
    sleep: (ms: number) => {
      now += ms;
      return Promise.resolve();
    },
    advance: (ms: number) => (now += ms),
  };
}

describe('RateLimiter', () => {
  it('sends message n at start + n / rate', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(100, clock.now, clock.sleep);
    const times: number[] = [];
    for (let i = 0; i < 201; i++) {
      await limiter.acquire(1);
      times.push(clock.now());
    }
    expect(times[200]! - times[0]!).toBeCloseTo(2000, 6);
  });

  it('catches up after a slow round-trip instead of lowering the rate', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock.now, clock.sleep);
    await limiter.acquire(1); // t=0
    clock.advance(500); // a slow broker: 5 slots late
    await limiter.acquire(1);
    expect(clock.now()).toBe(1500); // no extra wait
    for (let i = 0; i < 4; i++) await limiter.acquire(1);
    expect(clock.now()).toBe(1500); // the missed slots are used
    await limiter.acquire(1);
    expect(clock.now()).toBe(1600);
  });

  it('batches about 20 ms of messages, and nothing limits an unlimited replay', async () => {
    expect(new RateLimiter(100).batchSize(500)).toBe(2);
    expect(new RateLimiter(5).batchSize(500)).toBe(1);
    expect(new RateLimiter(100_000).batchSize(500)).toBe(500);
    expect(new RateLimiter(null).batchSize(500)).toBe(500);
    await new RateLimiter(null).acquire(1_000_000);
    expect(() => new RateLimiter(0)).toThrow(RangeError);
  });
});
