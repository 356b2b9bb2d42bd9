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

// The graph routes by the broker's own bindings (management API) where telemetry
// alone cannot: a topic exchange with a consumed and an unconsumed queue, a queue
// dead-lettering into a fanout exchange, a direct exchange whose unmatched
// messages go to its alternate exchange, and an exchange nothing is bound to.
// Publishers and the consumers that exist use our instrumentation; spans and
// metrics go through the dashboard's OTLP routes, the graph comes from /api/flows.
const gate = await brokerGate('rabbitmq', 'rabbitmq-management');
const dataDir = tempDataDir('signalbox-bindings-');
const { host, port } = BROKERS.rabbitmq;
const management = BROKERS['rabbitmq-management'];
process.env.SIGNALBOX_RABBITMQ_URL = `amqp://guest:guest@${host}:${port}`;
process.env.SIGNALBOX_RABBITMQ_MANAGEMENT_URL = `http://guest:guest@${management.host}:${management.port}`;
const MESSAGES = 5;

describe.skipIf(gate.skip)('RabbitMQ bindings on the flow graph (real broker, management API)', () => {
  const id = randomUUID().slice(0, 8);
  const shopX = `shop-x-${id}`;
  const billingQ = `billing-q-${id}`;
  const auditQ = `audit-q-${id}`;
  const workQ = `work-q-${id}`;
  const dlx = `dlx-${id}`;
  const deadQ = `dead-q-${id}`;
  const mainX = `main-x-${id}`;
  const ae = `ae-${id}`;
  const lostQ = `lost-q-${id}`;
  const voidX = `void-x-${id}`;
  const shop = service(`shop-${id}`);
  const billing = service(`billing-${id}`);
  const worker = service(`worker-${id}`);
  const undertaker = service(`undertaker-${id}`);
  const finder = service(`finder-${id}`);
  const services = [shop, billing, worker, undertaker, finder];
  let graph: FlowGraph;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const routes = await startInProcessDashboard();
    const connection = await amqp.connect(process.env.SIGNALBOX_RABBITMQ_URL!);
    closers.push(() => connection.close());
    const admin = await connection.createChannel();
    const temporary = { durable: false };
    await admin.assertExchange(shopX, 'topic', temporary);
    await admin.assertExchange(dlx, 'fanout', temporary);
    await admin.assertExchange(ae, 'fanout', temporary);
    await admin.assertExchange(mainX, 'direct', { ...temporary, alternateExchange: ae });
    await admin.assertExchange(voidX, 'topic', temporary);
    for (const queue of [billingQ, auditQ, deadQ, lostQ]) await admin.assertQueue(queue, temporary);
    await admin.assertQueue(workQ, { ...temporary, deadLetterExchange: dlx });
    await admin.bindQueue(billingQ, shopX, 'order.*');
    await admin.bindQueue(auditQ, shopX, 'order.#'); // nobody consumes it
    await admin.bindQueue(deadQ, dlx, '');
    await admin.bindQueue(lostQ, ae, '');
    closers.push(async () => {
      for (const queue of [billingQ, auditQ, deadQ, lostQ, workQ]) await admin.deleteQueue(queue);
      for (const exchange of [shopX, dlx, ae, mainX, voidX]) await admin.deleteExchange(exchange);
    });

    let received = 0;
    const all = MESSAGES * 4; // billing, worker (rejects), undertaker (dead letters), finder (alternate)
    const done = new Promise<void>((resolve) => {
      const count = () => void (++received === all && resolve());
      const consume = async (s: ReturnType<typeof service>, queue: string, reject = false) => {
        const channel = instrumentAmqpChannel(await connection.createChannel(), s.options);
        await channel.consume(queue, (msg) => {
          if (!msg) return;
          if (reject) channel.nack(msg, false, false);
          else channel.ack(msg);
          count();
        });
      };
      void Promise.all([
        consume(billing, billingQ),
        consume(worker, workQ, true),
        consume(undertaker, deadQ),
        consume(finder, lostQ),
      ]);
    });
    await sleep(200); // consumers attached before anything is published
    const publisher = instrumentAmqpChannel(await connection.createChannel(), shop.options);
    for (let i = 0; i < MESSAGES; i++) {
      publisher.publish(shopX, 'order.created', Buffer.from(`order ${i}`));
      publisher.sendToQueue(workQ, Buffer.from(`job ${i}`));
      publisher.publish(mainX, 'typo', Buffer.from(`lost ${i}`));
      publisher.publish(voidX, 'nothing.here', Buffer.from(`dropped ${i}`));
    }
    await done;
    await sleep(200);

    graph = await exportAndReadFlows(routes, services);
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await stopInProcessDashboard(services, dataDir);
  });

  const node = (name: string) => `destination:rabbitmq:${name}`;
  const find = (name: string) => graph.nodes.find((n) => n.id === node(name));

  it('reads the bindings and draws every route they give, merged with telemetry’s nodes', () => {
    expect(graph.rabbitmqBindings?.state).toBe('read');
    const edges = graph.edges
      .filter((e) => e.id.includes(id))
      .map((e) => [e.kind, e.source, e.target, e.via ?? null, e.messages])
      .sort((a, b) => `${String(a[1])}>${String(a[2])}`.localeCompare(`${String(b[1])}>${String(b[2])}`));
    const expected = [
      ['publish', `service:shop-${id}`, node(`${shopX}:order.created`), null, MESSAGES],
      ['publish', `service:shop-${id}`, node(workQ), null, MESSAGES],
      ['publish', `service:shop-${id}`, node(`${mainX}:typo`), null, MESSAGES],
      ['publish', `service:shop-${id}`, node(`${voidX}:nothing.here`), null, MESSAGES],
      // Topic: both bound queues, the unconsumed one too.
      [
        'route',
        node(`${shopX}:order.created`),
        node(`${shopX}:order.created:${billingQ}`),
        'binding',
        MESSAGES,
      ],
      [
        'route',
        node(`${shopX}:order.created`),
        node(`${shopX}:order.created:${auditQ}`),
        'binding',
        MESSAGES,
      ],
      ['deliver', node(`${shopX}:order.created:${billingQ}`), `service:billing-${id}`, null, MESSAGES],
      // Dead letters: republished to the DLX with the message's key (the queue's name here).
      ['deliver', node(workQ), `service:worker-${id}`, null, MESSAGES],
      ['route', node(workQ), node(`${dlx}:${workQ}`), 'dead-letter', 0],
      ['route', node(`${dlx}:${workQ}`), node(`${dlx}:${workQ}:${deadQ}`), 'binding', 0],
      ['deliver', node(`${dlx}:${workQ}:${deadQ}`), `service:undertaker-${id}`, null, MESSAGES],
      // Unmatched: through the alternate exchange, delivered under the exchange published to.
      ['route', node(`${mainX}:typo`), node(`${ae}:typo`), 'alternate', MESSAGES],
      ['route', node(`${ae}:typo`), node(`${mainX}:typo:${lostQ}`), 'binding', MESSAGES],
      ['deliver', node(`${mainX}:typo:${lostQ}`), `service:finder-${id}`, null, MESSAGES],
    ].sort((a, b) => `${String(a[1])}>${String(a[2])}`.localeCompare(`${String(b[1])}>${String(b[2])}`));
    expect(edges).toEqual(expected);
  });

  it('labels exchanges with their type and queues by name, consumed or not', () => {
    const shown = (name: string) => {
      const n = find(name);
      return [n?.role, n?.label, n?.exchangeType ?? null, n?.unroutable ?? null];
    };
    expect(shown(`${shopX}:order.created`)).toEqual(['exchange', shopX, 'topic', null]);
    expect(shown(`${shopX}:order.created:${auditQ}`)).toEqual(['queue', auditQ, null, null]);
    expect(shown(`${mainX}:typo`)).toEqual(['exchange', mainX, 'direct', null]);
    expect(shown(`${ae}:typo`)).toEqual(['exchange', ae, 'fanout', null]);
    expect(shown(`${dlx}:${workQ}`)).toEqual(['exchange', dlx, 'fanout', null]);
    expect(shown(workQ)).toEqual(['queue', workQ, null, null]);
  });

  it('flags the publish no binding routes, saying why', () => {
    expect(find(`${voidX}:nothing.here`)?.unroutable).toBe(`nothing is bound to topic exchange ${voidX}`);
    expect(graph.nodes.filter((n) => n.unroutable && n.id.includes(id)).map((n) => n.name)).toEqual([
      `${voidX}:nothing.here`,
    ]);
  });

  it('falls back to telemetry alone when the management API cannot be read, with a note', async () => {
    const { analyseFlowsFromStore } = await import('@/lib/analytics/flows');
    const { parseTimeRange } = await import('@/lib/analytics/time-range');
    const { getStore } = await import('@/lib/runtime');
    const down = { state: 'unavailable', reason: 'connect ECONNREFUSED' } as const;
    const { graph: alone } = await analyseFlowsFromStore(
      { store: await getStore(), rabbitmqBindings: () => Promise.resolve({ topology: null, status: down }) },
      parseTimeRange('15m', null),
    );
    expect(alone.rabbitmqBindings).toEqual(down);
    const ours = alone.edges.filter((e) => e.id.includes(id));
    expect(ours.some((e) => e.via)).toBe(false);
    expect(alone.nodes.some((n) => n.unroutable || n.exchangeType)).toBe(false);
    // Telemetry still connects what it saw: the alternate exchange's delivery straight from the publish.
    expect(ours.filter((e) => e.kind === 'route').map((e) => [e.source, e.target])).toEqual([
      [node(`${mainX}:typo`), node(`${mainX}:typo:${lostQ}`)],
      [node(`${shopX}:order.created`), node(`${shopX}:order.created:${billingQ}`)],
    ]);
  });
});
