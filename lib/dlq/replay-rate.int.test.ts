import { randomUUID } from 'node:crypto';
import { DLQ_HEADERS } from '@signalbox/instrumentation/protocol';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { DlqAdapter } from '@/lib/brokers/dlq-types';
import { KafkaDlqAdapter } from '@/lib/brokers/kafka/dlq';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import { brokerGate } from '@/lib/testing/brokers';
import { DuckDbReplayStore } from './duckdb-replay-store';
import type { ReplayJob } from './replay-store';
import { runReplayJob } from './runner';
import { KAFKA_SETTINGS, RABBIT_URL, rabbitSettings, tempDuckDb, unique, waitFor } from './testing/support';
import { unmasked } from '@/lib/masking/testing';

/*
 * The rate limit as the target sees it: arrival times of 250 replayed messages at 100 msg/s, measured
 * by a consumer of the target. Issue #7 asks for the rate to be held within 10%.
 */
const COUNT = 250;
const RATE = 100;
const gate = await brokerGate('kafka', 'rabbitmq');

function job(system: string, queue: string): ReplayJob {
  return {
    id: randomUUID(),
    queueId: `${system}:${queue}`,
    system,
    queue,
    selection: { all: true },
    target: null,
    ratePerSecond: RATE,
    maxReplays: 3,
    editedBody: null,
    status: 'queued',
    cursor: null,
    actor: 'test',
    createdAtMs: Date.now(),
    finishedAtMs: null,
    error: null,
    expected: COUNT,
  };
}

async function replayMeasured(adapter: DlqAdapter, j: ReplayJob, arrivals: number[]): Promise<number> {
  const db = await tempDuckDb();
  try {
    const store = await DuckDbReplayStore.create(db.connection);
    await store.createJob(j);
    const result = await runReplayJob(j, { store, adapter, masker: unmasked });
    expect(result.status).toBe('done');
    await waitFor(() => (arrivals.length >= COUNT ? true : undefined), 'every replayed message');
    const seconds = ((arrivals[COUNT - 1] ?? 0) - (arrivals[0] ?? 0)) / 1000;
    return (COUNT - 1) / seconds;
  } finally {
    await adapter.close();
    db.close();
  }
}

const deadLetterHeaders = (target: string, system: string) => ({
  [DLQ_HEADERS.originalDestination]: target,
  [DLQ_HEADERS.originalSystem]: system,
});

describe.skipIf(gate.skip)('replay rate limit (real brokers)', () => {
  it(`holds ${RATE} msg/s within 10% on RabbitMQ`, async () => {
    const target = unique('rate-target');
    const dlq = `${target}.dlq`;
    const connection = await amqp.connect(RABBIT_URL);
    const channel = await connection.createConfirmChannel();
    try {
      await channel.assertQueue(target, { durable: false });
      await channel.assertQueue(dlq, { durable: false });
      for (let i = 0; i < COUNT; i++) {
        channel.sendToQueue(dlq, Buffer.from(String(i)), { headers: deadLetterHeaders(target, 'rabbitmq') });
      }
      await channel.waitForConfirms();
      const arrivals: number[] = [];
      await channel.consume(target, () => arrivals.push(performance.now()), { noAck: true });
      const rate = await replayMeasured(
        new RabbitMqDlqAdapter(rabbitSettings()),
        job('rabbitmq', dlq),
        arrivals,
      );
      console.info(`RabbitMQ replay rate: ${rate.toFixed(1)} msg/s (asked ${RATE})`);
      expect(rate).toBeGreaterThan(RATE * 0.9);
      expect(rate).toBeLessThan(RATE * 1.1);
    } finally {
      await channel.deleteQueue(target).catch(() => undefined);
      await channel.deleteQueue(dlq).catch(() => undefined);
      await connection.close();
    }
  });

  it(`holds ${RATE} msg/s within 10% on Kafka`, async () => {
    const target = unique('rate-orders');
    const dlt = `${target}.DLT`;
    const kafka = new Kafka({
      clientId: 'rate',
      brokers: KAFKA_SETTINGS.brokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: unique('rate-check'), maxWaitTimeInMs: 20 });
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: target }, { topic: dlt }], waitForLeaders: true });
      await producer.connect();
      await producer.send({
        topic: dlt,
        messages: Array.from({ length: COUNT }, (_, i) => ({
          value: String(i),
          headers: deadLetterHeaders(target, 'kafka'),
        })),
      });
      const arrivals: number[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: target, fromBeginning: true });
      await consumer.run({
        eachMessage: () => {
          arrivals.push(performance.now());
          return Promise.resolve();
        },
      });
      const rate = await replayMeasured(new KafkaDlqAdapter(KAFKA_SETTINGS), job('kafka', dlt), arrivals);
      console.info(`Kafka replay rate (consumer arrival): ${rate.toFixed(1)} msg/s (asked ${RATE})`);
      expect(rate).toBeGreaterThan(RATE * 0.9);
      expect(rate).toBeLessThan(RATE * 1.1);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [target, dlt] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
