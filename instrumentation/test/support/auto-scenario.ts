/*
 * The application the auto-instrumentation tests run in a child process, as
 * JavaScript source shared by the CommonJS and ESM variants: it uses kafkajs
 * and amqplib (promise and callback APIs) exactly as an uninstrumented app
 * would, against the real brokers, with names passed in the environment.
 */
export const AUTO_SCENARIO = `
async function scenario({ amqp, callbackApi, Kafka, logLevel }) {
  const env = process.env;
  const url = 'amqp://guest:guest@127.0.0.1:5672';

  // amqplib, promise API: publish, consume, ack.
  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  await ch.assertQueue(env.TEST_QUEUE, { durable: false });
  const got = new Promise((resolve) => {
    void ch.consume(env.TEST_QUEUE, (msg) => {
      if (!msg) return;
      ch.ack(msg);
      resolve();
    });
  });
  ch.sendToQueue(env.TEST_QUEUE, Buffer.from('hello'));
  await got;
  await ch.deleteQueue(env.TEST_QUEUE);
  await conn.close();

  // amqplib, callback API: confirm channel publish, get, ack.
  await new Promise((resolve, reject) => {
    const fail = (err) => (err ? (reject(err), true) : false);
    callbackApi.connect(url, (err, c) => {
      if (fail(err)) return;
      c.createConfirmChannel((err, cch) => {
        if (fail(err)) return;
        cch.assertQueue(env.TEST_CB_QUEUE, { durable: false }, (err) => {
          if (fail(err)) return;
          cch.sendToQueue(env.TEST_CB_QUEUE, Buffer.from('cb'), {}, (err) => {
            if (fail(err)) return;
            cch.get(env.TEST_CB_QUEUE, {}, (err, msg) => {
              if (fail(err)) return;
              if (msg) cch.ack(msg);
              cch.deleteQueue(env.TEST_CB_QUEUE, {}, () => c.close(() => resolve()));
            });
          });
        });
      });
    });
  });

  // kafkajs: send, eachMessage.
  const kafka = new Kafka({ clientId: 'signalbox-auto-test', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: env.TEST_TOPIC, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: env.TEST_GROUP });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [env.TEST_TOPIC], fromBeginning: true });
  const consumed = new Promise((resolve) => {
    void consumer.run({ eachMessage: async () => resolve() });
  });
  await producer.send({ topic: env.TEST_TOPIC, messages: [{ value: 'order-1' }] });
  await consumed;
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [env.TEST_TOPIC] }).catch(() => {});
  await admin.disconnect();
}`;

/** Instrumentation set-up shared by the children; `which` picks ours, contrib's, or both. */
export const SETUP_TRACING = `
function setupTracing({ sdk, instrumentation, signalbox, contrib, which }) {
  const exporter = new sdk.InMemorySpanExporter();
  const provider = new sdk.NodeTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter)] });
  provider.register();
  const instrumentations = [];
  if (which.includes('contrib')) {
    instrumentations.push(new contrib.kafkajs.KafkaJsInstrumentation(), new contrib.amqplib.AmqplibInstrumentation());
  }
  if (which.includes('signalbox')) {
    instrumentations.push(new signalbox.SignalboxKafkaJsInstrumentation(), new signalbox.SignalboxAmqplibInstrumentation());
  }
  instrumentation.registerInstrumentations({ instrumentations });
  return exporter;
}`;
