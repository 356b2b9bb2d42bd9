#!/usr/bin/env node
// One benchmark run in a fresh process: one broker, one variant, N messages
// produced and consumed in this process. Prints one JSON line:
// { broker, variant, messages, wallMs, cpuUs } (cpuUs = user + system CPU
// of this process between the first send and the last message handled).
//
// Usage (normally through run.mjs):
//   node bench/instrumentation/variant.mjs <kafkajs|amqplib> <bare|signalbox|signalbox-sampled-out|contrib> [messages]
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const [broker, variant, messagesArg] = process.argv.slice(2);
const MESSAGES = Number(messagesArg ?? 20_000);
const KAFKA_BATCH = 100; // messages per producer.send call
const require = createRequire(import.meta.url);

// --- telemetry set-up, before the broker clients are loaded -----------------
let wrap = { producer: (p) => p, consumer: (c) => c, channel: (c) => c };
if (variant !== 'bare') {
  const api = require('@opentelemetry/api');
  const {
    NodeTracerProvider,
    BatchSpanProcessor,
    AlwaysOffSampler,
    AlwaysOnSampler,
  } = require('@opentelemetry/sdk-trace-node');
  const {
    MeterProvider,
    PeriodicExportingMetricReader,
    AggregationTemporality,
  } = require('@opentelemetry/sdk-metrics');
  // Spans and metrics go to exporters that drop them: we measure the cost of
  // producing telemetry, not of shipping it.
  const dropSpans = { export: (_spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve() };
  const dropMetrics = {
    export: (_metrics, done) => done({ code: 0 }),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  };
  const sampler = variant === 'signalbox-sampled-out' ? new AlwaysOffSampler() : new AlwaysOnSampler();
  new NodeTracerProvider({ sampler, spanProcessors: [new BatchSpanProcessor(dropSpans)] }).register();
  api.metrics.setGlobalMeterProvider(
    new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter: dropMetrics, exportIntervalMillis: 60_000 })],
    }),
  );
  if (variant === 'contrib') {
    const { registerInstrumentations } = require('@opentelemetry/instrumentation');
    const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs');
    const { AmqplibInstrumentation } = require('@opentelemetry/instrumentation-amqplib');
    registerInstrumentations({
      instrumentations: [new KafkaJsInstrumentation(), new AmqplibInstrumentation()],
    });
  } else {
    const sb = await import('@signalbox/instrumentation');
    wrap = {
      producer: (p) => sb.instrumentKafkaProducer(p),
      consumer: (c, groupId) => sb.instrumentKafkaConsumer(c, { groupId }),
      channel: (c) => sb.instrumentAmqpChannel(c),
    };
  }
}

const measure = () => ({ at: performance.now(), cpu: process.cpuUsage() });
const result = (start, end) => ({
  broker,
  variant,
  messages: MESSAGES,
  wallMs: end.at - start.at,
  cpuUs: end.cpu.user - start.cpu.user + (end.cpu.system - start.cpu.system),
});

async function amqplibRun() {
  const amqp = require('amqplib');
  const queue = `bench-${randomUUID()}`;
  const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
  const channel = wrap.channel(await conn.createChannel());
  await channel.assertQueue(queue, { durable: false, autoDelete: false });
  await channel.prefetch(1000);
  const body = Buffer.from(JSON.stringify({ order: 1, amount: 12.5, currency: 'EUR' }));
  let handled = 0;
  let done;
  const allHandled = new Promise((resolve) => (done = resolve));
  await channel.consume(queue, (msg) => {
    if (!msg) return;
    channel.ack(msg);
    if (++handled === MESSAGES) done();
  });
  const start = measure();
  for (let i = 0; i < MESSAGES; i++) {
    if (!channel.sendToQueue(queue, body, { messageId: String(i) })) {
      await new Promise((resolve) => channel.once('drain', resolve));
    }
  }
  await allHandled;
  const end = measure();
  await channel.deleteQueue(queue);
  await conn.close();
  return result(start, end);
}

async function kafkajsRun() {
  const { Kafka, logLevel } = require('kafkajs');
  const topic = `bench-${randomUUID()}`;
  const groupId = `bench-${randomUUID()}`;
  const kafka = new Kafka({
    clientId: 'signalbox-bench',
    brokers: ['127.0.0.1:9092'],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const producer = wrap.producer(kafka.producer());
  const consumer = wrap.consumer(kafka.consumer({ groupId }), groupId);
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  let handled = 0;
  let done;
  const allHandled = new Promise((resolve) => (done = resolve));
  await consumer.run({
    eachMessage: async () => {
      if (++handled === MESSAGES) done();
    },
  });
  await joined; // group set-up is not part of the measurement
  const value = Buffer.from(JSON.stringify({ order: 1, amount: 12.5, currency: 'EUR' }));
  const start = measure();
  for (let i = 0; i < MESSAGES; i += KAFKA_BATCH) {
    const count = Math.min(KAFKA_BATCH, MESSAGES - i);
    await producer.send({
      topic,
      messages: Array.from({ length: count }, (_, j) => ({ key: String(i + j), value })),
    });
  }
  await allHandled;
  const end = measure();
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
  return result(start, end);
}

const runs = { amqplib: amqplibRun, kafkajs: kafkajsRun };
if (!runs[broker] || !['bare', 'signalbox', 'signalbox-sampled-out', 'contrib'].includes(variant)) {
  console.error(
    'usage: variant.mjs <kafkajs|amqplib> <bare|signalbox|signalbox-sampled-out|contrib> [messages]',
  );
  process.exit(2);
}
console.log(JSON.stringify(await runs[broker]()));
process.exit(0);
