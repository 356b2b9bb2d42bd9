/*
 * The cost of the routing model in the flow graph (lib/analytics/topology/): the
 * graph built from synthetic rollup totals of a large routed system, timed with
 * and without routing destinations. The SQL behind /api/flows is timed by run.ts;
 * this times what the richer model adds after it.
 *
 *   node lib/store/testing/run-ts.mjs bench/queries/topology.ts [exchanges] [subjects]
 */
import { analyseFlows } from '@/lib/analytics/flows';
import type { RabbitTopology } from '@/lib/model/rabbitmq-topology';
import type { SeriesDims } from '@/lib/model/series';
import type { SeriesTotals } from '@/lib/store/types';

let id = 0;
const totals = (
  dims: Partial<SeriesDims> & Pick<SeriesDims, 'kind' | 'system' | 'destination' | 'service'>,
): SeriesTotals => ({
  seriesId: id++,
  dims: { source: 'metrics', consumerGroup: null, pathwayHash: null, errorType: null, ...dims },
  messages: 1000,
  errors: 1,
  latencyCount: 1000,
  latencySum: 5,
  latencyMin: 0.001,
  latencyMax: 0.2,
  buckets: [],
});

/** Per exchange: one publisher, two bound queues with a consumer each; per NATS subject: a publisher and a filter per 10 subjects. */
function system(routed: boolean): SeriesTotals[] {
  const out: SeriesTotals[] = [];
  for (let e = 0; e < exchanges; e++) {
    const published = routed ? `x${e}:key.${e}` : `q${e}`;
    out.push(totals({ kind: 'sent', system: 'rabbitmq', destination: published, service: `pub${e}` }));
    for (const q of ['a', 'b']) {
      const delivered = routed ? `${published}:q${e}${q}` : published;
      out.push(
        totals({ kind: 'delivery', system: 'rabbitmq', destination: delivered, service: `con${e}${q}` }),
      );
    }
  }
  for (let s = 0; s < subjects; s++) {
    out.push(
      totals({ kind: 'sent', system: 'nats', destination: `orders.${s % 10}.${s}`, service: `np${s}` }),
    );
    if (s % 10 === 0) {
      const filter = routed ? `orders.${(s / 10) % 10}.*` : `orders.${s % 10}.${s}`;
      out.push(totals({ kind: 'delivery', system: 'nats', destination: filter, service: `nc${s}` }));
    }
  }
  return out;
}

/** The management API's view of the routed system: each exchange's queues bound by pattern, dead-lettering to one DLX. */
function bindings(): RabbitTopology {
  const topology: RabbitTopology = {
    exchanges: [{ vhost: '/', name: 'dlx', type: 'fanout', alternateExchange: null }],
    bindings: [
      { vhost: '/', source: 'dlx', destination: 'parked', destinationType: 'queue', routingKey: '' },
    ],
    queues: [{ vhost: '/', name: 'parked', deadLetterExchange: null, deadLetterRoutingKey: null }],
  };
  for (let e = 0; e < exchanges; e++) {
    topology.exchanges.push({ vhost: '/', name: `x${e}`, type: 'topic', alternateExchange: null });
    for (const q of ['a', 'b']) {
      const queue = `q${e}${q}`;
      topology.queues.push({
        vhost: '/',
        name: queue,
        deadLetterExchange: 'dlx',
        deadLetterRoutingKey: null,
      });
      topology.bindings.push({
        vhost: '/',
        source: `x${e}`,
        destination: queue,
        destinationType: 'queue',
        routingKey: 'key.*',
      });
    }
  }
  return topology;
}

const range = { from: '1h', to: 'now', fromUs: 0, toUs: 3_600_000_000 };
function time(label: string, input: SeriesTotals[], rabbit: RabbitTopology | null = null) {
  for (let i = 0; i < 5; i++) analyseFlows(range, input, rabbit);
  const runs: number[] = [];
  let edges = 0;
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    edges = analyseFlows(range, input, rabbit).graph.edges.length;
    runs.push(performance.now() - start);
  }
  runs.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(34)} ${String(input.length).padStart(6)} series ${String(edges).padStart(6)} edges  p50 ${runs[15]!.toFixed(1)} ms  p95 ${runs[28]!.toFixed(1)} ms`,
  );
}

let exchanges = 500;
let subjects = 500;

export function main(exchangeCount = '500', subjectCount = '500') {
  exchanges = Number(exchangeCount);
  subjects = Number(subjectCount);
  time('names only (no routes)', system(false));
  time('exchanges and wildcard filters', system(true));
  time('… and RabbitMQ bindings', system(true), bindings());
}
