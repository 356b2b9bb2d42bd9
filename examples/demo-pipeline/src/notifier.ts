import { instrumentAmqpChannel } from '@signalbox/instrumentation';
import { connectAmqp } from './amqp.js';
import { demoConfig, log, onShutdown, simulateWork } from './config.js';
import { startTelemetry } from './telemetry.js';

// notifier: consumes payments from RabbitMQ and "sends a receipt".
const SERVICE = 'notifier';
const telemetry = startTelemetry(SERVICE);

const connection = await connectAmqp(SERVICE, demoConfig.amqpUrl);
const channel = instrumentAmqpChannel(await connection.createChannel());
await channel.assertQueue(demoConfig.paymentsQueue, { durable: true });
await channel.prefetch(20);
log(SERVICE, `consuming RabbitMQ queue ${demoConfig.paymentsQueue}`);

// An async handler: the instrumented channel awaits it, so the process span
// covers the work and ends when it resolves (amqplib itself ignores the promise).
// eslint-disable-next-line @typescript-eslint/no-misused-promises
await channel.consume(demoConfig.paymentsQueue, async (message) => {
  if (!message) return;
  await simulateWork(1, 15);
  channel.ack(message);
});

onShutdown(SERVICE, async () => {
  await connection.close();
  await telemetry.shutdown();
});
