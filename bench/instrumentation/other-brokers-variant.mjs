#!/usr/bin/env node
// One benchmark run in a fresh process for the brokers beyond Kafka and
// RabbitMQ: one broker, one variant, N messages produced and consumed in this
// process. Same set-up and output as variant.mjs (one JSON line:
// { broker, variant, messages, wallMs, cpuUs }).
//
// Usage (normally through other-brokers.mjs):
//   node bench/instrumentation/other-brokers-variant.mjs <sqs|nats|jetstream|redis|mqtt|bullmq> <bare|signalbox|signalbox-sampled-out|contrib> [messages]
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { setUpTelemetry, startMeasure } from './telemetry.mjs';

const [broker, variant, messagesArg] = process.argv.slice(2);
const MESSAGES = Number(messagesArg ?? 5000);
const CHUNK = 100; // messages in flight / per batch call
const require = createRequire(import.meta.url);
const body = JSON.stringify({ order: 1, amount: 12.5, currency: 'EUR' });

const variants = ['bare', 'signalbox', 'signalbox-sampled-out', 'contrib'];
const brokers = ['sqs', 'nats', 'jetstream', 'redis', 'mqtt', 'bullmq'];
if (!brokers.includes(broker) || !variants.includes(variant) || (variant === 'contrib' && broker !== 'sqs')) {
  console.error(
    'usage: other-brokers-variant.mjs <sqs|nats|jetstream|redis|mqtt|bullmq> <bare|signalbox|signalbox-sampled-out|contrib (sqs only)> [messages]',
  );
  process.exit(2);
}

// Before the broker clients are loaded (contrib patches them on require).
const { sb } = await setUpTelemetry(variant, () => {
  const { AwsInstrumentation } = require('@opentelemetry/instrumentation-aws-sdk');
  return [new AwsInstrumentation()];
});
const ours = variant === 'signalbox' || variant === 'signalbox-sampled-out';
const wrap = (fn, client) => (ours ? fn(client) : client);
const inSpan = (fn, message, handler) => (ours ? fn(message, handler) : handler());

const result = (measured) => ({ broker, variant, messages: MESSAGES, ...measured });
function counter() {
  let handled = 0;
  let done;
  const all = new Promise((resolve) => (done = resolve));
  return { all, handled: () => ++handled === MESSAGES && done(), count: () => handled };
}

async function sqsRun() {
  const sqsSdk = require('@aws-sdk/client-sqs');
  const bare = new sqsSdk.SQSClient({
    endpoint: 'http://127.0.0.1:9324',
    region: 'elasticmq',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const sqs = wrap((c) => sb.instrumentSqsClient(c), bare);
  const { QueueUrl } = await bare.send(new sqsSdk.CreateQueueCommand({ QueueName: `bench-${randomUUID()}` }));
  const done = counter();
  const consume = async () => {
    while (done.count() < MESSAGES) {
      const { Messages = [] } = await sqs.send(
        new sqsSdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const message of Messages) inSpan(sb?.processSqsMessage, message, () => done.handled());
      if (Messages.length > 0) {
        const Entries = Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
        await sqs.send(new sqsSdk.DeleteMessageBatchCommand({ QueueUrl, Entries }));
      }
    }
  };
  const measuring = startMeasure();
  const consumers = [consume(), consume()];
  for (let i = 0; i < MESSAGES; i += 10) {
    const Entries = Array.from({ length: Math.min(10, MESSAGES - i) }, (_, j) => ({
      Id: String(j),
      MessageBody: body,
    }));
    await sqs.send(new sqsSdk.SendMessageBatchCommand({ QueueUrl, Entries }));
  }
  await done.all;
  const measured = measuring.stop();
  await Promise.all(consumers);
  await bare.send(new sqsSdk.DeleteQueueCommand({ QueueUrl }));
  bare.destroy();
  return result(measured);
}

async function natsRun() {
  const { connect, headers } = require('@nats-io/transport-node');
  const raw = await connect({ servers: '127.0.0.1:4222' });
  const nc = wrap((c) => sb.instrumentNatsConnection(c, { headers }), raw);
  const subject = `bench.${randomUUID()}`;
  const done = counter();
  nc.subscribe(subject, { callback: () => done.handled() });
  await raw.flush();
  const measuring = startMeasure();
  for (let i = 0; i < MESSAGES; i++) {
    nc.publish(subject, body);
    if (i % 1000 === 999) await raw.flush();
  }
  await done.all;
  const measured = measuring.stop();
  await raw.close();
  return result(measured);
}

async function jetstreamRun() {
  const { connect, headers } = require('@nats-io/transport-node');
  const { jetstream, jetstreamManager } = require('@nats-io/jetstream');
  const raw = await connect({ servers: '127.0.0.1:4222' });
  const jsm = await jetstreamManager(raw);
  const stream = `BENCH_${randomUUID().replaceAll('-', '')}`;
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
  await jsm.consumers.add(stream, { durable_name: 'bench', ack_policy: 'explicit' });
  const js = wrap((c) => sb.instrumentJetStream(c, { headers }), jetstream(raw));
  const consumer = await js.consumers.get(stream, 'bench');
  const done = counter();
  await consumer.consume({
    callback: (msg) => {
      msg.ack();
      done.handled();
    },
  });
  const measuring = startMeasure();
  for (let i = 0; i < MESSAGES; i += CHUNK) {
    const count = Math.min(CHUNK, MESSAGES - i);
    await Promise.all(Array.from({ length: count }, () => js.publish(`${stream}.orders`, body)));
  }
  await done.all;
  const measured = measuring.stop();
  await jsm.streams.delete(stream);
  await raw.close();
  return result(measured);
}

async function redisRun() {
  const { Redis } = require('ioredis');
  const bare = new Redis({ host: '127.0.0.1', port: 6379 });
  // XREADGROUP BLOCK holds its connection: the consumer gets its own.
  const bareConsumer = bare.duplicate();
  const redis = wrap((c) => sb.instrumentRedisStreams(c), bare);
  const reader = wrap((c) => sb.instrumentRedisStreams(c), bareConsumer);
  const stream = `bench-${randomUUID()}`;
  await bare.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
  const done = counter();
  const consume = async () => {
    while (done.count() < MESSAGES) {
      const reply = await reader.xreadgroup(
        'GROUP',
        'g',
        'c',
        'COUNT',
        CHUNK,
        'BLOCK',
        1000,
        'STREAMS',
        stream,
        '>',
      );
      const entries = reply?.[0]?.[1] ?? [];
      for (const entry of entries) inSpan(sb?.processRedisStreamEntry, entry, () => done.handled());
      if (entries.length > 0) await reader.xack(stream, 'g', ...entries.map((e) => e[0]));
    }
  };
  const measuring = startMeasure();
  const consuming = consume();
  for (let i = 0; i < MESSAGES; i += CHUNK) {
    const count = Math.min(CHUNK, MESSAGES - i);
    await Promise.all(Array.from({ length: count }, () => redis.xadd(stream, '*', 'body', body)));
  }
  await done.all;
  const measured = measuring.stop();
  await consuming;
  await bare.del(stream);
  bare.disconnect();
  bareConsumer.disconnect();
  return result(measured);
}

async function mqttRun() {
  const mqtt = require('mqtt');
  const producer = wrap(
    (c) => sb.instrumentMqttClient(c),
    await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 }),
  );
  const consumer = wrap(
    (c) => sb.instrumentMqttClient(c),
    await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 }),
  );
  const topic = `bench/${randomUUID()}`;
  const done = counter();
  await consumer.subscribeAsync(topic, { qos: 1 });
  consumer.on('message', () => done.handled());
  const measuring = startMeasure();
  for (let i = 0; i < MESSAGES; i += CHUNK) {
    const count = Math.min(CHUNK, MESSAGES - i);
    await Promise.all(Array.from({ length: count }, () => producer.publishAsync(topic, body, { qos: 1 })));
  }
  await done.all;
  const measured = measuring.stop();
  await Promise.all([producer.endAsync(), consumer.endAsync()]);
  return result(measured);
}

async function bullmqRun() {
  const { Queue, Worker } = require('bullmq');
  const connection = { host: '127.0.0.1', port: 6379 };
  const name = `bench-${randomUUID()}`;
  const bareQueue = new Queue(name, { connection, prefix: 'sbx-bench' });
  const queue = wrap((q) => sb.instrumentBullMQQueue(q), bareQueue);
  const done = counter();
  const processor = async () => void done.handled();
  const worker = new Worker(name, ours ? sb.instrumentBullMQProcessor(processor) : processor, {
    connection,
    prefix: 'sbx-bench',
    concurrency: 50,
  });
  await worker.waitUntilReady();
  const measuring = startMeasure();
  for (let i = 0; i < MESSAGES; i += CHUNK) {
    const count = Math.min(CHUNK, MESSAGES - i);
    await queue.addBulk(Array.from({ length: count }, () => ({ name: 'job', data: { body } })));
  }
  await done.all;
  const measured = measuring.stop();
  await worker.close();
  await bareQueue.obliterate({ force: true });
  await bareQueue.close();
  return result(measured);
}

const runs = {
  sqs: sqsRun,
  nats: natsRun,
  jetstream: jetstreamRun,
  redis: redisRun,
  mqtt: mqttRun,
  bullmq: bullmqRun,
};
console.log(JSON.stringify(await runs[broker]()));
process.exit(0);
