/** Where the demo's brokers are; the defaults match `npm run brokers`. */
export const demoConfig = {
  kafkaBrokers: (process.env.DEMO_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  amqpUrl: process.env.DEMO_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  ordersPerSecond: Number(process.env.DEMO_ORDERS_PER_SECOND ?? '5'),
  ordersTopic: 'orders',
  paymentsQueue: 'payments',
  /** A topic exchange billing publishes receipts to, fanning out to a queue per consumer. */
  receiptsExchange: 'billing-events',
  receiptRoutingKey: 'receipt.issued',
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Work that takes between min and max milliseconds, so latencies look like a real service's. */
export const simulateWork = (minMs: number, maxMs: number) => sleep(minMs + Math.random() * (maxMs - minMs));

export function log(service: string, message: string): void {
  console.log(`${new Date().toISOString()} ${service}: ${message}`);
}

/** Runs `stop` once on SIGINT/SIGTERM, then exits. */
export function onShutdown(service: string, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    // A broker client that hangs while disconnecting must not leave the process behind.
    setTimeout(() => process.exit(0), 5000).unref();
    stop()
      .catch((error: unknown) => log(service, `error while stopping: ${String(error)}`))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
