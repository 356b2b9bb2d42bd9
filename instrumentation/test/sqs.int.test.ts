import { SpanKind, trace } from '@opentelemetry/api';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate, BROKERS } from '../../lib/testing/brokers.js';
import { instrumentSqsClient, processSqsMessage } from '../src/index.js';
import { pathwayHash } from '../src/pathway/hash.js';
import { uniqueName } from './support/brokers.js';
import { setupMetrics } from './support/metrics.js';
import { sameSpan, setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('sqs');

// How long a message waits in the queue before it is received.
const QUEUE_DELAY_MS = 400;

const attrs = (count: number): Record<string, MessageAttributeValue> =>
  Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`app-${i}`, { DataType: 'String', StringValue: `${i}` }]),
  );

describe.skipIf(gate.skip)('SQS through a real ElasticMQ', () => {
  const tracing = setupTracing();
  const metrics = setupMetrics();
  const bare = new SQSClient({
    endpoint: `http://${BROKERS.sqs.host}:${BROKERS.sqs.port}`,
    region: 'elasticmq',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const sqs = instrumentSqsClient(bare, {
    tracerProvider: tracing.provider,
    meterProvider: metrics.provider,
    serviceName: 'sqs-producer',
  });
  const queueName = uniqueName('sqs').slice(0, 80);
  let queueUrl = '';

  beforeAll(async () => {
    queueUrl = (await bare.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl ?? '';
  });

  afterAll(async () => {
    await bare.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => {});
    bare.destroy();
    await metrics.shutdown();
    await tracing.shutdown();
  });

  async function receiveAll(expected: number, extra: Record<string, unknown> = {}): Promise<Message[]> {
    const messages: Message[] = [];
    for (let i = 0; i < 20 && messages.length < expected; i++) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['app-0'],
          ...extra,
        }),
      );
      messages.push(...(out.Messages ?? []));
    }
    return messages;
  }

  it('carries the trace and the pathway from SendMessage through receive, process and delete', async () => {
    const command = new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: '{"order":1}',
      MessageAttributes: { 'app-0': { DataType: 'String', StringValue: 'kept' } },
    });
    const sent = await sqs.send(command);
    // The caller's command is never modified: it may be sent again.
    expect(Object.keys(command.input.MessageAttributes ?? {})).toEqual(['app-0']);
    await new Promise((resolve) => setTimeout(resolve, QUEUE_DELAY_MS));

    const [message] = await receiveAll(1);
    if (!message) throw new Error('no message received');
    // Our attributes came back although the caller only asked for app-0.
    expect(message.MessageAttributes?.['app-0']?.StringValue).toBe('kept');
    expect(message.MessageAttributes?.traceparent?.StringValue).toMatch(/^00-/);
    expect(message.MessageAttributes?.['signalbox-pathway']?.StringValue).toMatch(/^1:[0-9a-f]{16}:/);

    let traceIdInHandler: string | undefined;
    await processSqsMessage(message, async () => {
      traceIdInHandler = trace.getActiveSpan()?.spanContext().traceId;
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    });

    const send = tracing.spans().find((s) => s.name === `send ${queueName}`);
    const receive = tracing.spans().find((s) => s.name === `receive ${queueName}`);
    const processed = tracing.spans().find((s) => s.name === `process ${queueName}`);
    const deleted = tracing.spans().find((s) => s.name === `delete ${queueName}`);
    if (!send || !receive || !processed || !deleted) throw new Error('missing spans');

    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'aws_sqs',
      'messaging.operation.type': 'send',
      'messaging.destination.name': queueName,
      'messaging.message.id': sent.MessageId,
    });
    expect(receive.kind).toBe(SpanKind.CLIENT);
    expect(receive.attributes['messaging.operation.type']).toBe('receive');
    expect(receive.links.some((l) => sameSpan(l.context, send.spanContext()))).toBe(true);

    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.attributes).toMatchObject({
      'messaging.system': 'aws_sqs',
      'messaging.operation.type': 'process',
      'messaging.destination.name': queueName,
      'messaging.message.id': sent.MessageId,
    });
    expect(processed.links.map((l) => l.context.spanId)).toContain(send.spanContext().spanId);
    expect(traceIdInHandler).toBe(processed.spanContext().traceId);

    // Settled inside the handler: a CLIENT child of the process span, linked to the producer.
    expect(deleted.kind).toBe(SpanKind.CLIENT);
    expect(deleted.attributes['messaging.operation.type']).toBe('settle');
    expect(deleted.parentSpanContext?.spanId).toBe(processed.spanContext().spanId);
    expect(deleted.links.some((l) => sameSpan(l.context, send.spanContext()))).toBe(true);

    // Metrics, from the pathway header: this edge waited at least QUEUE_DELAY_MS.
    const hash = pathwayHash('', 'sqs-producer', 'aws_sqs', queueName);
    const edge = (await metrics.points('signalbox.messaging.edge.latency')).find(
      (p) => p.attributes['signalbox.pathway.hash'] === hash,
    );
    expect(edge?.value).toBe(1);
    expect(edge?.histogram?.sum ?? 0).toBeGreaterThanOrEqual(QUEUE_DELAY_MS / 1000);
    const sentCount = (await metrics.points('messaging.client.sent.messages')).find(
      (p) => p.attributes['messaging.destination.name'] === queueName,
    );
    expect(sentCount?.value).toBe(1);
    const consumed = (await metrics.points('messaging.client.consumed.messages')).find(
      (p) => p.attributes['messaging.destination.name'] === queueName,
    );
    expect(consumed?.value).toBe(1);
    const durations = await metrics.points('messaging.client.operation.duration');
    expect(durations.map((p) => p.attributes['messaging.operation.name'])).toEqual(
      expect.arrayContaining(['send', 'receive', 'delete']),
    );
    expect((await metrics.points('messaging.process.duration'))[0]?.value).toBe(1);
  });

  it('gives each batch entry its own create span, packing context when the budget is short', async () => {
    tracing.reset();
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'roomy', MessageBody: 'a', MessageAttributes: attrs(1) },
          { Id: 'packed', MessageBody: 'b', MessageAttributes: attrs(9) },
          { Id: 'full', MessageBody: 'c', MessageAttributes: attrs(10) },
        ],
      }),
    );
    expect(out.Successful).toHaveLength(3);

    const messages = await receiveAll(3, { MessageAttributeNames: ['All'] });
    expect(messages).toHaveLength(3);
    const byBody = new Map(messages.map((m) => [m.Body, m]));
    expect(Object.keys(byBody.get('b')?.MessageAttributes ?? {})).toContain('signalbox-context');
    expect(Object.keys(byBody.get('b')?.MessageAttributes ?? {})).toHaveLength(10);
    // All 10 used by the caller: the message is sent exactly as given (a warning was logged).
    expect(Object.keys(byBody.get('c')?.MessageAttributes ?? {}).sort()).toEqual(
      Object.keys(attrs(10)).sort(),
    );

    const creates = tracing.spans().filter((s) => s.name === `create ${queueName}`);
    const batchSend = tracing.spans().find((s) => s.name === `send ${queueName}`);
    expect(creates).toHaveLength(3);
    expect(batchSend?.attributes['messaging.batch.message_count']).toBe(3);

    for (const message of messages) processSqsMessage(message, () => undefined);
    const processed = tracing.spans().filter((s) => s.name === `process ${queueName}`);
    const linkedCreates = processed.map((p) => p.links[0]?.context.spanId).filter(Boolean);
    // The 9-attribute entry's context arrived packed, and still links to its create span;
    // the full one carries none.
    expect(linkedCreates).toHaveLength(2);
    for (const id of linkedCreates) expect(creates.map((c) => c.spanContext().spanId)).toContain(id);

    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    const settle = tracing.spans().find((s) => s.name === `delete ${queueName}`);
    expect(settle?.attributes['messaging.batch.message_count']).toBe(3);
    expect(settle?.links).toHaveLength(2);
  });

  it('counts a message received again after its visibility timeout as a redelivery', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'again' }));
    const [first] = await receiveAll(1);
    if (!first) throw new Error('no message');
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: first.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const [second] = await receiveAll(1);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe('2');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: second?.ReceiptHandle }));

    const redeliveries = await metrics.points('signalbox.messaging.redeliveries');
    expect(redeliveries.find((p) => p.attributes['messaging.destination.name'] === queueName)?.value).toBe(1);
    await waitFor(
      () => tracing.spans().find((s) => s.name === `change_visibility ${queueName}`),
      'settle span',
    );
  });

  it('passes other commands and failures through unchanged', async () => {
    const error = await sqs
      .send(new SendMessageCommand({ QueueUrl: `${queueUrl}-missing`, MessageBody: 'x' }))
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
    const failed = tracing.spans().find((s) => s.name === `send ${queueName}-missing`);
    expect(failed?.attributes['error.type']).toBe((error as Error).constructor.name);

    // The callback form reports through the callback, instrumented too.
    const viaCallback = await new Promise<string | undefined>((resolve, reject) => {
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'cb' }), (err, data) =>
        err ? reject(err as Error) : resolve(data?.MessageId),
      );
    });
    expect(viaCallback).toBeTruthy();
    const [cbMessage] = await receiveAll(1);
    expect(cbMessage?.MessageAttributes?.traceparent).toBeDefined();
  });
});
