import { randomUUID } from 'node:crypto';
import { instrumentKafkaProducer } from '@signalbox/instrumentation';
import { demoConfig, log, onShutdown } from './config.js';
import { demoKafka, demoProducer, ensureTopic } from './kafka.js';
import { startTelemetry } from './telemetry.js';

// checkout: takes orders and publishes each to the Kafka topic `orders`.
const SERVICE = 'checkout';
const telemetry = startTelemetry(SERVICE);
const kafka = demoKafka(SERVICE);
await ensureTopic(kafka, demoConfig.ordersTopic);

const producer = instrumentKafkaProducer(demoProducer(kafka));
await producer.connect();
log(SERVICE, `publishing ${demoConfig.ordersPerSecond} orders/s to Kafka topic ${demoConfig.ordersTopic}`);

const customers = ['ada', 'grace', 'linus', 'margaret', 'ken'];
let sent = 0;
const timer = setInterval(() => {
  const order = {
    orderId: randomUUID(),
    customer: customers[sent % customers.length]!,
    amountCents: 500 + Math.floor(Math.random() * 20_000),
  };
  sent++;
  producer
    .send({
      topic: demoConfig.ordersTopic,
      messages: [{ key: order.customer, value: JSON.stringify(order) }],
    })
    .catch((error: unknown) => log(SERVICE, `send failed: ${String(error)}`));
}, 1000 / demoConfig.ordersPerSecond);

onShutdown(SERVICE, async () => {
  clearInterval(timer);
  await producer.disconnect();
  await telemetry.shutdown();
});
