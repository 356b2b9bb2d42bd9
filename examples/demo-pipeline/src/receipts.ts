import { instrumentAmqpChannel } from '@signalbox/instrumentation';
import { connectAmqp } from './amqp.js';
import { demoConfig, log, onShutdown, simulateWork } from './config.js';
import { startTelemetry } from './telemetry.js';

/**
 * A receipts consumer: its own queue bound to billing's topic exchange with
 * `pattern`, so every receipt reaches each consumer (the exchange fans out),
 * and the Flows page draws billing → exchange → one queue per consumer.
 */
export async function consumeReceipts(service: string, queue: string, pattern: string): Promise<void> {
  const telemetry = startTelemetry(service);
  const connection = await connectAmqp(service, demoConfig.amqpUrl);
  const channel = instrumentAmqpChannel(await connection.createChannel());
  await channel.assertExchange(demoConfig.receiptsExchange, 'topic', { durable: true });
  await channel.assertQueue(queue, { durable: true });
  await channel.bindQueue(queue, demoConfig.receiptsExchange, pattern);
  log(service, `consuming ${queue}, bound to ${demoConfig.receiptsExchange} with ${pattern}`);
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the instrumented channel awaits it
  await channel.consume(queue, async (message) => {
    if (!message) return;
    await simulateWork(2, 20);
    channel.ack(message);
  });
  onShutdown(service, async () => {
    await connection.close();
    await telemetry.shutdown();
  });
}
