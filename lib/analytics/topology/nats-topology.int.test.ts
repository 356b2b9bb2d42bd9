import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { instrumentNatsConnection } from '@signalbox/instrumentation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowGraph } from '@/lib/analytics/flows';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import {
  byJson,
  destinationRolesOfRun,
  edgesOfRun,
  exportAndReadFlows,
  startInProcessDashboard,
  stopInProcessDashboard,
} from '@/lib/testing/in-process-dashboard';
import { tracedService as service } from '@/lib/testing/traced-service';

// NATS core on a real server: a publisher sends to <root>.orders.eu and
// <root>.orders.us. Two services share the queue group `billing` on the
// wildcard <root>.orders.* (the server hands each message to one of them), and
// an auditor subscribes to <root>.> on its own. Spans and metrics go through
// the dashboard's OTLP routes.
const gate = await brokerGate('nats');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-nats-topology-'));
process.env.SIGNALBOX_DATA_DIR = dataDir;
const PER_SUBJECT = 5;

describe.skipIf(gate.skip)('NATS wildcards and queue groups on the flow graph (real server)', () => {
  const run = randomUUID().replaceAll('-', '').slice(0, 10);
  const root = `natsflow${run}`;
  const subjects = [`${root}.orders.eu`, `${root}.orders.us`];
  const grouped = `${root}.orders.*`;
  const everything = `${root}.>`;
  const shop = service(`shop-${run}`);
  const billers = [service(`biller-a-${run}`), service(`biller-b-${run}`)];
  const auditor = service(`auditor-${run}`);
  const all = [shop, ...billers, auditor];
  const received = new Map<string, number>();
  const connections: NatsConnection[] = [];
  let graph: FlowGraph;

  beforeAll(async () => {
    const routes = await startInProcessDashboard();
    const open = async (s: ReturnType<typeof service>) => {
      const raw = await connect({ servers: `${BROKERS.nats.host}:${BROKERS.nats.port}` });
      connections.push(raw);
      return { raw, nc: instrumentNatsConnection(raw, { ...s.options, headers }) };
    };
    const total = subjects.length * PER_SUBJECT;
    let count = 0;
    let resolveAll: () => void;
    const allReceived = new Promise<void>((resolve) => (resolveAll = resolve));
    const subscribe = async (s: ReturnType<typeof service>, subject: string, queue?: string) => {
      const { raw, nc } = await open(s);
      nc.subscribe(subject, {
        queue,
        callback: () => {
          received.set(s.name, (received.get(s.name) ?? 0) + 1);
          // Each message once for the queue group and once for the auditor.
          if (++count === total * 2) resolveAll();
        },
      });
      await raw.flush();
    };
    for (const s of billers) await subscribe(s, grouped, 'billing');
    await subscribe(auditor, everything);

    const { raw, nc } = await open(shop);
    for (const subject of subjects) for (let i = 0; i < PER_SUBJECT; i++) nc.publish(subject, `order-${i}`);
    await raw.flush();
    await allReceived;
    await sleep(300); // let process spans end and late duplicates show
    expect(count).toBe(total * 2);

    graph = await exportAndReadFlows(routes, all);
  });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
    await stopInProcessDashboard(all, dataDir);
  });

  const node = (name: string) => `destination:nats:${name}`;

  it('routes each subject to the filters that match it, and counts each message once per subscription', () => {
    const edges = edgesOfRun(graph, run);
    // The server splits the queue group's messages between its members; together they got each once.
    const [a, b] = billers.map((s) => received.get(s.name) ?? 0);
    expect(a! + b!).toBe(subjects.length * PER_SUBJECT);
    const expected = [
      ...subjects.flatMap((subject) => [
        ['publish', `service:shop-${run}`, node(subject), null, PER_SUBJECT],
        ['route', node(subject), node(grouped), null, PER_SUBJECT],
        ['route', node(subject), node(everything), null, PER_SUBJECT],
      ]),
      ['deliver', node(everything), `service:auditor-${run}`, null, subjects.length * PER_SUBJECT],
      ...billers
        .map((s) => ['deliver', node(grouped), `service:${s.name}`, 'billing', received.get(s.name) ?? 0])
        .filter((edge) => edge[4] !== 0),
    ];
    expect(edges).toEqual(expected.sort(byJson));
  });

  it('shows subjects as subjects and subscriptions as filters, the queue group once', () => {
    const roles = destinationRolesOfRun(graph, run);
    expect(roles).toEqual(
      [
        ...subjects.map((subject) => [node(subject), 'subject']),
        [node(grouped), 'filter'],
        [node(everything), 'filter'],
      ].sort(byJson),
    );
    const groups = graph.consumerGroups.filter((g) => g.destination.includes(run));
    expect(groups.map((g) => [g.name, g.destination, g.messages])).toEqual([
      ['billing', grouped, subjects.length * PER_SUBJECT],
    ]);
  });
});
