import { instrumentAmqpChannel, instrumentKafkaConsumer } from '@signalbox/instrumentation';
import { connectAmqp } from './amqp.js';
import { demoConfig, log, onShutdown, simulateWork } from './config.js';
import { demoKafka, ensureTopic } from './kafka.js';
import { startTelemetry } from './telemetry.js';

// billing: consumes orders from Kafka, charges them, and publishes a payment
// to the RabbitMQ queue `payments` from inside the order's process span.
const SERVICE = 'billing';
const GROUP = 'billing';
const telemetry = startTelemetry(SERVICE);

const connection = await connectAmqp(SERVICE, demoConfig.amqpUrl);
const channel = instrumentAmqpChannel(await connection.createConfirmChannel());
await channel.assertQueue(demoConfig.paymentsQueue, { durable: true });

const kafka = demoKafka(SERVICE);
await ensureTopic(kafka, demoConfig.ordersTopic);
const consumer = instrumentKafkaConsumer(kafka.consumer({ groupId: GROUP }), { groupId: GROUP });
await consumer.connect();
await consumer.subscribe({ topic: demoConfig.ordersTopic });
log(
  SERVICE,
  `consuming ${demoConfig.ordersTopic} as group ${GROUP}, publishing to ${demoConfig.paymentsQueue}`,
);

await consumer.run({
  eachMessage: async ({ message }) => {
    const order = JSON.parse(message.value?.toString() ?? '{}') as { orderId: string; amountCents: number };
    await simulateWork(5, 40);
    const payment = {
      orderId: order.orderId,
      amountCents: order.amountCents,
      chargedAt: new Date().toISOString(),
    };
    channel.sendToQueue(demoConfig.paymentsQueue, Buffer.from(JSON.stringify(payment)), {
      persistent: true,
      messageId: order.orderId,
      contentType: 'application/json',
    });
    await channel.waitForConfirms();
  },
});

onShutdown(SERVICE, async () => {
  await consumer.disconnect();
  await connection.close();
  await telemetry.shutdown();
});
