import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { ConsumeMessage } from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { brokerGate, BROKERS } from '../../lib/testing/brokers.js';
import { instrumentAmqpChannel, instrumentKafkaProducer, instrumentSqsClient } from '../src/index.js';
import { amqpConnect, createTopic, kafkaClient, uniqueName } from './support/brokers.js';
import { VALID_TRACEPARENT } from './support/hostile-values.js';
import { setupTracing } from './support/tracing.js';

// "A traceparent you set is never overwritten", on the real brokers: a message
// published through our wrappers with the user's own traceparent and tracestate
// arrives at a plain, uninstrumented consumer with exactly those values, once,
// and our send span is still recorded. (Contrib's instrumentations overwrite it.)
const gate = await brokerGate('kafka', 'rabbitmq', 'sqs');
const TRACESTATE = 'vendor=user-set';

describe.skipIf(gate.skip)('a user’s traceparent survives our wrappers on real brokers', () => {
  const tracing = setupTracing();
  const options = { tracerProvider: tracing.provider };
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  });

  const sendSpans = (destination: string) => tracing.spans().filter((s) => s.name === `send ${destination}`);

  it('Kafka: the record headers keep the user’s traceparent and tracestate', async () => {
    const kafka = kafkaClient();
    const topic = uniqueName('user-tp');
    const admin = kafka.admin();
    await admin.connect();
    closers.push(async () => {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    });
    await createTopic(admin, topic);
    const producer = instrumentKafkaProducer(kafka.producer(), options);
    await producer.connect();
    closers.push(() => producer.disconnect());
    await producer.send({
      topic,
      messages: [{ value: 'x', headers: { traceparent: VALID_TRACEPARENT, tracestate: TRACESTATE } }],
    });

    const consumer = kafka.consumer({ groupId: uniqueName('user-tp-group') });
    await consumer.connect();
    closers.push(() => consumer.disconnect());
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const headers = await new Promise<Record<string, unknown>>((resolve) => {
      void consumer.run({ eachMessage: ({ message }) => Promise.resolve(resolve(message.headers ?? {})) });
    });
    expect(String(headers.traceparent)).toBe(VALID_TRACEPARENT);
    expect(String(headers.tracestate)).toBe(TRACESTATE);
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === 'traceparent')).toEqual(['traceparent']);
    expect(sendSpans(topic)).toHaveLength(1);
  });

  it('RabbitMQ: the AMQP headers keep the user’s traceparent and tracestate', async () => {
    const connection = await amqpConnect();
    closers.push(() => connection.close());
    const queue = uniqueName('user-tp');
    const plain = await connection.createChannel();
    await plain.assertQueue(queue, { durable: false, autoDelete: true });
    const channel = instrumentAmqpChannel(await connection.createChannel(), options);
    channel.sendToQueue(queue, Buffer.from('x'), {
      headers: { traceparent: VALID_TRACEPARENT, tracestate: TRACESTATE, tenant: 'eu' },
    });
    const message = await new Promise<ConsumeMessage>((resolve) => {
      void plain.consume(queue, (msg) => msg && resolve(msg), { noAck: true });
    });
    const headers = message.properties.headers ?? {};
    expect(headers.traceparent).toBe(VALID_TRACEPARENT);
    expect(headers.tracestate).toBe(TRACESTATE);
    expect(headers.tenant).toBe('eu');
    expect(sendSpans(queue)).toHaveLength(1);
  });

  it('SQS: the message attributes keep the user’s traceparent and tracestate', async () => {
    const bare = new SQSClient({
      endpoint: `http://${BROKERS.sqs.host}:${BROKERS.sqs.port}`,
      region: 'elasticmq',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    closers.push(() => Promise.resolve(bare.destroy()));
    const queueName = uniqueName('user-tp').slice(0, 80);
    const { QueueUrl } = await bare.send(new CreateQueueCommand({ QueueName: queueName }));
    closers.push(() => bare.send(new DeleteQueueCommand({ QueueUrl })));
    const sqs = instrumentSqsClient(bare, options);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'x',
        MessageAttributes: {
          traceparent: { DataType: 'String', StringValue: VALID_TRACEPARENT },
          tracestate: { DataType: 'String', StringValue: TRACESTATE },
        },
      }),
    );
    // Read with the plain client: what any consumer would see.
    const out = await bare.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], WaitTimeSeconds: 2 }),
    );
    const attributes = out.Messages?.[0]?.MessageAttributes ?? {};
    expect(attributes.traceparent?.StringValue).toBe(VALID_TRACEPARENT);
    expect(attributes.tracestate?.StringValue).toBe(TRACESTATE);
    expect(sendSpans(queueName)).toHaveLength(1);
  });
});
