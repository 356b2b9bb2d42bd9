import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { BROKERS, brokerGate } from '../../../lib/testing/brokers.js';
import { parseDeadLetter } from '../../src/dlq/parse.js';
import { deadLetterSqs } from '../../src/brokers/sqs/dead-letter.js';
import { deadLetterTelemetry, PaymentDeclined, TRACEPARENT } from './telemetry-support.js';

const gate = await brokerGate('sqs');

describe.skipIf(gate.skip)('dead letters on SQS (ElasticMQ)', () => {
  const telemetry = deadLetterTelemetry();
  const client = new SQSClient({
    endpoint: `http://${BROKERS.sqs.host}:${BROKERS.sqs.port}`,
    region: 'elasticmq',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const queues: string[] = [];
  const name = (what: string) => `sbx-dlq-${what}-${randomUUID()}`;

  async function createQueue(queueName: string, attributes?: Record<string, string>): Promise<string> {
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: queueName, Attributes: attributes }),
    );
    queues.push(QueueUrl!);
    return QueueUrl!;
  }

  async function receiveOne(queueUrl: string, visibilityTimeout?: number): Promise<Message> {
    for (let i = 0; i < 10; i++) {
      const { Messages } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
          WaitTimeSeconds: 1,
          ...(visibilityTimeout === undefined ? {} : { VisibilityTimeout: visibilityTimeout }),
        }),
      );
      if (Messages?.[0]) return Messages[0];
    }
    throw new Error(`no message in ${queueUrl}`);
  }

  afterAll(async () => {
    for (const QueueUrl of queues) await client.send(new DeleteQueueCommand({ QueueUrl }));
    client.destroy();
    await telemetry.shutdown();
  });

  it('reads a message the redrive policy moved after maxReceiveCount=1', async () => {
    const dlqUrl = await createQueue(name('redrive-dlq'));
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
    );
    const sourceName = name('redrive');
    const sourceUrl = await createQueue(sourceName, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 1 }),
    });
    const { MessageId } = await client.send(
      new SendMessageCommand({
        QueueUrl: sourceUrl,
        MessageBody: 'hello',
        MessageAttributes: { traceparent: { DataType: 'String', StringValue: TRACEPARENT } },
      }),
    );
    // Receive and fail (never delete); visible again at once, the next receive moves it.
    await receiveOne(sourceUrl, 0);
    await client.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, WaitTimeSeconds: 1 }));
    const dead = await receiveOne(dlqUrl);

    const failure = parseDeadLetter({ system: 'sqs', destination: 'redrive-dlq', attributes: dead });
    expect(failure).toMatchObject({
      dialect: 'sqs',
      reason: 'delivery_limit',
      source: { system: 'aws_sqs', destination: sourceName, messageId: MessageId },
      attempts: 1,
      traceparent: TRACEPARENT,
    });
    expect(failure.firstFailedAt).not.toBeNull();
  });

  it('deadLetterSqs packs the header set into one attribute and parses back to the same failure', async () => {
    const queueName = name('orders');
    const queueUrl = await createQueue(queueName);
    const dlqUrl = await createQueue(name('orders-dlq'));
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"order":1}',
        MessageAttributes: {
          traceparent: { DataType: 'String', StringValue: TRACEPARENT },
          tenant: { DataType: 'String', StringValue: 'acme' },
        },
      }),
    );
    const failing = await receiveOne(queueUrl);
    const result = await deadLetterSqs(client, failing, {
      queueUrl,
      deadLetterQueueUrl: dlqUrl,
      error: new PaymentDeclined('card declined'),
      tracerProvider: telemetry.tracerProvider,
      meterProvider: telemetry.meterProvider,
    });
    expect(result.attached).toBe(true);

    const copy = await receiveOne(dlqUrl);
    expect(copy.Body).toBe('{"order":1}');
    expect(Object.keys(copy.MessageAttributes ?? {}).sort()).toEqual([
      'signalbox-dlq',
      'tenant',
      'traceparent',
    ]);
    const failure = parseDeadLetter({ system: 'sqs', destination: 'orders-dlq', attributes: copy });
    expect(failure).toMatchObject({
      dialect: 'signalbox',
      reason: 'error',
      errorType: 'PaymentDeclined',
      errorMessage: 'card declined',
      source: { system: 'aws_sqs', destination: queueName, messageId: failing.MessageId },
      attempts: 1,
      traceparent: TRACEPARENT,
    });
    expect(failure.firstFailedAt).toBe(failure.lastFailedAt);
    expect(await telemetry.deadLetterCounts()).toEqual([
      {
        value: 1,
        attributes: {
          'messaging.system': 'aws_sqs',
          'messaging.destination.name': queueName,
          'error.type': 'PaymentDeclined',
        },
      },
    ]);
  });

  it('keeps all 10 attributes of a full message and reports the header set as not attached', async () => {
    const queueUrl = await createQueue(name('full'));
    const dlqUrl = await createQueue(name('full-dlq'));
    const attributes: Record<string, MessageAttributeValue> = {};
    for (let i = 0; i < 10; i++) attributes[`a${i}`] = { DataType: 'Number', StringValue: String(i) };
    await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes: attributes }),
    );
    const failing = await receiveOne(queueUrl);
    const result = await deadLetterSqs(client, failing, {
      queueUrl,
      deadLetterQueueUrl: dlqUrl,
      error: new Error('x'),
    });
    expect(result.attached).toBe(false);
    const copy = await receiveOne(dlqUrl);
    expect(Object.keys(copy.MessageAttributes ?? {}).sort()).toEqual(Object.keys(attributes).sort());
  });

  it('never duplicates the copy on a FIFO dead-letter queue when the call is retried', async () => {
    const queueUrl = await createQueue(`${name('fifo')}.fifo`, { FifoQueue: 'true' });
    const dlqUrl = await createQueue(`${name('fifo-dlq')}.fifo`, { FifoQueue: 'true' });
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: 'x',
        MessageGroupId: 'customer-7',
        MessageDeduplicationId: randomUUID(),
      }),
    );
    const failing = await receiveOne(queueUrl);
    const options = { queueUrl, deadLetterQueueUrl: dlqUrl, error: new Error('x') };
    await deadLetterSqs(client, failing, options);
    await deadLetterSqs(client, failing, options);
    // One receive of up to 10: a FIFO queue hands out several messages of a group together.
    const { Messages } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        WaitTimeSeconds: 1,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages?.[0]?.Attributes?.MessageGroupId).toBe('customer-7');
  });
});
