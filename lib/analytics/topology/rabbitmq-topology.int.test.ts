import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { instrumentAmqpChannel } from '@signalbox/instrumentation';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowGraph } from '@/lib/analytics/flows';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import {
  exportAndReadFlows,
  startInProcessDashboard,
  stopInProcessDashboard,
  tempDataDir,
} from '@/lib/testing/in-process-dashboard';
import { tracedService as service } from '@/lib/testing/traced-service';

// The graph models how RabbitMQ routes, for the setup most applications use: a
// publisher instrumented with our package sends 10 messages to the topic exchange
// `orders-x` with key `order.created`; `billing-q` (bound `order.*`) and `audit-q`
// (bound `order.#`) each have an instrumented consumer; a third service uses the
// default exchange. Spans and metrics go through the dashboard's OTLP routes.
const gate = await brokerGate('rabbitmq');
const dataDir = tempDataDir('signalbox-topology-');
const MESSAGES = 10;

describe.skipIf(gate.skip)('RabbitMQ exchanges on the flow graph (real broker, our instrumentation)', () => {
  const id = randomUUID().slice(0, 8);
  const exchange = `orders-x-${id}`;
  const billingQ = `billing-q-${id}`;
  const auditQ = `audit-q-${id}`;
  const directQ = `payments-${id}`;
  const shop = service(`shop-${id}`);
  const billing = service(`billing-${id}`);
  const audit = service(`audit-${id}`);
  const payer = service(`payer-${id}`);
  let graph: FlowGraph;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const routes = await startInProcessDashboard();
    const connection = await amqp.connect(
      `amqp://guest:guest@${BROKERS.rabbitmq.host}:${BROKERS.rabbitmq.port}`,
    );
    closers.push(() => connection.close());
    const admin = await connection.createChannel();
    await admin.assertExchange(exchange, 'topic', { durable: false, autoDelete: true });
    for (const [queue, pattern] of [
      [billingQ, 'order.*'],
      [auditQ, 'order.#'],
    ] as const) {
      await admin.assertQueue(queue, { durable: false, autoDelete: true });
      await admin.bindQueue(queue, exchange, pattern);
    }
    await admin.assertQueue(directQ, { durable: false, autoDelete: true });

    let received = 0;
    const all = MESSAGES * 3;
    const done = new Promise<void>((resolve) => {
      const consume = async (s: ReturnType<typeof service>, queue: string) => {
        const channel = instrumentAmqpChannel(await connection.createChannel(), s.options);
        await channel.consume(queue, () => void (++received === all && resolve()), { noAck: true });
      };
      void Promise.all([consume(billing, billingQ), consume(audit, auditQ), consume(payer, directQ)]);
    });
    await sleep(200); // consumers attached before anything is published
    const publisher = instrumentAmqpChannel(await connection.createChannel(), shop.options);
    for (let i = 0; i < MESSAGES; i++) {
      publisher.publish(exchange, 'order.created', Buffer.from(`order ${i}`));
      publisher.sendToQueue(directQ, Buffer.from(`payment ${i}`));
    }
    await done;
    await sleep(200);

    graph = await exportAndReadFlows(routes, [shop, billing, audit, payer]);
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await stopInProcessDashboard([shop, billing, audit, payer], dataDir);
  });

  const node = (name: string) => `destination:rabbitmq:${name}`;
  const ours = () => graph.edges.filter((e) => e.id.includes(id));

  it('draws publisher → exchange → each bound queue → its consumer, connected, with exact counts', () => {
    const published = `${exchange}:order.created`;
    const edges = ours()
      .filter((e) => e.source !== `service:payer-${id}` && !e.id.includes(directQ))
      .map((e) => [e.kind, e.source, e.target, e.messages])
      .sort((a, b) => String(a[2]).localeCompare(String(b[2])));
    expect(edges).toEqual(
      [
        ['publish', `service:shop-${id}`, node(published), MESSAGES],
        ['route', node(published), node(`${published}:${auditQ}`), MESSAGES],
        ['route', node(published), node(`${published}:${billingQ}`), MESSAGES],
        ['deliver', node(`${published}:${auditQ}`), `service:audit-${id}`, MESSAGES],
        ['deliver', node(`${published}:${billingQ}`), `service:billing-${id}`, MESSAGES],
      ].sort((a, b) => String(a[2]).localeCompare(String(b[2]))),
    );
    const shown = (name: string) => {
      const found = graph.nodes.find((n) => n.id === node(name));
      return [found?.role, found?.label];
    };
    expect(shown(published)).toEqual(['exchange', exchange]);
    expect(shown(`${published}:${billingQ}`)).toEqual(['queue', billingQ]);
    expect(shown(`${published}:${auditQ}`)).toEqual(['queue', auditQ]);
  });

  it('takes the default exchange straight to the queue, with no route in between', () => {
    const direct = ours().filter((e) => e.id.includes(directQ));
    expect(direct.map((e) => [e.kind, e.source, e.target, e.messages])).toEqual([
      ['deliver', node(directQ), `service:payer-${id}`, MESSAGES],
      ['publish', `service:shop-${id}`, node(directQ), MESSAGES],
    ]);
    expect(graph.nodes.find((n) => n.id === node(directQ))?.role).toBe('queue');
  });
});
