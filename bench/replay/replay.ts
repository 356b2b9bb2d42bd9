import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DLQ_HEADERS } from '@signalbox/instrumentation/protocol';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import type { DlqAdapter } from '@/lib/brokers/dlq-types';
import { KafkaDlqAdapter } from '@/lib/brokers/kafka/dlq';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import { DuckDbReplayStore } from '@/lib/dlq/duckdb-replay-store';
import { runReplayJob } from '@/lib/dlq/runner';
import { unmasked } from '@/lib/masking/testing';

/**
 * Replay throughput without a rate limit: N dead letters (1 KiB JSON bodies, the Signalbox header
 * set) replayed to their original destination with broker confirmation (Kafka acks=-1, RabbitMQ
 * publisher confirms), checkpointed in a DuckDB file, and removed from the DLQ (RabbitMQ ack).
 * Time = job start (session open included) to job done. Usage: replay.mjs [messages] [repetitions].
 */
const N = Number(process.argv[2] ?? 20_000);
const REPS = Number(process.argv[3] ?? 3);
const body = (i: number) => Buffer.from(JSON.stringify({ n: i, pad: 'x'.repeat(1000) }));
const RABBIT = 'amqp://guest:guest@127.0.0.1:5672';
const KAFKA = '127.0.0.1:9092';

async function timeJob(system: string, queue: string, adapter: DlqAdapter): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-'));
  const instance = await DuckDBInstance.create(path.join(dir, 'dlq.duckdb'));
  const store = await DuckDbReplayStore.create(await instance.connect());
  const job = {
    id: randomUUID(),
    queueId: `${system}:${queue}`,
    system,
    queue,
    selection: { all: true as const },
    target: null,
    ratePerSecond: null,
    maxReplays: 3,
    editedBody: null,
    status: 'queued' as const,
    cursor: null,
    actor: 'bench',
    createdAtMs: Date.now(),
    finishedAtMs: null,
    error: null,
    expected: N,
  };
  await store.createJob(job);
  const start = performance.now();
  const result = await runReplayJob(job, { store, adapter, masker: unmasked });
  const seconds = (performance.now() - start) / 1000;
  const counts = await store.itemCounts(job.id);
  if (result.status !== 'done' || counts.replayed !== N)
    throw new Error(`job ${result.status}: ${JSON.stringify(counts)} ${result.error ?? ''}`);
  await adapter.close();
  instance.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
  return N / seconds;
}

async function rabbit(): Promise<number> {
  const target = `bench-replay-${randomUUID().slice(0, 8)}`;
  const dlq = `${target}.dlq`;
  const connection = await amqp.connect(RABBIT, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(target, { durable: true });
  await channel.assertQueue(dlq, { durable: true });
  for (let i = 0; i < N; i++) {
    channel.sendToQueue(dlq, body(i), {
      persistent: true,
      headers: {
        [DLQ_HEADERS.id]: `d-${i}`,
        [DLQ_HEADERS.originalDestination]: target,
        [DLQ_HEADERS.originalSystem]: 'rabbitmq',
      },
    });
  }
  await channel.waitForConfirms();
  try {
    return await timeJob(
      'rabbitmq',
      dlq,
      new RabbitMqDlqAdapter({ url: RABBIT, managementUrl: null, queues: [], tls: null }),
    );
  } finally {
    await channel.deleteQueue(target);
    await channel.deleteQueue(dlq);
    await connection.close();
  }
}

async function kafka(): Promise<number> {
  const target = `bench-replay-${randomUUID().slice(0, 8)}`;
  const dlt = `${target}.DLT`;
  const client = new Kafka({ clientId: 'bench', brokers: [KAFKA], logLevel: logLevel.NOTHING });
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: target, numPartitions: 3 },
      { topic: dlt, numPartitions: 3 },
    ],
    waitForLeaders: true,
  });
  const producer = client.producer();
  await producer.connect();
  for (let start = 0; start < N; start += 1000) {
    await producer.send({
      topic: dlt,
      messages: Array.from({ length: Math.min(1000, N - start) }, (_, k) => ({
        key: String(start + k),
        value: body(start + k),
        headers: { [DLQ_HEADERS.originalDestination]: target, [DLQ_HEADERS.originalSystem]: 'kafka' },
      })),
    });
  }
  await producer.disconnect();
  try {
    return await timeJob(
      'kafka',
      dlt,
      new KafkaDlqAdapter({ brokers: [KAFKA], clientId: 'bench', tls: null, sasl: null, readMessages: true }),
    );
  } finally {
    await admin.deleteTopics({ topics: [target, dlt] }).catch(() => undefined);
    await admin.disconnect();
  }
}

const results: Record<string, number[]> = { kafka: [], rabbitmq: [] };
for (let r = 0; r < REPS; r++) {
  results.kafka?.push(await kafka());
  results.rabbitmq?.push(await rabbit());
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
for (const [broker, runs] of Object.entries(results)) {
  console.log(
    `${broker}: median ${median(runs).toFixed(0)} msg/s over ${REPS} runs of ${N} (${runs.map((x) => x.toFixed(0)).join(', ')})`,
  );
}
process.exit(0);
