import { deadLetterKafka, REPLAY_HEADERS } from '@signalbox/instrumentation';
import { type Consumer, Kafka, type KafkaMessage, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaDlqAdapter } from '@/lib/brokers/kafka/dlq';
import { brokerGate } from '@/lib/testing/brokers';
import type { DlqService } from './service';
import { openDlqService } from './testing/dlq-service';
import {
  expectDryRunOfTwo,
  KAFKA_SETTINGS,
  refailedCopy,
  replayToEnd,
  testActor,
  unique,
  waitFor,
} from './testing/support';
import { ORIGINAL_TRACE, ORIGINAL_TRACEPARENT, OrderValidationError, testTracer } from './testing/telemetry';

const gate = await brokerGate('kafka');

describe.skipIf(gate.skip)('DLQ replay on Kafka (real broker, real DuckDB file)', () => {
  const kafka = new Kafka({
    clientId: 'dlq-test',
    brokers: KAFKA_SETTINGS.brokers,
    logLevel: logLevel.NOTHING,
  });
  const topic = unique('orders');
  const dlt = `${topic}.DLT`;
  const telemetry = testTracer();
  let producer: Producer;
  let consumer: Consumer;
  let service: DlqService;
  let closeService: () => Promise<void>;
  let fixed = false;
  const processed: KafkaMessage[] = [];

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 1 },
        { topic: dlt, numPartitions: 2 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    // The service under test: a consumer that fails for real on orders without an amount.
    consumer = kafka.consumer({ groupId: unique('billing') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: from, partition, message }) => {
        try {
          const order = JSON.parse(message.value?.toString() ?? '') as { id: number; amount?: number };
          if (order.amount === undefined && !fixed)
            throw new OrderValidationError(`order ${order.id} has no amount`);
          processed.push(message);
        } catch (error) {
          await deadLetterKafka(producer, { topic: from, partition, message }, { error, groupId: 'billing' });
        }
      },
    });
    ({ service, close: closeService } = await openDlqService([new KafkaDlqAdapter(KAFKA_SETTINGS)], {
      tracer: telemetry.tracer,
    }));
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, dlt] }).catch(() => undefined);
    await admin.disconnect();
    await closeService?.();
    await telemetry.shutdown();
  });

  const id = `kafka:${dlt}`;
  const replayedHere = () => processed.filter((m) => m.headers?.[REPLAY_HEADERS.id] !== undefined);

  it('shows real failures with their cause, source and trace, grouped by fingerprint', async () => {
    await producer.send({
      topic,
      messages: [
        {
          key: 'a',
          value: JSON.stringify({ id: 1, amount: 5 }),
          headers: { traceparent: ORIGINAL_TRACEPARENT },
        },
        { key: 'b', value: JSON.stringify({ id: 41 }), headers: { traceparent: ORIGINAL_TRACEPARENT } },
        { key: 'c', value: JSON.stringify({ id: 42 }), headers: { traceparent: ORIGINAL_TRACEPARENT } },
      ],
    });
    const listed = await waitFor(async () => {
      const { queues } = await service.queues();
      const q = queues.find((x) => x.id === id);
      return q && q.messages === 2 ? q : undefined;
    }, 'two dead letters');
    expect(listed).toMatchObject({ system: 'kafka', name: dlt, source: 'name' });

    const { messages, groups } = await service.messages(id, {});
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      expect(m.failure).toMatchObject({
        reason: 'error',
        errorType: 'OrderValidationError',
        source: { system: 'kafka', destination: topic, partition: 0, consumerGroup: 'billing' },
        attempts: 1,
        traceId: ORIGINAL_TRACE,
      });
      expect(m.failure.errorMessage).toMatch(/^order 4[12] has no amount$/);
      expect(m.body.encoding).toBe('json');
    }
    // "order 41 …" and "order 42 …" normalise to the same message: one group of two.
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 2, errorType: 'OrderValidationError', destinations: [topic] });
    expect(await service.messages(id, { error: 'no amount', text: '"id":41' })).toMatchObject({
      messages: [{ failure: { errorMessage: 'order 41 has no amount' } }],
    });
  });

  it('dry run reports count, target and header diff, and changes nothing', async () => {
    const before = processed.length;
    await expectDryRunOfTwo(service, id, topic);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(processed.length).toBe(before);
    expect((await service.messages(id, {})).messages).toHaveLength(2);
  });

  it('replays to the original topic; the consumer processes them in a new trace linked to the old', async () => {
    fixed = true; // the bug is fixed: replays now succeed
    const done = await replayToEnd(service, id, { all: true }, 'alice');
    expect(done).toMatchObject({
      status: 'done',
      counts: { replayed: 2, poison: 0 },
      expected: 2,
      actor: 'alice',
    });
    const replayed = await waitFor(
      () => (replayedHere().length === 2 ? replayedHere() : undefined),
      'replayed orders',
    );
    expect(telemetry.spans().filter((s) => s.name === `send ${topic}`)).toHaveLength(2);
    for (const message of replayed) {
      const headers = message.headers ?? {};
      expect(String(headers[REPLAY_HEADERS.count])).toBe('1');
      expect(headers['signalbox-dlq-error-type']).toBeUndefined();
      telemetry.expectReplayLinkedToOriginal(headers.traceparent, topic);
      expect(done.items.map((i) => i.replayId)).toContain(String(headers[REPLAY_HEADERS.id]));
    }
    // Replayed records stay in the topic (Kafka cannot delete one) but are no longer shown as pending.
    expect((await service.messages(id, {})).messages).toHaveLength(0);
    expect(await service.store.audit.list(10, id)).toMatchObject([
      { action: 'replay', actor: { name: 'alice' }, jobId: done.id },
    ]);
  });

  it('stops replaying a poison message after N re-failures', async () => {
    fixed = false;
    await producer.send({ topic, messages: [{ value: JSON.stringify({ id: 99 }) }] });
    const first = await waitFor(
      async () => (await service.messages(id, { text: '"id":99' })).messages[0],
      'dead letter 99',
    );
    await service.replay(id, { messageIds: [first.id] }, testActor('bob'));
    await service.idle();
    // It failed again and came back with replay count 1 = the limit (maxReplays: 1).
    const again = await refailedCopy(service, id, { text: '"id":99' }, first.id);
    // (attempts restart at 1: the replay strips the old signalbox-dlq-* set; the replay count keeps the history)
    const dry = await service.replay(id, { messageIds: [again.id], dryRun: true }, testActor('bob'));
    expect(dry).toMatchObject({ messages: 0, poison: 1 });
    const result = await replayToEnd(service, id, { messageIds: [again.id] }, 'bob');
    expect(result).toMatchObject({ status: 'done', counts: { replayed: 0, poison: 1 } });
    expect(result.items[0]?.detail).toMatch(/replayed 1 times/);
  });
});
