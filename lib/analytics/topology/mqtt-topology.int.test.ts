import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { instrumentMqttClient } from '@signalbox/instrumentation';
import mqtt, { type MqttClient } from 'mqtt';
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
  tempDataDir,
} from '@/lib/testing/in-process-dashboard';
import { tracedService as service } from '@/lib/testing/traced-service';

// A publisher sends to sensors/<run>/temp on Mosquitto (MQTT 5). Two services
// share the subscription $share/g/sensors/<run>/+ (the broker hands each
// message to one of them) and a third subscribes plainly to sensors/<run>/#.
// Spans and metrics go through the dashboard's OTLP routes.
const gate = await brokerGate('mqtt');
const dataDir = tempDataDir('signalbox-mqtt-topology-');
const MESSAGES = 8;

describe.skipIf(gate.skip)(
  'MQTT shared subscriptions on the flow graph (real broker, our instrumentation)',
  () => {
    const run = randomUUID().slice(0, 8);
    const topic = `sensors/${run}/temp`;
    const shared = `sensors/${run}/+`;
    const plain = `sensors/${run}/#`;
    const publisher = service(`sensor-${run}`);
    const sharers = [service(`sharer-a-${run}`), service(`sharer-b-${run}`)];
    const logger = service(`logger-${run}`);
    const all = [publisher, ...sharers, logger];
    const received = new Map<string, number>();
    const clients: MqttClient[] = [];
    let graph: FlowGraph;

    beforeAll(async () => {
      const routes = await startInProcessDashboard();
      const open = async (s: ReturnType<typeof service>) => {
        const client = await mqtt.connectAsync(`mqtt://${BROKERS.mqtt.host}:${BROKERS.mqtt.port}`, {
          protocolVersion: 5,
          clean: true,
        });
        clients.push(client);
        return instrumentMqttClient(client, s.options);
      };
      let total = 0;
      let resolveAll: () => void;
      const allReceived = new Promise<void>((resolve) => (resolveAll = resolve));
      const subscribe = async (s: ReturnType<typeof service>, filter: string) => {
        const client = await open(s);
        client.on('message', () => {
          received.set(s.name, (received.get(s.name) ?? 0) + 1);
          // Once per message for the shared group, once more for the plain subscriber.
          if (++total === MESSAGES * 2) resolveAll();
        });
        await client.subscribeAsync(filter, { qos: 1 });
      };
      for (const s of sharers) await subscribe(s, `$share/g/${shared}`);
      await subscribe(logger, plain);

      const sender = await open(publisher);
      for (let i = 0; i < MESSAGES; i++) await sender.publishAsync(topic, `${20 + i}`, { qos: 1 });
      await allReceived;
      await sleep(300); // let process spans end and late duplicates show
      expect(total).toBe(MESSAGES * 2);

      graph = await exportAndReadFlows(routes, all);
    });

    afterAll(async () => {
      await Promise.all(clients.map((client) => client.endAsync()));
      await stopInProcessDashboard(all, dataDir);
    });

    const node = (name: string) => `destination:mqtt:${name}`;

    it('routes the topic to both filters and counts each message once per subscription', () => {
      const edges = edgesOfRun(graph, run);
      // The broker splits the shared group's messages between its members; together they got each once.
      const [a, b] = sharers.map((s) => received.get(s.name) ?? 0);
      expect(a! + b!).toBe(MESSAGES);
      const expected = [
        ['publish', `service:sensor-${run}`, node(topic), null, MESSAGES],
        ['route', node(topic), node(shared), null, MESSAGES],
        ['route', node(topic), node(plain), null, MESSAGES],
        ['deliver', node(plain), `service:logger-${run}`, null, MESSAGES],
        ...sharers
          .map((s) => ['deliver', node(shared), `service:${s.name}`, 'g', received.get(s.name) ?? 0])
          .filter((edge) => edge[4] !== 0),
      ];
      expect(edges).toEqual(expected.sort(byJson));
    });

    it('shows the topic as a topic and both subscriptions as filters, the group once', () => {
      const roles = destinationRolesOfRun(graph, run);
      expect(roles).toEqual(
        [
          [node(topic), 'topic'],
          [node(shared), 'filter'],
          [node(plain), 'filter'],
        ].sort(byJson),
      );
      const groups = graph.consumerGroups.filter((g) => g.destination.includes(run));
      expect(groups.map((g) => [g.name, g.destination, g.messages])).toEqual([['g', shared, MESSAGES]]);
    });
  },
);
