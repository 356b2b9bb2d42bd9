/*
 * The application the auto-instrumentation tests for SQS, NATS, Redis
 * Streams, MQTT and BullMQ run in a child process, as JavaScript source
 * shared by the CommonJS and ESM variants: it uses the plain clients against
 * the real brokers, with names passed in the environment. The only Signalbox
 * calls are the per-message process helpers for the pull APIs (SQS receive,
 * Redis XREADGROUP), as an application would make them.
 */
export const AUTO_MORE_SCENARIO = `
async function scenario({ sqsSdk, nats, jetstreamApi, Redis, mqtt, bullmq, BullMQOtel, signalbox }) {
  const env = process.env;
  const { SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand, DeleteQueueCommand } = sqsSdk;

  // SQS: send, receive, process (helper), delete.
  const sqs = new SQSClient({ endpoint: 'http://127.0.0.1:9324', region: 'elasticmq', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: env.TEST_SQS_QUEUE }));
  try {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'order-1' }));
    let message;
    for (let i = 0; i < 10 && !message; i++) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      message = out.Messages?.[0];
    }
    if (!message) throw new Error('no SQS message');
    signalbox.processSqsMessage(message, () => {});
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
  } finally {
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    sqs.destroy();
  }

  // NATS core: publish without headers, callback subscription.
  const nc = await nats.connect({ servers: '127.0.0.1:4222' });
  const got = new Promise((resolve) => nc.subscribe(env.TEST_NATS_SUBJECT, { callback: () => resolve() }));
  await nc.flush();
  nc.publish(env.TEST_NATS_SUBJECT, 'order-1');
  await got;
  // JetStream: publish, consume with a callback, ack.
  const jsm = await jetstreamApi.jetstreamManager(nc);
  await jsm.streams.add({ name: env.TEST_JS_STREAM, subjects: [env.TEST_JS_SUBJECT] });
  try {
    await jsm.consumers.add(env.TEST_JS_STREAM, { durable_name: 'auto', ack_policy: 'explicit' });
    const js = jetstreamApi.jetstream(nc);
    await js.publish(env.TEST_JS_SUBJECT, 'order-2');
    const consumer = await js.consumers.get(env.TEST_JS_STREAM, 'auto');
    let messages;
    await new Promise((resolve, reject) => {
      consumer.consume({ callback: (m) => { m.ack(); resolve(); } }).then((ms) => (messages = ms), reject);
    });
    await messages?.close();
  } finally {
    await jsm.streams.delete(env.TEST_JS_STREAM).catch(() => {});
    await nc.close();
  }

  // Redis Streams: XADD, XREADGROUP, process (helper), XACK.
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  try {
    await redis.xgroup('CREATE', env.TEST_STREAM, 'auto-group', '$', 'MKSTREAM');
    await redis.xadd(env.TEST_STREAM, '*', 'order', '1');
    const reply = await redis.xreadgroup('GROUP', 'auto-group', 'c1', 'COUNT', 10, 'STREAMS', env.TEST_STREAM, '>');
    const entry = reply?.[0]?.[1]?.[0];
    if (!entry) throw new Error('no stream entry');
    signalbox.processRedisStreamEntry(entry, () => {});
    await redis.xack(env.TEST_STREAM, 'auto-group', entry[0]);
  } finally {
    await redis.del(env.TEST_STREAM);
    await redis.quit();
  }

  // MQTT 5: a subscriber from connect(), a publisher from connectAsync().
  const subscriber = mqtt.connect('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
  await new Promise((resolve, reject) => { subscriber.once('connect', resolve); subscriber.once('error', reject); });
  await subscriber.subscribeAsync(env.TEST_MQTT_TOPIC, { qos: 1 });
  const delivered = new Promise((resolve) => subscriber.on('message', () => resolve()));
  const publisher = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
  await publisher.publishAsync(env.TEST_MQTT_TOPIC, 'order-1', { qos: 1 });
  await delivered;
  await publisher.endAsync();
  await subscriber.endAsync();

  // BullMQ: add and a worker; then a queue and worker on bullmq-otel (BullMQ's telemetry option).
  const connection = { host: '127.0.0.1', port: 6379 };
  async function roundTrip(name, telemetry) {
    const queue = new bullmq.Queue(name, { connection, ...(telemetry && { telemetry }) });
    let worker;
    const done = new Promise((resolve, reject) => {
      worker = new bullmq.Worker(name, async () => 'ok', { connection, ...(telemetry && { telemetry }) });
      worker.on('completed', () => resolve());
      worker.on('failed', (_job, err) => reject(err));
    });
    try {
      await queue.add('order', { id: 1 });
      await done;
    } finally {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
  }
  await roundTrip(env.TEST_BULLMQ_QUEUE);
  await roundTrip(env.TEST_BULLMQ_OTEL_QUEUE, new BullMQOtel({ tracerName: 'bullmq-otel-app' }));
}`;

/**
 * Instrumentation set-up of the children. WHICH lists what to register, in
 * order: \`signalbox\` (twice for double registration), \`contrib\` (the contrib
 * aws-sdk instrumentation); \`disabled\` registers Signalbox and disables it
 * once the clients are loaded (see the apps).
 */
export const SETUP_MORE_TRACING = `
function setupTracing({ sdk, instrumentation, signalbox, contribAws, which }) {
  const exporter = new sdk.InMemorySpanExporter();
  const provider = new sdk.NodeTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter)] });
  provider.register();
  const ours = () => [
    new signalbox.SignalboxSqsInstrumentation(),
    new signalbox.SignalboxNatsInstrumentation(),
    new signalbox.SignalboxIoredisStreamsInstrumentation(),
    new signalbox.SignalboxMqttInstrumentation(),
    new signalbox.SignalboxBullMQInstrumentation(),
  ];
  const instrumentations = [];
  for (const what of which.split(',')) {
    if (what === 'contrib') instrumentations.push(new contribAws.AwsInstrumentation());
    if (what === 'signalbox' || what === 'disabled') instrumentations.push(...ours());
  }
  instrumentation.registerInstrumentations({ instrumentations });
  return { exporter, instrumentations };
}

// After disable(): the prototype methods still carrying a Signalbox patch (should be none).
function stillPatched({ sqsSdk, Redis, bullmq }) {
  const mark = Symbol.for('@signalbox/instrumentation:patch');
  const methods = {
    'SQSClient.send': sqsSdk.SQSClient.prototype.send,
    'Redis.xadd': Redis.prototype.xadd,
    'Redis.xreadgroup': Redis.prototype.xreadgroup,
    'Queue.add': bullmq.Queue.prototype.add,
    'Worker.callProcessJob': bullmq.Worker.prototype.callProcessJob,
  };
  return Object.keys(methods).filter((name) => methods[name]?.[mark] === true);
}`;
