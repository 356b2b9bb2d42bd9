#!/usr/bin/env node
// One benchmark run in a fresh process: one broker, one variant, N messages
// produced and consumed in this process. Prints one JSON line:
// { broker, variant, messages, wallMs, cpuUs } (cpuUs = user + system CPU
// of this process between the first send and the last message handled).
// The telemetry set-up of each variant is in telemetry.mjs; `sdk-floor` makes
// by hand, around the bare client, the spans Signalbox emits (see floor.mjs).
//
// Usage (normally through run.mjs):
//   node bench/instrumentation/variant.mjs <kafkajs|amqplib> <bare|signalbox|signalbox-sampled-out|contrib|sdk-floor|sdk-floor-sampled-out> [messages]
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { amqpFloor, kafkaFloor } from './floor.mjs';
import { setUpTelemetry, startMeasure, VARIANTS } from './telemetry.mjs';

const [broker, variant, messagesArg] = process.argv.slice(2);
const MESSAGES = Number(messagesArg ?? 20_000);
// Messages moved before measuring, so JIT compilation and first-use allocations are not counted:
// the figures are steady-state costs (on 20,000 messages alone, warm-up dominated them).
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10_000);
const KAFKA_BATCH = 100; // messages per producer.send call
const require = createRequire(import.meta.url);

if (!['amqplib', 'kafkajs'].includes(broker) || !VARIANTS.includes(variant)) {
  console.error(`usage: variant.mjs <kafkajs|amqplib> <${VARIANTS.join('|')}> [messages]`);
  process.exit(2);
}

// Before the broker clients are loaded (contrib patches them on require).
const { api, sb } = await setUpTelemetry(variant, () => {
  const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs');
  const { AmqplibInstrumentation } = require('@opentelemetry/instrumentation-amqplib');
  return [new KafkaJsInstrumentation(), new AmqplibInstrumentation()];
});
const floor = variant.startsWith('sdk-floor') ? { amqp: amqpFloor(api), kafka: kafkaFloor(api) } : undefined;
const wrap = sb
  ? {
      producer: (p) => sb.instrumentKafkaProducer(p),
      consumer: (c, groupId) => sb.instrumentKafkaConsumer(c, { groupId }),
      channel: (c) => sb.instrumentAmqpChannel(c),
    }
  : { producer: (p) => p, consumer: (c) => c, channel: (c) => c };

const result = (measured) => ({ broker, variant, messages: MESSAGES, warmup: WARMUP, ...measured });

/** Counts handled messages; `expect(n)` resolves once n more were handled. */
function counter() {
  let handled = 0;
  let target = Infinity;
  let done = () => {};
  return {
    tick() {
      if (++handled === target) done();
    },
    expect(count) {
      target = handled + count;
      return count === 0 ? Promise.resolve() : new Promise((resolve) => (done = resolve));
    },
  };
}

async function amqplibRun() {
  const amqp = require('amqplib');
  const queue = `bench-${randomUUID()}`;
  const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
  const channel = wrap.channel(await conn.createChannel());
  await channel.assertQueue(queue, { durable: false, autoDelete: false });
  await channel.prefetch(1000);
  const body = Buffer.from(JSON.stringify({ order: 1, amount: 12.5, currency: 'EUR' }));
  const handled = counter();
  const onMessage = (msg) => {
    if (!msg) return;
    if (floor) floor.amqp.ack(msg, () => channel.ack(msg));
    else channel.ack(msg);
    handled.tick();
  };
  await channel.consume(queue, floor ? (msg) => floor.amqp.process(queue, msg, onMessage) : onMessage);
  const send = floor
    ? (i) =>
        floor.amqp.send(queue, { messageId: String(i) }, (options) =>
          channel.sendToQueue(queue, body, options),
        )
    : (i) => channel.sendToQueue(queue, body, { messageId: String(i) });
  const round = async (from, count) => {
    const all = handled.expect(count);
    for (let i = from; i < from + count; i++) {
      if (!send(i)) await new Promise((resolve) => channel.once('drain', resolve));
    }
    await all;
  };
  await round(0, WARMUP);
  const measuring = startMeasure();
  await round(WARMUP, MESSAGES);
  const measured = measuring.stop();
  await channel.deleteQueue(queue);
  await conn.close();
  return result(measured);
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
  const handled = counter();
  const eachMessage = async () => {
    handled.tick();
  };
  await consumer.run({
    eachMessage: floor ? (payload) => floor.kafka.process(groupId, payload, eachMessage) : eachMessage,
  });
  await joined; // group set-up is not part of the measurement
  const value = Buffer.from(JSON.stringify({ order: 1, amount: 12.5, currency: 'EUR' }));
  const round = async (from, total) => {
    const all = handled.expect(total);
    for (let i = from; i < from + total; i += KAFKA_BATCH) {
      const count = Math.min(KAFKA_BATCH, from + total - i);
      const messages = Array.from({ length: count }, (_, j) => ({ key: String(i + j), value }));
      await (floor
        ? floor.kafka.send(topic, messages, (sent) => producer.send({ topic, messages: sent }))
        : producer.send({ topic, messages }));
    }
    await all;
  };
  await round(0, WARMUP);
  const measuring = startMeasure();
  await round(WARMUP, MESSAGES);
  const measured = measuring.stop();
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
  return result(measured);
}

const runs = { amqplib: amqplibRun, kafkajs: kafkajsRun };
console.log(JSON.stringify(await runs[broker]()));
process.exit(0);
