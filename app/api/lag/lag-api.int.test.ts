import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LagSnapshot } from '@/lib/lag/types';
import { brokerGate } from '@/lib/testing/brokers';

// The real route handlers on a real poller: Redis Streams on 127.0.0.1:6379 for data, and a NATS
// address where nothing listens, to show a dead broker reported next to a live one. The lag history
// goes to a store in a fresh folder: not the checkout's own data/ (it would mix in earlier runs).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-lag-api-'));
process.env.SIGNALBOX_DATA_DIR = dir;
const gate = await brokerGate('redis');
const run = randomUUID().slice(0, 8);
const stream = `sbtest:api:${run}`;
const deadPort = await new Promise<number>((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resolve(port));
  });
});
process.env.SIGNALBOX_REDIS_URL = 'redis://127.0.0.1:6379';
process.env.SIGNALBOX_NATS_URL = `nats://127.0.0.1:${deadPort}`;
process.env.SIGNALBOX_LAG_INCLUDE = `*${run}*`;
process.env.SIGNALBOX_LAG_POLL_INTERVAL_MS = '1000';

const lag = await import('./route');
const lagHistory = await import('./history/route');
const { getLagPoller } = await import('@/lib/runtime');

const get = async (handler: (r: Request) => Promise<Response>, query = '') => {
  const response = await handler(new Request(`http://localhost/api/lag${query}`));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe.skipIf(gate.skip)('GET /api/lag and /api/lag/history', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis('redis://127.0.0.1:6379');
    await redis.xgroup('CREATE', stream, 'billing', '0', 'MKSTREAM');
    for (let i = 0; i < 5; i++) await redis.xadd(stream, '*', 'v', String(i));
  });
  afterAll(async () => {
    await (await getLagPoller()).stop();
    await redis.del(stream);
    redis.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers at once, then lists the group and the dead broker with its address and error', async () => {
    const first = await get(lag.GET);
    expect(first.status).toBe(200);
    expect((first.body as unknown as LagSnapshot).brokers.map((b) => b.system)).toEqual([
      'nats',
      'redis',
      'bullmq',
    ]);

    await expect
      .poll(async () => ((await get(lag.GET)).body as unknown as LagSnapshot).groups.length, {
        timeout: 10_000,
      })
      .toBe(1);
    const { body } = await get(lag.GET);
    const snapshot = body as unknown as LagSnapshot;
    expect(snapshot.groups[0]).toMatchObject({
      system: 'redis',
      group: 'billing',
      destination: stream,
      lagMessages: 5,
      lagSecondsSource: 'entry-id',
      status: 'OK',
      etaSeconds: null,
      partitions: [{ partition: '', lagMessages: 5, status: 'OK' }],
    });
    expect(snapshot.groups[0]!.lagSeconds).toBeGreaterThanOrEqual(0);
    await expect
      .poll(async () =>
        ((await get(lag.GET)).body as unknown as LagSnapshot).brokers.find((b) => b.system === 'nats'),
      )
      .toMatchObject({
        reachable: false,
        address: `nats://127.0.0.1:${deadPort}`,
        error: expect.stringMatching(/ECONNREFUSED|CONNECTION_REFUSED|refused/i) as unknown,
      });
    expect(snapshot.brokers.find((b) => b.system === 'redis')).toMatchObject({
      reachable: true,
      error: null,
    });
  });

  it('narrows to one group, and says what is wrong with a bad or unknown one', async () => {
    const one = await get(lag.GET, `?system=redis&destination=${encodeURIComponent(stream)}&group=billing`);
    expect(one.status).toBe(200);
    expect((one.body.groups as unknown[]).length).toBe(1);
    expect(await get(lag.GET, '?system=redis&destination=nope&group=billing')).toEqual({
      status: 404,
      body: { error: 'no redis group billing on nope' },
    });
    const bad = await get(lag.GET, '?system=mqtt&destination=a&group=b');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/system must be one of kafka, rabbitmq, nats, redis, aws_sqs, bullmq/);
  });

  it('serves the history of every group, and of one group per partition', async () => {
    await expect
      .poll(
        async () => {
          const { body } = await get(lagHistory.GET, '?from=5m');
          return ((body.groups as { points: unknown[] }[])[0]?.points.length ?? 0) >= 2;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    const all = await get(lagHistory.GET, '?from=5m&points=10');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ from: '5m', to: 'now', stepMs: 30_000 });
    expect(all.body.groups).toEqual([
      expect.objectContaining({
        system: 'redis',
        destination: stream,
        group: 'billing',
        points: expect.any(Array) as unknown,
      }),
    ]);
    const one = await get(
      lagHistory.GET,
      `?from=5m&system=redis&destination=${encodeURIComponent(stream)}&group=billing`,
    );
    expect(one.body.partitions).toEqual([{ partition: '', points: expect.any(Array) as unknown }]);
    const point = (one.body.partitions as { points: { tsMs: number; lagMessages: number }[] }[])[0]!
      .points[0]!;
    expect(point.lagMessages).toBe(5);
    expect((await get(lagHistory.GET, '?from=yesterday')).status).toBe(400);
    expect((await get(lagHistory.GET, '?points=1')).body).toEqual({
      error: 'points must be a whole number from 2 to 2000, not "1"',
    });
  });
});
