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

const result = (measured) => ({ broker, variant, messages: MESSAGES, ...measured });

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
  const onMessage = (msg) => {
    if (!msg) return;
    if (floor) floor.amqp.ack(msg, () => channel.ack(msg));
    else channel.ack(msg);
    if (++handled === MESSAGES) done();
  };
  await channel.consume(queue, floor ? (msg) => floor.amqp.process(queue, msg, onMessage) : onMessage);
  const send = floor
    ? (i) =>
        floor.amqp.send(queue, { messageId: String(i) }, (options) =>
          channel.sendToQueue(queue, body, options),
        )
    : (i) => channel.sendToQueue(queue, body, { messageId: String(i) });
  const measuring = startMeasure();
  for (let i = 0; i < MESSAGES; i++) {
    if (!send(i)) await new Promise((resolve) => channel.once('drain', resolve));
  }
  await allHandled;
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
  let handled = 0;
  let done;
  const allHandled = new Promise((resolve) => (done = resolve));
  const eachMessage = async () => {
    if (++handled === MESSAGES) done();
  };
  await consumer.run({
    eachMessage: floor ? (payload) => floor.kafka.process(groupId, payload, eachMessage) : eachMessage,
  });
  await joined; // group set-up is not part of the measurement
  const value = Buffer.from(JSON.stringify({ order: 1, amount: 12.5, currency: 'EUR' }));
  const measuring = startMeasure();
  for (let i = 0; i < MESSAGES; i += KAFKA_BATCH) {
    const count = Math.min(KAFKA_BATCH, MESSAGES - i);
    const messages = Array.from({ length: count }, (_, j) => ({ key: String(i + j), value }));
    await (floor
      ? floor.kafka.send(topic, messages, (sent) => producer.send({ topic, messages: sent }))
      : producer.send({ topic, messages }));
  }
  await allHandled;
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
