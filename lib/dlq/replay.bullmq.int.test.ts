import { randomUUID } from 'node:crypto';
import { deadLetterBullMQ, REPLAY_HEADERS, parseBullmqMetadata } from '@signalbox/instrumentation';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullMqDlqAdapter } from '@/lib/brokers/bullmq/dlq';
import { DlqBrokerError } from '@/lib/brokers/dlq-types';
import { replayId } from '@/lib/brokers/replay-id';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import type { DlqService } from './service';
import { openDlqService } from './testing/dlq-service';
import { refailedCopy, replayToEnd, testActor, waitFor } from './testing/support';
import { ORIGINAL_TRACE, ORIGINAL_TRACEPARENT, OrderValidationError, testTracer } from './testing/telemetry';

const gate = await brokerGate('redis');

type Order = { id: number; amount?: number };

describe.skipIf(gate.skip)('DLQ replay on BullMQ (real Redis, real DuckDB file)', () => {
  // A prefix of our own: discovery sees only this run's queues, and afterAll deletes every key under it.
  const prefix = `sbx-dlq-${randomUUID().slice(0, 8)}`;
  const connection = { host: BROKERS.redis.host, port: BROKERS.redis.port, maxRetriesPerRequest: null };
  const settings = { url: `redis://${BROKERS.redis.host}:${BROKERS.redis.port}`, prefix, tls: null };
  const failedId = 'bullmq:orders:failed';
  const dlqId = 'bullmq:payments.dlq';
  const telemetry = testTracer();
  let redis: Redis;
  let orders: Queue;
  let payments: Queue;
  let paymentsDlq: Queue;
  const workers: Worker[] = [];
  let service: DlqService;
  let closeService: () => Promise<void>;
  let fixed = false;
  const processed: Job<Order>[] = [];

  // The services under test: they fail orders without an amount, for real.
  const processor = (job: Job<Order>) => {
    if (job.data.amount === undefined && !fixed)
      throw new OrderValidationError(`order ${job.data.id} has no amount`);
    processed.push(job);
    return Promise.resolve();
  };

  beforeAll(async () => {
    redis = new Redis(connection);
    orders = new Queue('orders', { connection, prefix });
    payments = new Queue('payments', { connection, prefix });
    paymentsDlq = new Queue('payments.dlq', { connection, prefix });
    // orders: a job that failed both attempts stays in the failed set (BullMQ's own dead letters).
    workers.push(new Worker<Order>('orders', processor, { connection, prefix }));
    // payments: a failed job is moved to payments.dlq with deadLetterBullMQ, then removed.
    const paymentsWorker = new Worker<Order>('payments', processor, { connection, prefix });
    paymentsWorker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
        void deadLetterBullMQ(job, paymentsDlq, { error }).then(() => job.remove());
    });
    workers.push(paymentsWorker);
    ({ service, close: closeService } = await openDlqService([new BullMqDlqAdapter(settings)], {
      tracer: telemetry.tracer,
    }));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all([orders, payments, paymentsDlq].map((q) => q?.close()));
    await closeService?.();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis?.disconnect();
    await telemetry.shutdown();
  });

  const traced = { telemetry: { metadata: JSON.stringify({ traceparent: ORIGINAL_TRACEPARENT }) } };
  const addOrder = (order: Order) => orders.add('charge', order, { attempts: 2, ...traced });
  const metadata = (job: Job) => parseBullmqMetadata(job.opts.telemetry?.metadata);
  const replayedHere = (queue: string) =>
    processed.filter((j) => j.queueName === queue && metadata(j)[REPLAY_HEADERS.id] !== undefined);
  const failedCount = () => orders.getFailedCount();

  it('lists the failed set as <queue>:failed and DLQ-named queues; shows each failure; browsing moves nothing', async () => {
    await addOrder({ id: 1, amount: 5 });
    const failing = [await addOrder({ id: 41 }), await addOrder({ id: 42 })];
    await waitFor(async () => ((await failedCount()) === 2 ? true : undefined), 'two failed jobs');
    const { queues } = await service.queues();
    expect(queues).toEqual([
      { id: failedId, system: 'bullmq', name: 'orders:failed', messages: 2, source: 'name' },
      { id: dlqId, system: 'bullmq', name: 'payments.dlq', messages: 0, source: 'name' },
    ]);

    const { messages, groups } = await service.messages(failedId, {});
    expect(messages.map((m) => m.id).sort()).toEqual(failing.map((j) => j.id).sort());
    for (const m of messages) {
      expect(m.failure).toMatchObject({
        dialect: 'bullmq',
        reason: 'error',
        errorType: 'OrderValidationError',
        source: { system: 'bullmq', destination: 'orders', messageId: m.id },
        attempts: 2,
        traceId: ORIGINAL_TRACE,
      });
      expect(m.failure.errorMessage).toMatch(/^order 4[12] has no amount$/);
      expect(m.headers['bullmq.failedReason']).toBe(m.failure.errorMessage);
      expect(m.headers['bullmq.stacktrace']).toMatch(/^OrderValidationError: order 4[12] has no amount\n/);
      expect(m.body).toMatchObject({ encoding: 'json' });
    }
    expect(groups).toMatchObject([{ count: 2, errorType: 'OrderValidationError', destinations: ['orders'] }]);
    // Read by id: both still failed, nothing retried or moved.
    expect(await failedCount()).toBe(2);
    for (const job of failing) expect(await orders.getJobState(job.id ?? '')).toBe('failed');
  });

  it('dry run reports count, target and header diff, and changes nothing', async () => {
    const dry = await service.replay(failedId, { all: true, dryRun: true }, testActor('test'));
    expect(dry).toMatchObject({ dryRun: true, messages: 2, targets: { orders: 2 }, poison: 0, skipped: 0 });
    if (!('dryRun' in dry)) throw new Error('expected a dry run');
    expect(dry.headerDiff.removed).toEqual(['traceparent']);
    expect(Object.keys(dry.headerDiff.added)).toEqual(
      expect.arrayContaining([REPLAY_HEADERS.id, REPLAY_HEADERS.count]),
    );
    expect(await service.store.listJobs(10)).toEqual([]);
    expect(await failedCount()).toBe(2);
  });

  it('replays into the queue (a retry); the worker processes them in a new trace linked to the old', async () => {
    fixed = true;
    const done = await replayToEnd(service, failedId, { all: true }, 'alice');
    expect(done).toMatchObject({ status: 'done', counts: { replayed: 2, poison: 0 }, expected: 2 });
    expect(await failedCount()).toBe(0);
    const replayed = await waitFor(
      () => (replayedHere('orders').length === 2 ? replayedHere('orders') : undefined),
      'replayed orders processed',
    );
    for (const copy of replayed) {
      const fields = metadata(copy);
      expect(fields[REPLAY_HEADERS.count]).toBe('1');
      // The copy's job id is its replay id: BullMQ ignores a resent copy while this one exists.
      expect(copy.id).toBe(fields[REPLAY_HEADERS.id]);
      expect(done.items.map((i) => i.replayId)).toContain(copy.id);
      expect(copy.name).toBe('charge');
      expect(copy.opts.attempts).toBe(2);
      expect(Object.keys(fields).some((k) => k.startsWith('bullmq.'))).toBe(false);
      telemetry.expectReplayLinkedToOriginal(fields.traceparent, 'orders');
    }
  });

  it('a resent copy is added once; a target queue that does not exist is an error', async () => {
    const adapter = new BullMqDlqAdapter(settings);
    try {
      const session = await adapter.open('payments.dlq', { jobId: 'resend', cursor: null });
      const id = replayId('resend', 'x');
      const copy = {
        headers: { [REPLAY_HEADERS.id]: id },
        body: Buffer.from('{"id":7,"amount":1}'),
        messageKey: null,
        properties: { name: 'charge', opts: {} },
      };
      // payments.dlq has no worker: both adds land in its wait list, or one is ignored.
      await session.publish('payments.dlq', [copy]);
      await session.publish('payments.dlq', [copy]);
      expect(await paymentsDlq.getWaitingCount()).toBe(1);
      await paymentsDlq.remove(id);
      await expect(session.publish('no-such-queue', [copy])).rejects.toThrow(DlqBrokerError);
      await expect(session.publish('no-such-queue', [copy])).rejects.toThrow(
        /no BullMQ queue named no-such-queue/,
      );
      expect(await redis.exists(`${prefix}:no-such-queue:meta`)).toBe(0);
    } finally {
      await adapter.close();
    }
  });

  it('a poison job stops after N re-failures and stays in the failed set', async () => {
    fixed = false;
    const original = await addOrder({ id: 99 });
    await waitFor(async () => ((await failedCount()) === 1 ? true : undefined), 'job 99 failed');
    await service.replay(failedId, { messageIds: [original.id ?? ''] }, testActor('bob'));
    await service.idle();
    // The copy failed both attempts too: it is in the failed set with replay count 1 = the limit.
    const again = await refailedCopy(service, failedId);
    expect(again.id).not.toBe(original.id);
    const result = await replayToEnd(service, failedId, { messageIds: [again.id] }, 'bob');
    expect(result).toMatchObject({ status: 'done', counts: { replayed: 0, poison: 1 } });
    expect(result.items[0]?.detail).toMatch(/replayed 1 times/);
    expect(await failedCount()).toBe(1);
  });

  it('replays a deadLetterBullMQ dead-letter queue to the original queue with the original data', async () => {
    await payments.add('pay', { id: 7 }, traced);
    await waitFor(
      async () => ((await paymentsDlq.getWaitingCount()) === 1 ? true : undefined),
      'dead letter 7',
    );
    const [m] = (await service.messages(dlqId, {})).messages;
    // deadLetterBullMQ keeps the job's telemetry metadata: the failed message's trace is there.
    expect(m?.failure).toMatchObject({
      traceId: ORIGINAL_TRACE,
      dialect: 'signalbox',
      reason: 'error',
      errorType: 'OrderValidationError',
      errorMessage: 'order 7 has no amount',
      source: { system: 'bullmq', destination: 'payments' },
      attempts: 1,
    });
    // The body is the original job's data, not deadLetterBullMQ's envelope.
    expect(JSON.parse(m?.body.preview ?? '')).toEqual({ id: 7 });
    fixed = true;
    expect(await replayToEnd(service, dlqId, { all: true }, 'alice')).toMatchObject({
      status: 'done',
      counts: { replayed: 1 },
    });
    const [copy] = await waitFor(
      () => (replayedHere('payments').length === 1 ? replayedHere('payments') : undefined),
      'replayed payment processed',
    );
    expect(copy?.data).toEqual({ id: 7 });
    expect(copy?.name).toBe('pay');
    expect(await paymentsDlq.getWaitingCount()).toBe(0);
  });

  it('a deadLetterBullMQ job that fails again after a replay keeps its replay count (poison guard)', async () => {
    fixed = false;
    await payments.add('pay', { id: 8 }, traced);
    await waitFor(
      async () => ((await paymentsDlq.getWaitingCount()) === 1 ? true : undefined),
      'dead letter 8',
    );
    await service.replay(dlqId, { all: true }, testActor('alice'));
    await service.idle();
    // The replayed copy failed again and was dead-lettered again: the replay count came along.
    const again = await waitFor(async () => {
      const m = (await service.messages(dlqId, {})).messages[0];
      return m?.failure.replay?.count === 1 ? m : undefined;
    }, 'the re-dead-lettered copy');
    expect(await replayToEnd(service, dlqId, { messageIds: [again.id] }, 'alice')).toMatchObject({
      status: 'done',
      counts: { replayed: 0, poison: 1 },
    });
    expect(await paymentsDlq.getWaitingCount()).toBe(1);
    fixed = true;
  });

  it('a pass reads the jobs that had failed when it started, and so does a resumed pass with its cursor', async () => {
    const audits = new Queue('audits', { connection, prefix });
    const worker = new Worker('audits', () => Promise.reject(new Error('audit store down')), {
      connection,
      prefix,
    });
    const adapter = new BullMqDlqAdapter(settings);
    const keys = async (cursor: string | null) => {
      const session = await adapter.open('audits:failed', { jobId: 'pass', cursor });
      const read: string[] = [];
      for (let r = await session.next(); r; r = await session.next()) read.push(r.key);
      return { read, cursor: session.cursor };
    };
    try {
      const a = await audits.add('audit', { n: 1 });
      await waitFor(async () => ((await audits.getFailedCount()) === 1 ? true : undefined), 'audit 1 failed');
      const first = await adapter.open('audits:failed', { jobId: 'pass', cursor: null });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const b = await audits.add('audit', { n: 2 });
      await waitFor(async () => ((await audits.getFailedCount()) === 2 ? true : undefined), 'audit 2 failed');
      expect(await first.next()).toMatchObject({ key: a.id });
      expect(await first.next()).toBeNull();
      expect((await keys(first.cursor)).read).toEqual([a.id]);
      expect((await keys(null)).read).toEqual([a.id, b.id]);
    } finally {
      await worker.close();
      await audits.close();
      await adapter.close();
    }
  });

  it('deletes one failed job and purges the failed set, each recorded in the audit log', async () => {
    const [m] = (await service.messages(failedId, {})).messages;
    await service.deleteMessage(failedId, m?.id ?? '', testActor('carol'));
    expect(await failedCount()).toBe(0);
    fixed = false;
    await addOrder({ id: 100 });
    await waitFor(async () => ((await failedCount()) === 1 ? true : undefined), 'job 100 failed');
    await expect(service.purge(failedId, testActor('carol'), 'wrong')).rejects.toThrow(/confirm/);
    expect(await service.purge(failedId, testActor('carol'), 'orders:failed')).toEqual({ purged: 1 });
    expect(await failedCount()).toBe(0);
    const log = await service.store.audit.list(10, failedId);
    expect(log.slice(0, 2).map((e) => e.action)).toEqual(['purge', 'delete']);
  });
});
