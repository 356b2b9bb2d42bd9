import type { Consumer, KafkaMessage, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../../lib/testing/brokers.js';
import { deadLetterKafka } from '../../src/brokers/kafka/dead-letter.js';
import { parseDeadLetter } from '../../src/dlq/parse.js';
import { createTopic, kafkaClient, uniqueName } from '../support/brokers.js';
import { deadLetterTelemetry, eventually, PaymentDeclined, TRACEPARENT } from './telemetry-support.js';

const gate = await brokerGate('kafka');

const int32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
const long = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};

describe.skipIf(gate.skip)('dead letters on Kafka (real broker)', () => {
  const topic = uniqueName('dlq-orders');
  const dlt = `${topic}.DLT`;
  const springDlt = uniqueName('dlq-spring');
  const groupId = uniqueName('dlq-group');
  const kafka = kafkaClient('signalbox-dlq-tests');
  const telemetry = deadLetterTelemetry();
  const deadLetters: KafkaMessage[] = [];
  const springMessages: KafkaMessage[] = [];
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    for (const name of [topic, dlt, springDlt]) await createTopic(admin, name);
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    consumer = kafka.consumer({ groupId });
    await consumer.connect();
    // One consumer for all three topics: one group join instead of three.
    await consumer.subscribe({ topics: [topic, dlt, springDlt], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: from, partition, message }) => {
        if (from === topic) {
          // The handler failed: dead-letter, and only then let kafkajs commit.
          await deadLetterKafka(
            producer,
            { topic: from, partition, message },
            {
              error: new PaymentDeclined('card declined for order 1'),
              groupId,
              tracerProvider: telemetry.tracerProvider,
              meterProvider: telemetry.meterProvider,
            },
          );
        } else if (from === dlt) deadLetters.push(message);
        else springMessages.push(message);
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await telemetry.shutdown();
    // The DLQ topics would otherwise show on any dashboard reading this broker.
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, dlt, springDlt] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('copies the message to <topic>.DLT with the header set, and parses back to the same failure', async () => {
    const before = new Date().toISOString();
    await producer.send({
      topic,
      messages: [
        { key: 'customer-7', value: '{"order":1}', headers: { traceparent: TRACEPARENT, 'x-app': 'shop' } },
      ],
    });
    const copy = await eventually(() => deadLetters[0], 'the dead letter');
    expect(copy.key?.toString()).toBe('customer-7');
    expect(copy.value?.toString()).toBe('{"order":1}');
    expect(copy.headers?.['x-app']?.toString()).toBe('shop');

    const failure = parseDeadLetter({
      system: 'kafka',
      destination: dlt,
      headers: copy.headers,
      timestamp: copy.timestamp,
    });
    expect(failure).toMatchObject({
      dialect: 'signalbox',
      reason: 'error',
      errorType: 'PaymentDeclined',
      errorMessage: 'card declined for order 1',
      source: { system: 'kafka', destination: topic, partition: 0, offset: '0', consumerGroup: groupId },
      attempts: 1,
      traceparent: TRACEPARENT,
      replay: null,
    });
    expect(failure.stackTrace).toMatch(/^PaymentDeclined: card declined for order 1\n\s+at /);
    expect(failure.firstFailedAt).toBe(failure.lastFailedAt);
    expect(failure.lastFailedAt! >= before).toBe(true);

    const span = await eventually(
      () => telemetry.spans().find((s) => s.name === `dead_letter ${topic}`),
      'the dead_letter span',
    );
    expect(span.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.operation.name': 'dead_letter',
      'messaging.operation.type': 'settle',
      'error.type': 'PaymentDeclined',
      'signalbox.dlq.destination': dlt,
      'signalbox.dlq.attempts': 1,
    });
    expect(span.events.map((e) => e.name)).toContain('exception');
    expect(await telemetry.deadLetterCounts()).toEqual([
      {
        value: 1,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'error.type': 'PaymentDeclined',
        },
      },
    ]);
  });

  it('adds up attempts when a replayed message fails again, keeping one header set', async () => {
    const first = await eventually(() => deadLetters[0], 'the first dead letter');
    const firstFailure = parseDeadLetter({ system: 'kafka', destination: dlt, headers: first.headers });
    // As if the replay put the copy (headers included) back on the topic and it failed again.
    await deadLetterKafka(
      producer,
      { topic, partition: 0, message: first },
      { error: new TypeError('still broken'), attempts: 2, groupId },
    );
    const second = await eventually(() => deadLetters[1], 'the second dead letter');
    const failure = parseDeadLetter({ system: 'kafka', destination: dlt, headers: second.headers });
    expect(failure).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'still broken',
      attempts: 3,
      firstFailedAt: firstFailure.firstFailedAt,
    });
    expect(failure.lastFailedAt! > firstFailure.lastFailedAt!).toBe(true);
    expect(Buffer.isBuffer(second.headers?.['signalbox-dlq-attempts'])).toBe(true);
    expect(failure.details['signalbox.dlq_id']).not.toBe(firstFailure.details['signalbox.dlq_id']);
  });

  it('reads Spring Kafka binary headers as kafkajs delivers them', async () => {
    await producer.send({
      topic: springDlt,
      messages: [
        {
          value: 'x',
          headers: {
            'kafka_dlt-original-topic': 'payments',
            'kafka_dlt-original-partition': int32(3),
            'kafka_dlt-original-offset': long(2 ** 40),
            'kafka_dlt-exception-cause-fqcn': 'java.lang.IllegalStateException',
            'kafka_dlt-exception-message': 'no customer',
          },
        },
      ],
    });
    const message = await eventually(() => springMessages[0], 'the Spring-style record');
    const failure = parseDeadLetter({
      system: 'kafka',
      destination: springDlt,
      headers: message.headers,
      timestamp: message.timestamp,
    });
    expect(failure).toMatchObject({
      dialect: 'spring-kafka',
      errorType: 'java.lang.IllegalStateException',
      source: { destination: 'payments', partition: 3, offset: String(2 ** 40) },
    });
    // The record's own timestamp stands in for the failure time.
    expect(failure.lastFailedAt).toBe(new Date(Number(message.timestamp)).toISOString());
  });
});
