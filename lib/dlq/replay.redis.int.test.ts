import { deadLetterRedisStream, REPLAY_HEADERS } from '@signalbox/instrumentation';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStreamsDlqAdapter } from '@/lib/brokers/redis/dlq';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import type { DlqService } from './service';
import { openDlqService } from './testing/dlq-service';
import {
  expectDryRunOfTwo,
  expectPoisonOnSecondReplay,
  replayToEnd,
  testActor,
  unique,
  waitFor,
} from './testing/support';
import { ORIGINAL_TRACE, ORIGINAL_TRACEPARENT, OrderValidationError, testTracer } from './testing/telemetry';

const gate = await brokerGate('redis');

interface Entry {
  id: string;
  fields: Record<string, string>;
}

const asObject = (fields: string[]) => {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i] ?? ''] = fields[i + 1] ?? '';
  return out;
};

describe.skipIf(gate.skip)('DLQ replay on Redis Streams (real Redis, real DuckDB file)', () => {
  const url = `redis://${BROKERS.redis.host}:${BROKERS.redis.port}`;
  const stream = unique('sbdlq-payments');
  const dlq = `${stream}:dlq`;
  const parked = unique('sbdlq-parked');
  const id = `redis:${dlq}`;
  const telemetry = testTracer();
  const redis = new Redis(url, { lazyConnect: true });
  // XREADGROUP BLOCK holds its connection: the consumer reads on its own.
  const reader = new Redis(url, { lazyConnect: true });
  let adapter: RedisStreamsDlqAdapter;
  let service: DlqService;
  let closeService: () => Promise<void>;
  let fixed = false;
  let running = true;
  let consumer: Promise<void> = Promise.resolve();
  const processed: Entry[] = [];

  // The service under test: it declines payments over the limit, for real, and dead-letters them.
  async function consume(): Promise<void> {
    while (running) {
      const reply = (await reader.xreadgroup(
        'GROUP',
        'notifier',
        'worker-1',
        'COUNT',
        10,
        'BLOCK',
        200,
        'STREAMS',
        stream,
        '>',
      )) as [string, [string, string[]][]][] | null;
      for (const [, entries] of reply ?? []) {
        for (const [entryId, fields] of entries) {
          const payment = asObject(fields);
          try {
            if (Number(payment.cents) > 10_000 && !fixed)
              throw new OrderValidationError(`payment ${payment.id} over limit`);
            processed.push({ id: entryId, fields: payment });
          } catch (error) {
            await deadLetterRedisStream(redis, { stream, id: entryId, fields }, { error, group: 'notifier' });
          }
          await redis.xack(stream, 'notifier', entryId);
        }
      }
    }
  }

  beforeAll(async () => {
    await redis.connect();
    await reader.connect();
    await redis.xgroup('CREATE', stream, 'notifier', '$', 'MKSTREAM');
    await redis.xadd(parked, '*', 'note', 'kept aside by hand');
    consumer = consume();
    adapter = new RedisStreamsDlqAdapter({ url, tls: null }, [parked]);
    ({ service, close: closeService } = await openDlqService([adapter], { tracer: telemetry.tracer }));
  });

  afterAll(async () => {
    running = false;
    await consumer.catch(() => undefined);
    await redis.del(stream, dlq, parked).catch(() => undefined);
    redis.disconnect();
    reader.disconnect();
    await closeService?.();
    await telemetry.shutdown();
  });

  const publish = (payment: Record<string, string>) =>
    redis.xadd(stream, '*', ...Object.entries(payment).flat(), 'traceparent', ORIGINAL_TRACEPARENT);
  const untilLength = (count: number) =>
    waitFor(async () => ((await redis.xlen(dlq)) === count ? true : undefined), `${count} dead letters`);
  const ids = async () => (await redis.xrange(dlq, '-', '+')).map(([entryId]) => entryId);
  const replayedHere = () => processed.filter((e) => e.fields[REPLAY_HEADERS.id] !== undefined);

  it('finds <stream>:dlq and configured streams; shows cause, source and trace; browsing changes nothing', async () => {
    const originals = [
      await publish({ id: '1', cents: '100' }),
      await publish({ id: '2', cents: '20000' }),
      await publish({ id: '3', cents: '30000' }),
    ];
    await untilLength(2);
    const { queues } = await service.queues();
    expect(queues).toContainEqual({ id, system: 'redis', name: dlq, messages: 2, source: 'name' });
    expect(queues).toContainEqual({
      id: `redis:${parked}`,
      system: 'redis',
      name: parked,
      messages: 1,
      source: 'config',
    });
    const before = await ids();
    const { messages, groups } = await service.messages(id, {});
    expect(messages.map((m) => m.id)).toEqual(before);
    for (const [i, m] of messages.entries()) {
      expect(m.failure).toMatchObject({
        reason: 'error',
        errorType: 'OrderValidationError',
        errorMessage: `payment ${i + 2} over limit`,
        source: { system: 'redis', destination: stream, offset: originals[i + 1], consumerGroup: 'notifier' },
        attempts: 1,
        traceId: ORIGINAL_TRACE,
      });
      expect(m.body).toMatchObject({ encoding: 'json' });
      expect(JSON.parse(m.body.preview)).toEqual({ id: String(i + 2), cents: String((i + 2) * 10_000) });
      expect(m.headers.traceparent).toBe(ORIGINAL_TRACEPARENT);
    }
    expect(groups).toMatchObject([{ count: 2, errorType: 'OrderValidationError' }]);
    // XRANGE consumes nothing: the same entries, and no consumer group was created on the DLQ.
    expect(await ids()).toEqual(before);
    expect(await redis.xinfo('GROUPS', dlq)).toEqual([]);
  });

  it('dry run reports count, target and header diff, and changes nothing', async () => {
    await expectDryRunOfTwo(service, id, stream);
    expect(await redis.xlen(dlq)).toBe(2);
  });

  it('replays to the original stream, deletes only after; the new trace links to the old', async () => {
    fixed = true;
    const done = await replayToEnd(service, id, { all: true, ratePerSecond: 50 }, 'alice');
    expect(done).toMatchObject({ status: 'done', counts: { replayed: 2, poison: 0 }, expected: 2 });
    expect(await redis.xlen(dlq)).toBe(0);
    const replayed = await waitFor(
      () => (replayedHere().length === 2 ? replayedHere() : undefined),
      'replays processed',
    );
    for (const entry of replayed) {
      const { traceparent, ...rest } = entry.fields;
      expect(Object.keys(rest).sort()).toEqual(['cents', 'id', REPLAY_HEADERS.count, REPLAY_HEADERS.id]);
      expect(rest[REPLAY_HEADERS.count]).toBe('1');
      expect(done.items.map((i) => i.replayId)).toContain(rest[REPLAY_HEADERS.id]);
      telemetry.expectReplayLinkedToOriginal(traceparent, stream);
    }
  });

  it('a poison message stops after N re-failures and stays in the DLQ', async () => {
    fixed = false;
    await publish({ id: '7', cents: '70000' });
    await untilLength(1);
    const { copy } = await expectPoisonOnSecondReplay(service, id);
    expect(await ids()).toEqual([copy.id]);
  });

  it('a pass ends at the last entry present when it began', async () => {
    const [poison] = await ids();
    const session = await adapter.open(dlq, { jobId: 'pass-end', cursor: null });
    const later = await redis.xadd(dlq, '*', 'id', '8');
    const read: string[] = [];
    for (let r = await session.next(); r; r = await session.next()) read.push(r.key);
    await session.close();
    expect(read).toEqual([poison]);
    // A resumed pass (same cursor) ends at the same entry.
    const resumed = await adapter.open(dlq, { jobId: 'pass-end', cursor: session.cursor });
    expect((await resumed.next())?.key).toBe(poison);
    expect(await resumed.next()).toBeNull();
    await redis.xdel(dlq, later ?? '');
  });

  it('refuses to replay into a stream that does not exist, and keeps the message', async () => {
    fixed = false;
    await publish({ id: '8', cents: '80000' });
    await untilLength(2);
    const before = await ids();
    const [eight] = (await service.messages(id, { text: '"id":"8"' })).messages;
    const request = { messageIds: [eight?.id ?? ''], target: `${stream}-typo` };
    const result = await replayToEnd(service, id, request, 'carol');
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/does not exist/);
    expect(await redis.exists(`${stream}-typo`)).toBe(0);
    expect(await ids()).toEqual(before);
  });

  it('deletes one message and purges, each recorded in the audit log', async () => {
    const [m] = (await service.messages(id, {})).messages;
    await service.deleteMessage(id, m?.id ?? '', testActor('dave'));
    expect(await redis.xlen(dlq)).toBe(1);
    await expect(service.purge(id, testActor('dave'), 'wrong')).rejects.toThrow(/confirm/);
    expect(await service.purge(id, testActor('dave'), dlq)).toEqual({ purged: 1 });
    expect(await redis.xlen(dlq)).toBe(0);
    const log = await service.store.audit.list(10, id);
    expect(log.slice(0, 2).map((e) => e.action)).toEqual(['purge', 'delete']);
  });
});
