import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive, throughOutage } from '@/lib/lag/testing/drive';
import { brokerGate } from '@/lib/testing/brokers';
import { compileFilter } from '../patterns';
import { TcpProxy } from '../testing/tcp-proxy';
import { BullMqLagAdapter } from './lag';

// Real Redis on 127.0.0.1:6379 with real BullMQ queues under a per-run prefix. Jobs are processed by
// hand (Worker.getNextJob + moveToCompleted) so the backlog is exact. Lag in seconds comes from job
// timestamps (the producer's clock at add): asserted within the add calls' window (+1 ms).
const gate = await brokerGate('redis');
const run = randomUUID().slice(0, 8);
const prefix = `sbtest-${run}`;
const name = 'emails';
const connection = { host: '127.0.0.1', port: 6379 };
let queue: Queue;
let worker: Worker;
const adapters: BullMqLagAdapter[] = [];
const ours = compileFilter({ include: [], exclude: [] });
function adapter(url = 'redis://127.0.0.1:6379') {
  const a = new BullMqLagAdapter({ url, prefix, tls: null }, (q) => ours('bullmq', q));
  adapters.push(a);
  return a;
}

async function add(count: number) {
  const before = Date.now();
  await queue.addBulk(Array.from({ length: count }, (_, i) => ({ name: 'send', data: { i } })));
  return { before, after: Date.now() };
}

/** Takes `count` jobs from the queue and completes them. */
async function process(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const token = randomUUID();
    const job = await worker.getNextJob(token, { block: false });
    if (!job) throw new Error('no job waiting');
    await job.moveToCompleted('sent', token, false);
  }
}

describe.skipIf(gate.skip)('BullMQ queue lag', () => {
  beforeAll(() => {
    queue = new Queue(name, { connection, prefix });
    worker = new Worker(name, null, { connection, prefix, autorun: false });
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.close()));
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  });

  it('counts waiting jobs exactly, ages the oldest, sees workers, drains with an exact ETA', async () => {
    const oldest = await add(10);
    await add(20);
    await process(5);
    const driven = drive(adapter(), name, name);
    const reading = await driven.step(0);
    expect(reading).toMatchObject({
      system: 'bullmq',
      lagMessages: 25,
      lagSecondsSource: 'message-timestamp',
      consumers: 1, // the worker's connection, even while it is not taking jobs
      details: { waiting: 25, active: 0, completed: 5, failed: 0, paused: 0 },
    });
    const now = driven.clock.now();
    expect(reading.lagSeconds!).toBeGreaterThanOrEqual((now - oldest.after) / 1000 - 0.001);
    expect(reading.lagSeconds!).toBeLessThanOrEqual((now - oldest.before) / 1000 + 0.001);
    expect(driven.poller.latest().brokers[0]!.address).toBe(`redis://127.0.0.1:6379 (prefix ${prefix})`);

    // A worker that is connected but takes nothing: the oldest job only gets older → STALL.
    await driven.step();
    expect(await driven.step()).toMatchObject({ status: 'STALL', etaSeconds: null });

    for (let i = 0; i < 6; i++) {
      await process(2);
      await driven.step(10_000);
    }
    expect(await driven.step(0)).toMatchObject({
      lagMessages: 13,
      status: 'OK',
      trend: { direction: 'shrinking', messagesPerSecond: -0.2 },
      etaSeconds: 65,
    });
    await process(13);
    expect(await driven.step()).toMatchObject({ lagMessages: 0, lagSeconds: 0, status: 'OK', etaSeconds: 0 });
  });

  it('goes STOP when no worker is connected', async () => {
    await add(3);
    await worker.close();
    const driven = drive(adapter(), name, name);
    await driven.step(0);
    await driven.step();
    expect(await driven.step()).toMatchObject({ status: 'STOP', consumers: 0, lagMessages: 3 });
    worker = new Worker(name, null, { connection, prefix, autorun: false });
  });

  it('reports Redis unreachable while it is down and recovers when it returns', async () => {
    const proxy = await new TcpProxy('127.0.0.1', 6379).open();
    await throughOutage(drive(adapter(`redis://127.0.0.1:${proxy.port}`), name, name), proxy, (broker) => {
      expect(broker).toMatchObject({ reachable: false });
    });
  });
});
