import { deadLetterAmqp, instrumentAmqpChannel, REPLAY_HEADERS } from '@signalbox/instrumentation';
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
// Failed payments go to payments.dlq (deadLetterAmqp's default name), on a confirm channel so the
// original is acked only once RabbitMQ has the dead letter.
const deadLetters = await connection.createConfirmChannel();
await deadLetters.assertQueue(`${demoConfig.paymentsQueue}.dlq`, { durable: true });

/** The card issuer timing out: what the demo's injected failures look like (~3% of payments). */
class IssuerTimeoutError extends Error {
  override name = 'IssuerTimeoutError';
}
const FAILURE_SHARE = Number(process.env.DEMO_NOTIFIER_FAILURE_SHARE ?? '0.03');
log(SERVICE, `consuming RabbitMQ queue ${demoConfig.paymentsQueue}`);

// An async handler: the instrumented channel awaits it, so the process span
// covers the work and ends when it resolves (amqplib itself ignores the promise).
// eslint-disable-next-line @typescript-eslint/no-misused-promises
await channel.consume(demoConfig.paymentsQueue, async (message) => {
  if (!message) return;
  try {
    await simulateWork(1, 15);
    // A replayed payment (it carries a replay id) finds the issuer back up, so replays succeed.
    const replayed = message.properties.headers?.[REPLAY_HEADERS.id] !== undefined;
    if (!replayed && Math.random() < FAILURE_SHARE) {
      const { orderId } = JSON.parse(message.content.toString()) as { orderId?: string };
      throw new IssuerTimeoutError(`card issuer did not answer within 2000 ms for order ${orderId ?? '?'}`);
    }
  } catch (error) {
    await deadLetterAmqp(deadLetters, message, {
      queue: demoConfig.paymentsQueue,
      error,
      consumerGroup: SERVICE,
    });
  }
  channel.ack(message);
});

onShutdown(SERVICE, async () => {
  await connection.close();
  await telemetry.shutdown();
});
