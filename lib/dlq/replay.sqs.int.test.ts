import {
  DeleteMessageCommand,
  type Message,
  type MessageAttributeValue,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { deadLetterSqs, REPLAY_HEADERS, sqsAttributesCarrier } from '@signalbox/instrumentation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayId } from '@/lib/brokers/replay-id';
import { SqsDlqAdapter } from '@/lib/brokers/sqs/dlq';
import { brokerGate } from '@/lib/testing/brokers';
import type { DlqService } from './service';
import { SQS_CREDENTIALS, SQS_ENDPOINT, SQS_REGION, sqsTestQueues } from './testing/sqs';
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

const gate = await brokerGate('sqs');

// Redrive-policy DLQs and FIFO queues: replay.sqs-redrive.int.test.ts.
describe.skipIf(gate.skip)('DLQ replay on SQS (ElasticMQ, real DuckDB file)', () => {
  const sqs = sqsTestQueues();
  const { client, url, visible, inFlight, untilVisible } = sqs;
  const prefix = `${unique('sbdlq')}-`;
  const queue = `${prefix}payments`;
  const dlq = `${queue}-dlq`;
  const parked = `${prefix}parked`;
  const id = `aws_sqs:${dlq}`;
  const telemetry = testTracer();
  let adapter: SqsDlqAdapter;
  let service: DlqService;
  let closeService: () => Promise<void>;
  let fixed = false;
  let running = true;
  let consumer: Promise<void> = Promise.resolve();
  const processed: Message[] = [];

  // The service under test: it declines payments over the limit, for real, and dead-letters them.
  async function consume(): Promise<void> {
    while (running) {
      for (const message of await sqs.receive(queue)) {
        try {
          const payment = JSON.parse(message.Body ?? '') as { id: number; cents: number };
          if (payment.cents > 10_000 && !fixed)
            throw new OrderValidationError(`payment ${payment.id} over limit`);
          processed.push(message);
        } catch (error) {
          await deadLetterSqs(client, message, {
            queueUrl: url(queue),
            deadLetterQueueUrl: url(dlq),
            error,
            consumerGroup: 'notifier',
          });
        }
        await client.send(
          new DeleteMessageCommand({ QueueUrl: url(queue), ReceiptHandle: message.ReceiptHandle }),
        );
      }
    }
  }

  beforeAll(async () => {
    await sqs.create(queue);
    await sqs.create(dlq);
    await sqs.create(parked);
    consumer = consume();
    adapter = new SqsDlqAdapter(
      { endpoint: SQS_ENDPOINT, region: SQS_REGION, queueNamePrefix: prefix },
      [parked],
      { credentials: SQS_CREDENTIALS },
    );
    ({ service, close: closeService } = await openDlqService([adapter], { tracer: telemetry.tracer }));
  });

  afterAll(async () => {
    running = false;
    await consumer.catch(() => undefined);
    await sqs.removeAll();
    await closeService?.();
    await telemetry.shutdown();
  });

  const publish = (body: object, extra: Record<string, MessageAttributeValue> = {}) =>
    client.send(
      new SendMessageCommand({
        QueueUrl: url(queue),
        MessageBody: JSON.stringify(body),
        MessageAttributes: {
          traceparent: { DataType: 'String', StringValue: ORIGINAL_TRACEPARENT },
          tenant: { DataType: 'String', StringValue: 'acme' },
          ...extra,
        },
      }),
    );
  const replayedHere = () => processed.filter((m) => m.MessageAttributes?.[REPLAY_HEADERS.id] !== undefined);

  it('finds DLQs by name and by configuration', async () => {
    const { queues } = await service.queues();
    expect(queues).toEqual([
      { id: `aws_sqs:${parked}`, system: 'aws_sqs', name: parked, messages: 0, source: 'config' },
      { id, system: 'aws_sqs', name: dlq, messages: 0, source: 'name' },
    ]);
  });

  it('shows real failures with cause, source and trace; browsing leaves the DLQ as it was', async () => {
    await publish({ id: 1, cents: 100 });
    await publish({ id: 2, cents: 20_000 });
    await publish({ id: 3, cents: 30_000 });
    await untilVisible(dlq, 2);
    expect((await service.queues()).queues).toContainEqual({
      id,
      system: 'aws_sqs',
      name: dlq,
      messages: 2,
      source: 'name',
    });
    const { messages, groups } = await service.messages(id, {});
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      expect(m.failure).toMatchObject({
        reason: 'error',
        errorType: 'OrderValidationError',
        source: { system: 'aws_sqs', destination: queue, consumerGroup: 'notifier' },
        attempts: 1,
        traceId: ORIGINAL_TRACE,
      });
      expect(m.failure.errorMessage).toMatch(/^payment [23] over limit$/);
      expect(m.body.encoding).toBe('json');
      expect(m.headers.tenant).toBe('acme');
    }
    expect(groups).toMatchObject([{ count: 2, errorType: 'OrderValidationError' }]);
    // Browsing received them and made them visible again at once: same count, nothing in flight...
    expect(await visible(dlq)).toBe(2);
    expect(await inFlight(dlq)).toBe(0);
    // ...but each browse is a receive, which SQS counts (documented in lib/brokers/sqs/dlq.ts).
    const again = (await service.messages(id, {})).messages;
    const receives = (ms: typeof messages) => ms.map((m) => Number(m.headers.ApproximateReceiveCount)).sort();
    expect(receives(again)).toEqual(receives(messages).map((n) => n + 1));
  });

  it('dry run reports count, target and header diff, and changes nothing', async () => {
    await expectDryRunOfTwo(service, id, queue);
    expect(await visible(dlq)).toBe(2);
  });

  it('replays to the original queue, deletes only after; the new trace links to the old', async () => {
    fixed = true;
    const done = await replayToEnd(service, id, { all: true, ratePerSecond: 50 }, 'alice');
    expect(done).toMatchObject({ status: 'done', counts: { replayed: 2, poison: 0 }, expected: 2 });
    expect(await visible(dlq)).toBe(0);
    expect(await inFlight(dlq)).toBe(0);
    const replayed = await waitFor(
      () => (replayedHere().length === 2 ? replayedHere() : undefined),
      'replays processed',
    );
    for (const m of replayed) {
      const a = m.MessageAttributes ?? {};
      expect(a['signalbox-dlq']).toBeUndefined();
      expect(a.tenant).toEqual({ DataType: 'String', StringValue: 'acme' });
      expect(a[REPLAY_HEADERS.count]?.StringValue).toBe('1');
      expect(done.items.map((i) => i.replayId)).toContain(a[REPLAY_HEADERS.id]?.StringValue);
      telemetry.expectReplayLinkedToOriginal(a.traceparent?.StringValue, queue);
    }
  });

  it('a poison message stops after N re-failures and stays in the DLQ', async () => {
    fixed = false;
    await publish({ id: 7, cents: 70_000 });
    await untilVisible(dlq, 1);
    await expectPoisonOnSecondReplay(service, id);
    expect(await visible(dlq)).toBe(1);
  });

  it("a resumed pass does not read the job's own copies that failed again", async () => {
    // The DLQ holds the poison message P. Pretend job J replayed message K before a crash and K's
    // copy failed and came back: a message carrying J's replay id for K.
    await client.send(
      new SendMessageCommand({
        QueueUrl: url(dlq),
        MessageBody: '{"id":8}',
        MessageAttributes: { [REPLAY_HEADERS.id]: { DataType: 'String', StringValue: replayId('J', 'K') } },
      }),
    );
    await untilVisible(dlq, 2);
    const session = await adapter.open(dlq, { jobId: 'J', cursor: null, checkpointed: new Set(['K']) });
    const read: string[] = [];
    for (let r = await session.next(); r; r = await session.next()) read.push(r.body.toString());
    await session.close();
    expect(read).toEqual([expect.stringContaining('"id":7')]);
    expect(await visible(dlq)).toBe(2);
    const [copy] = (await service.messages(id, { text: '"id":8' })).messages;
    await service.deleteMessage(id, copy?.id ?? '', testActor('test'));
  });

  it('a resumed pass waits for the messages a crashed pass still holds invisible', async () => {
    const first = await adapter.open(dlq, { jobId: 'crashed', cursor: null });
    await first.close();
    // The crashed pass: it received the poison message with a visibility timeout and died.
    const held = await sqs.receive(dlq, 3);
    expect(held).toHaveLength(1);
    const started = Date.now();
    const resumed = await adapter.open(dlq, { jobId: 'crashed', cursor: first.cursor });
    const record = await resumed.next();
    await resumed.close();
    expect(record?.key).toBe(held[0]?.MessageId);
    expect(Date.now() - started).toBeGreaterThan(2000);
    expect(await visible(dlq)).toBe(1);
  });

  it('folds the replay markers into signalbox-context when the attribute budget is short, else fails loudly', async () => {
    const own = (n: number) => {
      const out: Record<string, MessageAttributeValue> = {};
      for (let i = 0; i < n; i++) out[`a${i}`] = { DataType: 'Number', StringValue: String(i) };
      return out;
    };
    await publish({ id: 9, cents: 90_000 }, own(7)); // 7 + tenant + traceparent (+ signalbox-dlq) = 10
    await untilVisible(dlq, 2);
    const [nine] = (await service.messages(id, { text: '"id":9' })).messages;
    fixed = true;
    expect(await replayToEnd(service, id, { messageIds: [nine?.id ?? ''] }, 'carol')).toMatchObject({
      status: 'done',
      counts: { replayed: 1 },
    });
    const copy = await waitFor(
      () => processed.find((m) => m.Body?.includes('"id":9') && m.MessageAttributes?.['signalbox-context']),
      'the folded copy processed',
    );
    expect(Object.keys(copy.MessageAttributes ?? {})).toHaveLength(9);
    const carrier = sqsAttributesCarrier(copy.MessageAttributes);
    expect(carrier.get(REPLAY_HEADERS.count)).toBe('1');
    telemetry.expectReplayLinkedToOriginal(carrier.get('traceparent'), queue);

    // A message with 10 attributes of its own: the dead letter carries no Signalbox set, and its copy
    // has no room for the replay markers. The job fails with the reason; the message stays.
    fixed = false;
    await client.send(
      new SendMessageCommand({
        QueueUrl: url(queue),
        MessageBody: '{"id":10,"cents":99999}',
        MessageAttributes: own(10),
      }),
    );
    await untilVisible(dlq, 2);
    const [ten] = (await service.messages(id, { text: '"id":10' })).messages;
    const result = await replayToEnd(service, id, { messageIds: [ten?.id ?? ''] }, 'carol');
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/has 10 message attributes of its own/);
    expect(await visible(dlq)).toBe(2);
    expect(await inFlight(dlq)).toBe(0);
  });

  it('deletes one message and purges, each recorded in the audit log', async () => {
    const before = await visible(dlq);
    const [m] = (await service.messages(id, {})).messages;
    await service.deleteMessage(id, m?.id ?? '', testActor('frank'));
    expect(await visible(dlq)).toBe(before - 1);
    await expect(service.purge(id, testActor('frank'), 'wrong')).rejects.toThrow(/confirm/);
    expect(await service.purge(id, testActor('frank'), dlq)).toEqual({ purged: before - 1 });
    await untilVisible(dlq, 0);
    const log = await service.store.audit.list(10, id);
    expect(log.slice(0, 2).map((e) => e.action)).toEqual(['purge', 'delete']);
  });
});
