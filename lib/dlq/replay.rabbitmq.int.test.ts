import { deadLetterAmqp, REPLAY_HEADERS } from '@signalbox/instrumentation';
import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import { brokerGate } from '@/lib/testing/brokers';
import type { DlqService } from './service';
import { openDlqService } from './testing/dlq-service';
import {
  expectPoisonOnSecondReplay,
  RABBIT_URL,
  rabbitSettings,
  replayToEnd,
  testActor,
  unique,
  waitFor,
} from './testing/support';
import { ORIGINAL_TRACE, ORIGINAL_TRACEPARENT, OrderValidationError, testTracer } from './testing/telemetry';

const gate = await brokerGate('rabbitmq');

describe.skipIf(gate.skip)('DLQ replay on RabbitMQ (real broker, real DuckDB file)', () => {
  const queue = unique('payments');
  const dlq = `${queue}.dlq`;
  const id = `rabbitmq:${dlq}`;
  const telemetry = testTracer();
  let connection: ChannelModel;
  let channel: ConfirmChannel;
  let service: DlqService;
  let closeService: () => Promise<void>;
  let fixed = false;
  const processed: ConsumeMessage[] = [];

  beforeAll(async () => {
    connection = await amqp.connect(RABBIT_URL);
    channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { autoDelete: false, durable: false });
    await channel.assertQueue(dlq, { durable: false });
    // The service under test: it declines payments over the limit, for real, and dead-letters them.
    await channel.consume(queue, (msg) => {
      if (!msg) return;
      void (async () => {
        try {
          const payment = JSON.parse(msg.content.toString()) as { id: number; cents: number };
          if (payment.cents > 10_000 && !fixed)
            throw new OrderValidationError(`payment ${payment.id} over limit`);
          processed.push(msg);
        } catch (error) {
          await deadLetterAmqp(channel, msg, { queue, error, consumerGroup: 'notifier' });
        }
        channel.ack(msg);
      })();
    });
    ({ service, close: closeService } = await openDlqService(
      [new RabbitMqDlqAdapter(rabbitSettings([queue]))],
      { tracer: telemetry.tracer },
    ));
  });

  afterAll(async () => {
    await channel?.deleteQueue(queue).catch(() => undefined);
    await channel?.deleteQueue(dlq).catch(() => undefined);
    await connection?.close();
    await closeService?.();
    await telemetry.shutdown();
  });

  const publish = (body: object) =>
    channel.sendToQueue(queue, Buffer.from(JSON.stringify(body)), {
      headers: { traceparent: ORIGINAL_TRACEPARENT },
      contentType: 'application/json',
    });
  const replayedHere = () => processed.filter((m) => m.properties.headers?.[REPLAY_HEADERS.id] !== undefined);

  it('finds <queue>.dlq and shows the failure with cause, source and trace; browsing keeps the messages', async () => {
    publish({ id: 1, cents: 100 });
    publish({ id: 2, cents: 20_000 });
    publish({ id: 3, cents: 30_000 });
    await waitFor(
      async () => ((await channel.checkQueue(dlq)).messageCount === 2 ? true : undefined),
      'two dead letters',
    );
    const { queues } = await service.queues();
    expect(queues).toContainEqual({ id, system: 'rabbitmq', name: dlq, messages: 2, source: 'name' });
    const { messages, groups } = await service.messages(id, {});
    expect(messages).toHaveLength(2);
    expect(messages[0]?.failure).toMatchObject({
      reason: 'error',
      errorType: 'OrderValidationError',
      source: { system: 'rabbitmq', destination: queue, consumerGroup: 'notifier' },
      traceId: ORIGINAL_TRACE,
    });
    expect(groups).toMatchObject([{ count: 2 }]);
    // Browsing took them with basic.get and gave them back: still both there, now marked redelivered.
    expect((await channel.checkQueue(dlq)).messageCount).toBe(2);
  });

  it('dry run changes nothing', async () => {
    const dry = await service.replay(id, { all: true, dryRun: true }, testActor('test'));
    expect(dry).toMatchObject({ dryRun: true, messages: 2, targets: { [queue]: 2 } });
    expect((await channel.checkQueue(dlq)).messageCount).toBe(2);
    expect(await service.store.listJobs(10)).toEqual([]);
  });

  it('replays with confirms, acks the DLQ copy only after, and the new trace links to the old', async () => {
    fixed = true;
    const done = await replayToEnd(service, id, { all: true, ratePerSecond: 50 }, 'alice');
    expect(done).toMatchObject({ status: 'done', counts: { replayed: 2 } });
    expect((await channel.checkQueue(dlq)).messageCount).toBe(0);
    const replayed = await waitFor(
      () => (replayedHere().length === 2 ? replayedHere() : undefined),
      'replays processed',
    );
    for (const m of replayed) {
      const headers = m.properties.headers ?? {};
      expect(headers['x-death']).toBeUndefined();
      expect(headers['signalbox-dlq-reason']).toBeUndefined();
      expect(m.properties.contentType).toBe('application/json');
      telemetry.expectReplayLinkedToOriginal(headers.traceparent, queue);
    }
  });

  it('a poison message stops after N re-failures and stays in the DLQ', async () => {
    fixed = false;
    publish({ id: 7, cents: 70_000 });
    await waitFor(
      async () => ((await channel.checkQueue(dlq)).messageCount === 1 ? true : undefined),
      'dead letter 7',
    );
    await expectPoisonOnSecondReplay(service, id);
    expect((await channel.checkQueue(dlq)).messageCount).toBe(1);
  });

  it('deletes one message and purges, each recorded in the audit log', async () => {
    const [m] = (await service.messages(id, {})).messages;
    await service.deleteMessage(id, m?.id ?? '', testActor('carol'));
    expect((await channel.checkQueue(dlq)).messageCount).toBe(0);
    publish({ id: 8, cents: 80_000 });
    await waitFor(
      async () => ((await channel.checkQueue(dlq)).messageCount === 1 ? true : undefined),
      'dead letter 8',
    );
    await expect(service.purge(id, testActor('carol'), 'wrong')).rejects.toThrow(/confirm/);
    expect(await service.purge(id, testActor('carol'), dlq)).toEqual({ purged: 1 });
    const log = await service.store.audit.list(10, id);
    expect(log.slice(0, 2).map((e) => e.action)).toEqual(['purge', 'delete']);
  });
});
