#!/usr/bin/env node
// Micro-benchmark: the per-message CPU cost of the messaging layer WITHOUT
// broker I/O. The end-to-end benchmark (run.mjs) is the issue's measure, but
// on a shared machine its client and broker noise (±10 µs/msg) swamps the few
// µs the instrumentation itself costs. Here the real wrappers run around fake
// clients that do no I/O: a publish hands its options to a fake "broker" that
// turns them into a delivery (headers copied, as a wire round trip would; for
// kafkajs encoded to Buffers, which is what its consumer hands out) and calls
// the consumer's callback at once; the handler settles (amqplib: ack).
//
// Per message, amqplib-shaped: sendToQueue + consume callback + ack.
// kafkajs-shaped: send in batches of 100 (create spans + one send span), then
// eachMessage (async handler, awaited) per message.
//
// Variants (same SDK set-up as run.mjs, telemetry.mjs): bare, sdk-floor and
// sdk-floor-sampled-out (floor.mjs's hand-made spans around the fake client),
// signalbox, signalbox-sampled-out, contrib (the contrib instrumentations'
// own patch functions applied to the fake clients: their per-message work,
// without their require hooks). With MICRO_BASELINE=/path/to/index.js, two
// more, `baseline` and `baseline-sampled-out`, load that build of the package
// instead: before/after numbers from the same interleaved runs.
//
// Each (broker, variant) run is a fresh process that warms up, then times
// N messages with process.cpuUsage() (user + system, so GC is included).
// Variants are interleaved within each repetition; medians are reported.
//
// Usage: node bench/instrumentation/micro.mjs [messages=200000] [repeats=5] [brokers=amqplib,kafkajs]
//        (needs a build: npm run build -w @signalbox/instrumentation, or SIGNALBOX_INSTRUMENTATION=…)
//        MICRO_VARIANTS=bare,signalbox node bench/instrumentation/micro.mjs …   (a subset)
//        node bench/instrumentation/micro.mjs --one <amqplib|kafkajs> <variant> <messages>
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { amqpFloor, kafkaFloor } from './floor.mjs';
import { setUpTelemetry } from './telemetry.mjs';

const require = createRequire(import.meta.url);
const KAFKA_BATCH = 100;
const BASE_VARIANTS = [
  'bare',
  'sdk-floor',
  'sdk-floor-sampled-out',
  'signalbox',
  'signalbox-sampled-out',
  'contrib',
];

// --- the fake clients: what the wrappers call, minus I/O ---------------------

function fakeAmqpChannel() {
  let onMessage;
  let deliveryTag = 0;
  const channel = {
    connection: {},
    publish(exchange, routingKey, content, options) {
      // The "broker": a delivery of what was published, headers copied as a
      // wire round trip would (amqplib hands the consumer a fresh table).
      const headers = options?.headers;
      onMessage({
        fields: {
          consumerTag: 'bench',
          deliveryTag: ++deliveryTag,
          redelivered: false,
          exchange,
          routingKey,
        },
        properties: {
          headers: headers ? Object.assign({}, headers) : {},
          messageId: options?.messageId,
          correlationId: options?.correlationId,
        },
        content,
      });
      return true;
    },
    sendToQueue(queue, content, options) {
      return this.publish('', queue, content, options);
    },
    consume(queue, callback) {
      onMessage = callback;
      return Promise.resolve({ consumerTag: 'bench' });
    },
    ack() {},
  };
  return channel;
}

/** A channel whose methods are contrib amqplib's patches around the fake's. */
function contribAmqpChannel(fake) {
  const { AmqplibInstrumentation } = require('@opentelemetry/instrumentation-amqplib');
  const contrib = new AmqplibInstrumentation({ enabled: false });
  const channel = Object.create(fake);
  channel.publish = contrib.getPublishPatch('0.10.9', fake.publish);
  channel.consume = contrib.getConsumePatch('0.10.9', fake.consume);
  channel.ack = contrib.getAckPatch(false, 'ack', fake.ack);
  return channel;
}

function kafkaDelivery(topic, message, offset) {
  const headers = {};
  if (message.headers) {
    for (const [key, value] of Object.entries(message.headers)) headers[key] = Buffer.from(value);
  }
  return {
    topic,
    partition: 0,
    message: {
      key: Buffer.from(message.key),
      value: message.value,
      timestamp: '0',
      attributes: 0,
      offset: String(offset),
      headers,
    },
    heartbeat: () => Promise.resolve(),
    pause: () => () => {},
  };
}

function fakeKafka() {
  let eachMessage;
  let offset = 0;
  const outbox = [];
  const producer = {
    send(record) {
      for (const message of record.messages) outbox.push(kafkaDelivery(record.topic, message, offset++));
      return Promise.resolve([{ topicName: record.topic, partition: 0, errorCode: 0 }]);
    },
    sendBatch() {
      throw new Error('not used');
    },
    transaction() {
      throw new Error('not used');
    },
  };
  const consumer = {
    run(config) {
      eachMessage = config.eachMessage;
      return Promise.resolve();
    },
    commitOffsets() {
      return Promise.resolve();
    },
  };
  /** Delivers what was sent since the last call, one awaited eachMessage at a time. */
  const deliver = async () => {
    const batch = outbox.splice(0, outbox.length);
    for (const payload of batch) await eachMessage(payload);
  };
  return { producer, consumer, deliver };
}

function contribKafka(fake) {
  const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs');
  const contrib = new KafkaJsInstrumentation({ enabled: false });
  const producer = Object.create(fake.producer);
  producer.send = contrib._getSendPatch()(fake.producer.send);
  const consumer = Object.create(fake.consumer);
  consumer.run = contrib._getConsumerRunPatch()(fake.consumer.run);
  return { producer, consumer, deliver: fake.deliver };
}

// --- one run -----------------------------------------------------------------

async function amqpWorkload(variant, api, sb) {
  const queue = 'bench-micro';
  const body = Buffer.from(JSON.stringify({ order: 1, amount: 12.5, currency: 'EUR' }));
  const fake = fakeAmqpChannel();
  let channel = fake;
  if (sb) channel = sb.instrumentAmqpChannel(fake);
  if (variant === 'contrib') channel = contribAmqpChannel(fake);
  const floor = variant.startsWith('sdk-floor') ? amqpFloor(api) : undefined;
  const onMessage = (msg) => {
    if (floor) floor.ack(msg, () => channel.ack(msg));
    else channel.ack(msg);
  };
  await channel.consume(queue, floor ? (msg) => floor.process(queue, msg, onMessage) : onMessage);
  const send = floor
    ? (i) =>
        floor.send(queue, { messageId: String(i) }, (options) => channel.sendToQueue(queue, body, options))
    : (i) => channel.sendToQueue(queue, body, { messageId: String(i) });
  return async (count) => {
    for (let i = 0; i < count; i++) send(i);
  };
}

async function kafkaWorkload(variant, api, sb) {
  const topic = 'bench-micro';
  const groupId = 'bench-micro-group';
  const value = Buffer.from(JSON.stringify({ order: 1, amount: 12.5, currency: 'EUR' }));
  let { producer, consumer, deliver } = fakeKafka();
  if (sb) {
    producer = sb.instrumentKafkaProducer(producer);
    consumer = sb.instrumentKafkaConsumer(consumer, { groupId });
  }
  if (variant === 'contrib') ({ producer, consumer } = contribKafka({ producer, consumer, deliver }));
  const floor = variant.startsWith('sdk-floor') ? kafkaFloor(api) : undefined;
  const eachMessage = async () => {};
  await consumer.run({
    eachMessage: floor ? (payload) => floor.process(groupId, payload, eachMessage) : eachMessage,
  });
  return async (count) => {
    for (let i = 0; i < count; i += KAFKA_BATCH) {
      const n = Math.min(KAFKA_BATCH, count - i);
      const messages = Array.from({ length: n }, (_, j) => ({ key: String(i + j), value }));
      await (floor
        ? floor.send(topic, messages, (sent) => producer.send({ topic, messages: sent }))
        : producer.send({ topic, messages }));
      await deliver();
    }
  };
}

async function runOne(broker, variant, messages) {
  const { api, sb } = await setUpTelemetry(variant);
  const workload = await (broker === 'amqplib' ? amqpWorkload : kafkaWorkload)(variant, api, sb);
  // Warm-up: JIT, route caches, metric series, the SDK's id generator.
  await workload(Math.min(50_000, messages));
  globalThis.gc?.();
  const start = process.cpuUsage();
  const startHeap = process.memoryUsage().heapUsed;
  const startWall = performance.now();
  await workload(messages);
  const wallMs = performance.now() - startWall;
  const cpu = process.cpuUsage(start);
  const heapDelta = process.memoryUsage().heapUsed - startHeap;
  return { broker, variant, messages, wallMs, cpuUs: cpu.user + cpu.system, heapDelta };
}

// --- the orchestrator ----------------------------------------------------------

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function orchestrate(messages, repeats, brokers) {
  const self = fileURLToPath(import.meta.url);
  const baseline = process.env.MICRO_BASELINE;
  // MICRO_VARIANTS=a,b,… runs only those (quick comparisons while profiling).
  const only = process.env.MICRO_VARIANTS?.split(',');
  const plan = BASE_VARIANTS.filter((v) => !only || only.includes(v)).map((v) => ({
    label: v,
    variant: v,
    env: {},
  }));
  if (baseline) {
    for (const v of ['signalbox', 'signalbox-sampled-out'].filter((v) => !only || only.includes(v))) {
      plan.push({
        label: v.replace('signalbox', 'baseline'),
        variant: v,
        env: { SIGNALBOX_INSTRUMENTATION: baseline },
      });
    }
  }
  const runs = [];
  for (let r = 1; r <= repeats; r++) {
    for (const broker of brokers) {
      for (const { label, variant, env } of plan) {
        const out = execFileSync(process.execPath, [self, '--one', broker, variant, String(messages)], {
          encoding: 'utf8',
          timeout: 600_000,
          env: { ...process.env, ...env },
        });
        const run = { ...JSON.parse(out.trim().split('\n').at(-1)), label };
        runs.push(run);
        const ns = (run.cpuUs * 1000) / run.messages;
        console.error(`repeat ${r} ${broker.padEnd(8)} ${label.padEnd(22)} ${ns.toFixed(0)} ns CPU/msg`);
      }
    }
  }
  const lines = [
    `Command: \`node bench/instrumentation/micro.mjs ${messages} ${repeats} ${brokers.join(',')}\`${baseline ? ` with MICRO_BASELINE=${baseline}` : ''}  `,
    `Date: ${new Date().toISOString()}; Node ${process.version}; ${os.cpus()[0]?.model ?? 'unknown CPU'}, nproc ${os.availableParallelism()}; load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}  `,
    `Messages per run: ${messages} (after a warm-up); repetitions: ${repeats}; CPU ns per message, medians (range).`,
    '',
  ];
  for (const broker of brokers) {
    const perMessage = (label) =>
      runs.filter((r) => r.broker === broker && r.label === label).map((r) => (r.cpuUs * 1000) / r.messages);
    const med = (label) => median(perMessage(label));
    const bare = med('bare');
    lines.push(
      `### ${broker}`,
      '',
      '| variant | CPU ns/msg | range | added vs bare |',
      '| --- | ---: | ---: | ---: |',
    );
    for (const { label } of plan) {
      const values = perMessage(label);
      const m = median(values);
      lines.push(
        `| ${label} | ${m.toFixed(0)} | ${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} | ${label === 'bare' ? '—' : (m - bare).toFixed(0)} |`,
      );
    }
    if (only) continue;
    const above = (ours, floor) => (med(ours) - med(floor)).toFixed(0);
    lines.push(
      '',
      `Above the SDK floor: traced ${above('signalbox', 'sdk-floor')} ns/msg, sampled out ${above('signalbox-sampled-out', 'sdk-floor-sampled-out')} ns/msg` +
        (baseline
          ? ` (baseline: ${above('baseline', 'sdk-floor')} / ${above('baseline-sampled-out', 'sdk-floor-sampled-out')})`
          : '') +
        `. Contrib adds ${(med('contrib') - bare).toFixed(0)} ns/msg; Signalbox traced adds ${(med('signalbox') - bare).toFixed(0)} (ratio ${((med('signalbox') - bare) / (med('contrib') - bare)).toFixed(2)}).`,
      '',
    );
  }
  console.log(lines.join('\n'));
}

const args = process.argv.slice(2);
if (args[0] === '--one') {
  const [, broker, variant, messages] = args;
  console.log(JSON.stringify(await runOne(broker, variant, Number(messages))));
  process.exit(0);
} else {
  orchestrate(Number(args[0] ?? 200_000), Number(args[1] ?? 5), (args[2] ?? 'amqplib,kafkajs').split(','));
}
