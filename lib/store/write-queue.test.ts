import { describe, expect, it } from 'vitest';
import { QueueClosedError, QueueFullError, WriteQueue } from './write-queue';

describe('WriteQueue', () => {
  it('groups batches that wait together into one flush and resolves each after it', async () => {
    const flushed: number[][] = [];
    const queue = new WriteQueue<number>(
      async (items) => {
        flushed.push(items);
        await new Promise((r) => setTimeout(r, 5));
      },
      1000,
      1000,
    );
    await Promise.all([1, 2, 3].map((n) => queue.enqueue(n, 10)));
    expect(flushed).toEqual([[1, 2, 3]]);
    expect(queue.pendingRows).toBe(0);
  });

  it('refuses at once when the rows would exceed the bound, but always takes a batch into an empty queue', async () => {
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    let calls = 0;
    const queue = new WriteQueue<string>(() => (calls++ === 0 ? first : Promise.resolve()), 100, 100);
    const big = queue.enqueue('big', 500); // bigger than the bound: accepted because the queue is empty
    await new Promise((r) => setImmediate(r));
    await expect(queue.enqueue('more', 1)).rejects.toBeInstanceOf(QueueFullError);
    release();
    await big;
    await expect(queue.enqueue('after', 1)).resolves.toBeUndefined();
  });

  it('keeps one bad batch from failing the others it was grouped with', async () => {
    const queue = new WriteQueue<string>(
      (items) => (items.includes('bad') ? Promise.reject(new Error('bad row')) : Promise.resolve()),
      1000,
      1000,
    );
    const results = await Promise.allSettled(['a', 'bad', 'b'].map((item) => queue.enqueue(item, 1)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('runs exclusive tasks between flushes and refuses work once closed', async () => {
    const order: string[] = [];
    const queue = new WriteQueue<string>(
      (items) => {
        order.push(`flush ${items.join(',')}`);
        return Promise.resolve();
      },
      1000,
      1,
    );
    await Promise.all([
      queue.enqueue('a', 1),
      queue.exclusive(() => {
        order.push('task');
        return Promise.resolve();
      }),
      queue.enqueue('b', 1),
    ]);
    expect(order).toContain('task');
    expect(order.filter((o) => o.startsWith('flush'))).toEqual(['flush a', 'flush b']);
    await queue.close();
    await expect(queue.enqueue('late', 1)).rejects.toBeInstanceOf(QueueClosedError);
  });
});
