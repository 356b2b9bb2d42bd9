import { DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { deadLetterSqs, REPLAY_HEADERS } from '@signalbox/instrumentation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsDlqAdapter } from '@/lib/brokers/sqs/dlq';
import { brokerGate } from '@/lib/testing/brokers';
import type { DlqService } from './service';
import { SQS_CREDENTIALS, SQS_ENDPOINT, SQS_REGION, sqsTestQueues } from './testing/sqs';
import { openDlqService } from './testing/dlq-service';
import { replayToEnd, unique, waitFor } from './testing/support';
import { ORIGINAL_TRACE, ORIGINAL_TRACEPARENT, OrderValidationError, testTracer } from './testing/telemetry';

const gate = await brokerGate('sqs');

// SQS's own dead-lettering (a RedrivePolicy) and FIFO queues; the consumer-driven flow is in
// replay.sqs.int.test.ts.
describe.skipIf(gate.skip)('DLQ replay on SQS: redrive policies and FIFO queues (ElasticMQ)', () => {
  const sqs = sqsTestQueues();
  const { client, url, visible, untilVisible } = sqs;
  const prefix = `${unique('sbdlq')}-`;
  const invoices = `${prefix}invoices`;
  const invoicesDlq = `${invoices}-dlq`;
  const billing = `${prefix}billing`;
  const billingParking = `${billing}-parking`;
  const orders = `${prefix}orders.fifo`;
  const ordersDlq = `${prefix}orders-dlq.fifo`;
  const telemetry = testTracer();
  let service: DlqService;
  let closeService: () => Promise<void>;

  const redriveTo = async (dlq: string) =>
    JSON.stringify({ deadLetterTargetArn: await sqs.arn(dlq), maxReceiveCount: 1 });

  beforeAll(async () => {
    await sqs.create(invoicesDlq);
    await sqs.create(invoices, { RedrivePolicy: await redriveTo(invoicesDlq) });
    await sqs.create(billingParking);
    await sqs.create(billing, { RedrivePolicy: await redriveTo(billingParking) });
    await sqs.create(orders, { FifoQueue: 'true' });
    await sqs.create(ordersDlq, { FifoQueue: 'true' });
    const adapter = new SqsDlqAdapter(
      { endpoint: SQS_ENDPOINT, region: SQS_REGION, queueNamePrefix: prefix },
      [],
      { credentials: SQS_CREDENTIALS },
    );
    ({ service, close: closeService } = await openDlqService([adapter], { tracer: telemetry.tracer }));
  });

  afterAll(async () => {
    await sqs.removeAll();
    await closeService?.();
    await telemetry.shutdown();
  });

  it('finds the queues a RedrivePolicy names (that source wins over the name) and FIFO DLQs by name', async () => {
    const { queues } = await service.queues();
    expect(queues).toEqual([
      {
        id: `aws_sqs:${billingParking}`,
        system: 'aws_sqs',
        name: billingParking,
        messages: 0,
        source: 'redrive-policy',
      },
      {
        id: `aws_sqs:${invoicesDlq}`,
        system: 'aws_sqs',
        name: invoicesDlq,
        messages: 0,
        source: 'redrive-policy',
      },
      { id: `aws_sqs:${ordersDlq}`, system: 'aws_sqs', name: ordersDlq, messages: 0, source: 'name' },
    ]);
  });

  it('shows a message the redrive policy moved and replays it to its source queue', async () => {
    await client.send(
      new SendMessageCommand({
        QueueUrl: url(invoices),
        MessageBody: '{"invoice":1}',
        MessageAttributes: { traceparent: { DataType: 'String', StringValue: ORIGINAL_TRACEPARENT } },
      }),
    );
    // A consumer that keeps failing: it receives and never deletes; maxReceiveCount=1 moves the
    // message on the next receive.
    const [first] = await waitFor(async () => {
      const got = await sqs.receive(invoices, 0);
      return got.length > 0 ? got : undefined;
    }, 'the invoice');
    expect(await sqs.receive(invoices)).toEqual([]);
    await untilVisible(invoicesDlq, 1);
    const id = `aws_sqs:${invoicesDlq}`;
    const [dead] = (await service.messages(id, {})).messages;
    expect(dead?.failure).toMatchObject({
      reason: 'delivery_limit',
      source: { system: 'aws_sqs', destination: invoices, messageId: first?.MessageId },
      traceId: ORIGINAL_TRACE,
    });
    expect(await replayToEnd(service, id, { all: true }, 'dave')).toMatchObject({
      status: 'done',
      counts: { replayed: 1 },
    });
    expect(await visible(invoicesDlq)).toBe(0);
    const [copy] = await sqs.receive(invoices);
    expect(copy?.Body).toBe('{"invoice":1}');
    expect(copy?.Attributes?.DeadLetterQueueSourceArn).toBeUndefined();
    expect(copy?.MessageAttributes?.[REPLAY_HEADERS.id]).toBeDefined();
    telemetry.expectReplayLinkedToOriginal(copy?.MessageAttributes?.traceparent?.StringValue, invoices);
  });

  it('replays into a FIFO queue in the original message group, even within the deduplication window', async () => {
    await client.send(
      new SendMessageCommand({
        QueueUrl: url(orders),
        MessageBody: '{"order":5}',
        MessageAttributes: { traceparent: { DataType: 'String', StringValue: ORIGINAL_TRACEPARENT } },
        MessageGroupId: 'customer-5',
        MessageDeduplicationId: 'order-5',
      }),
    );
    const [failing] = await waitFor(async () => {
      const got = await sqs.receive(orders);
      return got.length > 0 ? got : undefined;
    }, 'the order');
    if (!failing) throw new Error('no order');
    await deadLetterSqs(client, failing, {
      queueUrl: url(orders),
      deadLetterQueueUrl: url(ordersDlq),
      error: new OrderValidationError('order 5 has no amount'),
    });
    await client.send(
      new DeleteMessageCommand({ QueueUrl: url(orders), ReceiptHandle: failing.ReceiptHandle }),
    );
    expect(await replayToEnd(service, `aws_sqs:${ordersDlq}`, { all: true }, 'erin')).toMatchObject({
      status: 'done',
      counts: { replayed: 1 },
    });
    expect(await visible(ordersDlq)).toBe(0);
    // Sent seconds after the original: a copy reusing its MessageDeduplicationId (order-5) would be
    // accepted by SQS and silently dropped as a duplicate.
    const [copy] = await sqs.receive(orders);
    expect(copy?.Body).toBe('{"order":5}');
    expect(copy?.Attributes?.MessageGroupId).toBe('customer-5');
    expect(copy?.Attributes?.MessageDeduplicationId).toBe(
      copy?.MessageAttributes?.[REPLAY_HEADERS.id]?.StringValue,
    );
    telemetry.expectReplayLinkedToOriginal(copy?.MessageAttributes?.traceparent?.StringValue, orders);
  });
});
