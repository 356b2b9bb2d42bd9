import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive, throughOutage } from '@/lib/lag/testing/drive';
import { brokerGate } from '@/lib/testing/brokers';
import { compileFilter } from '../patterns';
import { TcpProxy } from '../testing/tcp-proxy';
import { RedisStreamsLagAdapter } from './lag';

// Real Redis 7 on 127.0.0.1:6379, one stream per run. Lag in seconds comes from entry ids, which are
// the server's append time in ms: asserted within the XADD calls' window (+1 ms).
const gate = await brokerGate('redis');
const run = randomUUID().slice(0, 8);
const stream = `sbtest:lag:${run}`;
const group = `audit-${run}`;
let redis: Redis;
const adapters: RedisStreamsLagAdapter[] = [];
const ours = compileFilter({ include: [`redis:*${run}*`], exclude: [] });
function adapter(url = 'redis://127.0.0.1:6379') {
  const a = new RedisStreamsLagAdapter({ url, tls: null }, (g, s) => ours('redis', g, s));
  adapters.push(a);
  return a;
}

async function add(count: number, fields: string[] = ['v', 'x']) {
  const before = Date.now();
  for (let i = 0; i < count; i++) await redis.xadd(stream, '*', ...fields);
  return { before, after: Date.now() };
}

/** Reads `count` new entries as `consumer` and acknowledges the first `ack` of them. */
async function consume(count: number, ack = count, consumer = 'worker-1'): Promise<void> {
  const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, '>')) as
    [string, [string, string[]][]][] | null;
  const ids = reply?.[0]?.[1].map(([id]) => id) ?? [];
  if (ids.length !== count) throw new Error(`read ${ids.length} of ${count}`);
  if (ack > 0) await redis.xack(stream, group, ...ids.slice(0, ack));
}

describe.skipIf(gate.skip)('Redis Streams consumer-group lag', () => {
  beforeAll(async () => {
    redis = new Redis('redis://127.0.0.1:6379');
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.close()));
    await redis.del(stream);
    redis.disconnect();
  });

  it('counts undelivered and unacknowledged entries exactly, ages the oldest, drains to OK', async () => {
    const first = await add(10);
    await add(20);
    // 10 read, 7 of them acknowledged: 3 pending (delivered, not acked) + 20 never delivered.
    await consume(10, 7);
    const driven = drive(adapter(), group, stream);
    const reading = await driven.step(0);
    expect(reading).toMatchObject({
      system: 'redis',
      lagMessages: 23,
      lagSecondsSource: 'entry-id',
      consumers: 1, // worker-1 read under a minute ago by Redis's own clock
      details: { undelivered: 20, pending: 3, registeredConsumers: 1, idleConsumers: 0, streamLength: 30 },
    });
    expect(reading.partitions[0]).toMatchObject({ position: 10, endPosition: 30 });
    // The oldest unacknowledged entry is the 8th of the first batch (pending), not the first undelivered.
    const now = driven.clock.now();
    expect(reading.lagSeconds!).toBeGreaterThanOrEqual((now - first.after) / 1000 - 0.001);
    expect(reading.lagSeconds!).toBeLessThanOrEqual((now - first.before) / 1000 + 0.001);

    // Nothing moves for a minute while the consumer is registered and recently active: STALL.
    await driven.step();
    expect(await driven.step()).toMatchObject({ status: 'STALL', etaSeconds: null });

    await redis.xack(
      stream,
      group,
      ...((await redis.xpending(stream, group, '-', '+', 10)) as [string][]).map(([id]) => id),
    );
    for (let i = 0; i < 6; i++) {
      await consume(2);
      await driven.step(10_000);
    }
    expect(await driven.step(0)).toMatchObject({
      lagMessages: 8,
      status: 'OK',
      trend: { direction: 'shrinking' },
      etaSeconds: 40,
    });
    await consume(8);
    expect(await driven.step()).toMatchObject({ lagMessages: 0, lagSeconds: 0, status: 'OK', etaSeconds: 0 });
  });

  it('uses the pathway field of the oldest entry when producers are instrumented', async () => {
    const sendMs = Date.now() - 30_000;
    await add(2, ['signalbox-pathway', `1:00112233445566aa:${sendMs}:${sendMs}:1`, 'v', 'x']);
    const driven = drive(adapter(), group, stream);
    const reading = await driven.step(0);
    expect(reading).toMatchObject({ lagMessages: 2, lagSecondsSource: 'pathway' });
    expect(reading.lagSeconds).toBeCloseTo((driven.clock.now() - sendMs) / 1000, 2);
  });

  it('reports the server unreachable while it is down and recovers when it returns', async () => {
    const proxy = await new TcpProxy('127.0.0.1', 6379).open();
    await throughOutage(drive(adapter(`redis://127.0.0.1:${proxy.port}`), group, stream), proxy, (broker) => {
      expect(broker).toMatchObject({ reachable: false, address: `redis://127.0.0.1:${proxy.port}` });
    });
  });
});
