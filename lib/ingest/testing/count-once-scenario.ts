/*
 * The child process of the count-once tests, as CommonJS source: one service
 * that publishes N messages on one broker and consumes them, instrumented the
 * way a user might combine things (see COMBINATIONS), exporting with the
 * OpenTelemetry Node SDK's own OTLP exporters to the test's OTLP listener.
 * Auto-instrumentation can only patch modules required after it is
 * registered, which is why this runs in a fresh process.
 */

/** How the service set up Signalbox; every one must trace each message once. */
export const COMBINATIONS = {
  /** Two explicit wrappers around the same client (no auto-instrumentation). */
  'wrapper twice': { sdk: 'plain', when: 'before' },
  /** `register()` (auto-instrumentation), then the README's explicit wrapper. */
  'auto then wrapper': { sdk: 'register', when: 'before' },
  /** The client required, created and wrapped first; `register()` only afterwards. */
  'wrapper then auto': { sdk: 'register', when: 'after' },
  /** OpenTelemetry's contrib instrumentation for the client registered beside ours, plus the wrapper. */
  'contrib beside ours': { sdk: 'register+contrib', when: 'before' },
} as const;

export type Combination = keyof typeof COMBINATIONS;

export const COUNT_ONCE_SCENARIO = `'use strict';
const env = process.env;
const N = Number(env.N);
const signalboxDist = env.SIGNALBOX_DIST;
const { setTimeout: sleep } = require('node:timers/promises');

const CONTRIB = {
  kafka: () => new (require('@opentelemetry/instrumentation-kafkajs').KafkaJsInstrumentation)(),
  rabbitmq: () => new (require('@opentelemetry/instrumentation-amqplib').AmqplibInstrumentation)(),
  sqs: () => new (require('@opentelemetry/instrumentation-aws-sdk').AwsInstrumentation)(),
};

let sdk;
function startSdk() {
  if (env.SDK === 'plain') {
    // The Node SDK with no instrumentation at all: the wrappers are the only source of spans.
    const { NodeSDK } = require('@opentelemetry/sdk-node');
    sdk = new NodeSDK({ serviceName: env.SERVICE, instrumentations: [] });
    sdk.start();
    return;
  }
  const { register } = require(signalboxDist + '/register/index.js');
  const instrumentations = env.SDK === 'register+contrib' ? [CONTRIB[env.BROKER]()] : [];
  sdk = register({ serviceName: env.SERVICE, instrumentations });
}

const until = async (what, done) => {
  for (let i = 0; i < 300 && !done(); i++) await sleep(50);
  if (!done()) throw new Error('timed out waiting for ' + what);
};

// Every broker: load the client, make it and wrap it (the wrap is applied twice for
// 'wrapper twice'), then send N and consume N. Returns a function that runs the traffic.
const BROKERS = {
  async kafka(wrap) {
    const { Kafka, logLevel } = require('kafkajs');
    const kafka = new Kafka({ brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: env.DEST, numPartitions: 1 }], waitForLeaders: true });
    const producer = wrap((c, o) => sb().instrumentKafkaProducer(c, o), kafka.producer());
    const consumer = wrap(
      (c, o) => sb().instrumentKafkaConsumer(c, { ...o, groupId: env.GROUP }),
      kafka.consumer({ groupId: env.GROUP }),
    );
    return async () => {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: [env.DEST], fromBeginning: true });
      let got = 0;
      await consumer.run({ eachMessage: async () => { got++; } });
      for (let i = 0; i < N; i++) await producer.send({ topic: env.DEST, messages: [{ value: 'm' + i }] });
      await until('kafka messages', () => got >= N);
      await sleep(300);
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [env.DEST] }).catch(() => {});
      await admin.disconnect();
    };
  },
  async rabbitmq(wrap) {
    const amqp = require('amqplib');
    const connection = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
    const channel = wrap((c, o) => sb().instrumentAmqpChannel(c, o), await connection.createChannel());
    return async () => {
      await channel.assertQueue(env.DEST, { durable: false, autoDelete: true });
      let got = 0;
      await channel.consume(env.DEST, (msg) => { got++; channel.ack(msg); });
      for (let i = 0; i < N; i++) channel.sendToQueue(env.DEST, Buffer.from('m' + i));
      await until('rabbitmq messages', () => got >= N);
      await sleep(200);
      await connection.close();
    };
  },
  async sqs(wrap) {
    const sqsSdk = require('@aws-sdk/client-sqs');
    const raw = new sqsSdk.SQSClient({
      endpoint: 'http://127.0.0.1:9324', region: 'elasticmq',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const client = wrap((c, o) => sb().instrumentSqsClient(c, o), raw);
    return async () => {
      const { QueueUrl } = await client.send(new sqsSdk.CreateQueueCommand({ QueueName: env.DEST }));
      for (let i = 0; i < N; i++) await client.send(new sqsSdk.SendMessageCommand({ QueueUrl, MessageBody: 'm' + i }));
      let got = 0;
      for (let round = 0; round < 40 && got < N; round++) {
        const out = await client.send(new sqsSdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const message of out.Messages ?? []) {
          sb().processSqsMessage(message, () => {});
          await client.send(new sqsSdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
          got++;
        }
      }
      if (got < N) throw new Error('sqs: got ' + got);
      await client.send(new sqsSdk.DeleteQueueCommand({ QueueUrl }));
      raw.destroy();
    };
  },
  async nats(wrap) {
    // As the issue reported it: a wildcard subscriber, a publisher to one concrete subject.
    const nats = require('@nats-io/transport-node');
    const nc = wrap((c, o) => sb().instrumentNatsConnection(c, { ...o, headers: nats.headers }), await nats.connect({ servers: '127.0.0.1:4222' }));
    return async () => {
      let got = 0;
      nc.subscribe(env.DEST_PATTERN, { callback: () => { got++; } });
      await nc.flush();
      for (let i = 0; i < N; i++) nc.publish(env.DEST, 'm' + i);
      await until('nats messages', () => got >= N);
      await nc.close();
    };
  },
  async redis(wrap) {
    const Redis = require('ioredis');
    const raw = new Redis({ host: '127.0.0.1', port: 6379 });
    const redis = wrap((c, o) => sb().instrumentRedisStreams(c, o), raw);
    return async () => {
      await redis.xgroup('CREATE', env.DEST, env.GROUP, '$', 'MKSTREAM');
      for (let i = 0; i < N; i++) await redis.xadd(env.DEST, '*', 'order', String(i));
      let got = 0;
      for (let round = 0; round < 20 && got < N; round++) {
        const reply = await redis.xreadgroup('GROUP', env.GROUP, 'c1', 'COUNT', 100, 'STREAMS', env.DEST, '>');
        for (const [, entries] of reply ?? []) {
          for (const entry of entries) {
            sb().processRedisStreamEntry(entry, () => {});
            await redis.xack(env.DEST, env.GROUP, entry[0]);
            got++;
          }
        }
      }
      if (got < N) throw new Error('redis: got ' + got);
      await raw.del(env.DEST);
      raw.disconnect();
    };
  },
  async mqtt(wrap) {
    // A wildcard subscriber and a publisher, each its own client as in two services.
    const mqtt = require('mqtt');
    const connect = async () =>
      wrap((c, o) => sb().instrumentMqttClient(c, o), await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 }));
    const subscriber = await connect();
    const publisher = await connect();
    return async () => {
      let got = 0;
      subscriber.on('message', () => { got++; });
      await subscriber.subscribeAsync(env.DEST_PATTERN, { qos: 1 });
      for (let i = 0; i < N; i++) await publisher.publishAsync(env.DEST, 'm' + i, { qos: 1 });
      await until('mqtt messages', () => got >= N);
      await publisher.endAsync();
      await subscriber.endAsync();
    };
  },
  async bullmq(wrap) {
    const { Queue, Worker } = require('bullmq');
    const connection = { host: '127.0.0.1', port: 6379 };
    const queue = wrap((c, o) => sb().instrumentBullMQQueue(c, o), new Queue(env.DEST, { connection }));
    let got = 0;
    const processor = wrap((p, o) => sb().instrumentBullMQProcessor(p, o), async () => { got++; });
    return async () => {
      const worker = new Worker(env.DEST, processor, { connection });
      for (let i = 0; i < N; i++) await queue.add('order', { i });
      await until('bullmq jobs', () => got >= N);
      await sleep(300);
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    };
  },
};

let signalbox;
const sb = () => (signalbox ??= require(signalboxDist + '/index.js'));

async function main() {
  if (env.WHEN === 'before') startSdk();
  const times = env.SDK === 'plain' ? 2 : 1;
  const wrap = (instrument, client) => {
    let wrapped = client;
    for (let i = 0; i < times; i++) wrapped = instrument(wrapped, {});
    return wrapped;
  };
  const traffic = await BROKERS[env.BROKER](wrap);
  if (env.WHEN === 'after') startSdk();
  await traffic();
  await sdk.shutdown();
  console.log(JSON.stringify({ ok: true }));
}
main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
`;
