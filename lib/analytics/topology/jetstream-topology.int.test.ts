import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { instrumentJetStream } from '@signalbox/instrumentation';
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

// A JetStream stream capturing two subjects, read by a durable consumer and an
// ephemeral one, each in its own instrumented service; a publisher sends to both
// subjects. Spans and metrics go through the dashboard's OTLP routes.
const gate = await brokerGate('nats');
const dataDir = tempDataDir('signalbox-jetstream-');
const CREATED = 4;
const SHIPPED = 3;

describe.skipIf(gate.skip)('JetStream streams on the flow graph (real server, our instrumentation)', () => {
  const id = randomUUID().replaceAll('-', '').slice(0, 10);
  const stream = `SBX_FLOW_${id}`;
  const created = `jsflow${id}.orders.created`;
  const shipped = `jsflow${id}.orders.shipped`;
  const shop = service(`shop-${id}`);
  const billing = service(`billing-${id}`);
  const audit = service(`audit-${id}`);
  let graph: FlowGraph;
  let nc: NatsConnection;

  beforeAll(async () => {
    const routes = await startInProcessDashboard();
    nc = await connect({ servers: `${BROKERS.nats.host}:${BROKERS.nats.port}` });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [created, shipped] });
    await jsm.consumers.add(stream, { durable_name: 'billing', ack_policy: AckPolicy.Explicit });
    // No durable name: the server names it, and it goes once idle.
    const ephemeral = await jsm.consumers.add(stream, {
      ack_policy: AckPolicy.Explicit,
      inactive_threshold: 30_000_000_000,
    });

    const all = (CREATED + SHIPPED) * 2;
    let received = 0;
    const done = new Promise<void>((resolve) => {
      const consume = async (s: ReturnType<typeof service>, name: string) => {
        const js = instrumentJetStream(jetstream(nc), { ...s.options, headers });
        const consumer = await js.consumers.get(stream, name);
        await consumer.consume({
          callback: (msg: JsMsg) => {
            msg.ack();
            if (++received === all) resolve();
          },
        });
      };
      void Promise.all([consume(billing, 'billing'), consume(audit, ephemeral.name)]);
    });
    const js = instrumentJetStream(jetstream(nc), { ...shop.options, headers });
    for (let i = 0; i < CREATED; i++) await js.publish(created, `created ${i}`);
    for (let i = 0; i < SHIPPED; i++) await js.publish(shipped, `shipped ${i}`);
    await done;
    await sleep(200);

    graph = await exportAndReadFlows(routes, [shop, billing, audit]);
  });

  afterAll(async () => {
    if (nc) {
      await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
      await nc.close();
    }
    await stopInProcessDashboard([shop, billing, audit], dataDir);
  });

  const node = (name: string) => `destination:nats:${name}`;

  it('draws publisher → subject → stream → each consumer, with exact counts', () => {
    const edges = graph.edges
      .filter((e) => e.id.includes(id))
      .map((e) => [e.kind, e.source, e.target, e.consumerGroup, e.messages])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(edges).toEqual(
      [
        ['publish', `service:shop-${id}`, node(created), null, CREATED],
        ['publish', `service:shop-${id}`, node(shipped), null, SHIPPED],
        ['route', node(created), node(stream), null, CREATED],
        ['route', node(shipped), node(stream), null, SHIPPED],
        // The durable consumer is the deliver edge's group; the ephemeral one has none.
        ['deliver', node(stream), `service:billing-${id}`, 'billing', CREATED + SHIPPED],
        ['deliver', node(stream), `service:audit-${id}`, null, CREATED + SHIPPED],
      ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
  });

  it('shows the stream as a stream and the subjects as subjects', () => {
    const shown = (name: string) => {
      const found = graph.nodes.find((n) => n.id === node(name));
      return [found?.role, found?.label];
    };
    expect(shown(stream)).toEqual(['stream', stream]);
    expect(shown(created)).toEqual(['subject', created]);
    expect(shown(shipped)).toEqual(['subject', shipped]);
  });
});
