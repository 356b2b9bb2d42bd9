import {
  deadLetterKafka,
  instrumentAmqpChannel,
  instrumentKafkaConsumer,
  REPLAY_HEADERS,
} from '@signalbox/instrumentation';
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
await channel.assertExchange(demoConfig.receiptsExchange, 'topic', { durable: true });

const kafka = demoKafka(SERVICE);
await ensureTopic(kafka, demoConfig.ordersTopic);
// Orders billing cannot process go to orders.DLT (deadLetterKafka's default, Spring's convention).
await ensureTopic(kafka, `${demoConfig.ordersTopic}.DLT`);
const deadLetters = kafka.producer();
await deadLetters.connect();

/** An order that fails validation: the demo's injected failures (~2% of orders). */
class OrderValidationError extends Error {
  override name = 'OrderValidationError';
}
const FAILURE_SHARE = Number(process.env.DEMO_BILLING_FAILURE_SHARE ?? '0.02');

const consumer = instrumentKafkaConsumer(kafka.consumer({ groupId: GROUP }), { groupId: GROUP });
await consumer.connect();
await consumer.subscribe({ topic: demoConfig.ordersTopic });
log(
  SERVICE,
  `consuming ${demoConfig.ordersTopic} as group ${GROUP}, publishing to ${demoConfig.paymentsQueue}`,
);

await consumer.run({
  eachMessage: async ({ topic, partition, message }) => {
    const order = JSON.parse(message.value?.toString() ?? '{}') as { orderId: string; amountCents: number };
    await simulateWork(5, 40);
    // A replayed order (it carries a replay id) was fixed upstream, so replays succeed.
    if (message.headers?.[REPLAY_HEADERS.id] === undefined && Math.random() < FAILURE_SHARE) {
      const error = new OrderValidationError(`order ${order.orderId} has no billing address`);
      // Throws if the dead letter was not written: kafkajs then retries the order, nothing is lost.
      await deadLetterKafka(deadLetters, { topic, partition, message }, { error, groupId: GROUP });
      return;
    }
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
    // The receipt goes through a topic exchange: mailer and ledger each have a queue bound to it.
    channel.publish(
      demoConfig.receiptsExchange,
      demoConfig.receiptRoutingKey,
      Buffer.from(JSON.stringify({ orderId: order.orderId, amountCents: order.amountCents })),
      { persistent: true, messageId: `receipt-${order.orderId}`, contentType: 'application/json' },
    );
    await channel.waitForConfirms();
  },
});

onShutdown(SERVICE, async () => {
  await consumer.disconnect();
  await deadLetters.disconnect();
  await connection.close();
  await telemetry.shutdown();
});
