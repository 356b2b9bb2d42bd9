import type { IngestStats } from '@/lib/ingest/ingest-stats';
import type { SeriesDims, SeriesKind } from '@/lib/model/series';
import { EXPOSITION_BOUNDS } from '@/lib/store/live-counters';
import type { LiveTotals, StoreStats } from '@/lib/store/types';

/**
 * GET /metrics in the Prometheus text format (version 0.0.4). Counters and
 * histograms count since the dashboard process started (a restart is a
 * counter reset, which rate() handles). Labels: `kind` (publish = a service
 * sending; delivery = send → processing start, or receive start for consumers
 * that report only receive spans), `source` (spans or metrics), service,
 * system, destination, consumer_group.
 */

type Labels = Record<string, string>;

interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  samples: Map<string, { labels: Labels; value: number; buckets?: number[]; sum?: number }>;
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
};
const number = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

class Registry {
  private readonly families = new Map<string, Family>();

  family(name: string, type: Family['type'], help: string): Family {
    let f = this.families.get(name);
    if (!f) {
      f = { name, type, help, samples: new Map() };
      this.families.set(name, f);
    }
    return f;
  }

  add(name: string, type: 'counter' | 'gauge', help: string, labels: Labels, value: number): void {
    const f = this.family(name, type, help);
    const k = labelText(labels);
    const s = f.samples.get(k);
    if (s) s.value += value;
    else f.samples.set(k, { labels, value });
  }

  addHistogram(name: string, help: string, labels: Labels, buckets: number[], sum: number): void {
    const f = this.family(name, 'histogram', help);
    const k = labelText(labels);
    const s = f.samples.get(k);
    if (s && s.buckets) {
      buckets.forEach((c, i) => (s.buckets![i]! += c));
      s.sum! += sum;
    } else f.samples.set(k, { labels, value: 0, buckets: [...buckets], sum });
  }

  render(): string {
    const lines: string[] = [];
    for (const f of this.families.values()) {
      lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
      for (const s of f.samples.values()) {
        if (f.type !== 'histogram') {
          lines.push(`${f.name}${labelText(s.labels)} ${number(s.value)}`);
          continue;
        }
        let cumulative = 0;
        s.buckets!.forEach((count, i) => {
          cumulative += count;
          const le = i < EXPOSITION_BOUNDS.length ? String(EXPOSITION_BOUNDS[i]) : '+Inf';
          lines.push(`${f.name}_bucket${labelText({ ...s.labels, le })} ${cumulative}`);
        });
        lines.push(`${f.name}_sum${labelText(s.labels)} ${number(s.sum!)}`);
        lines.push(`${f.name}_count${labelText(s.labels)} ${cumulative}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

const MESSAGE_KINDS: Partial<Record<SeriesKind, string>> = {
  publish: 'publish',
  sent: 'publish',
  delivery: 'delivery',
  consumed: 'delivery',
  receive: 'delivery',
};
const EDGE_LATENCY: [string, string] = [
  'signalbox_edge_latency_seconds',
  'Per-edge latency: publish = send duration, delivery = send to processing start (receive start for consumers reporting only receive spans).',
];
const LATENCY_FAMILIES: Partial<Record<SeriesKind, [string, string]>> = {
  publish: EDGE_LATENCY,
  delivery: EDGE_LATENCY,
  receive: EDGE_LATENCY,
  process: ['signalbox_process_duration_seconds', 'Time consumers spend processing a message.'],
  pathway: [
    'signalbox_pathway_latency_seconds',
    'End-to-end latency from the origin send to processing start at the final consumer.',
  ],
};

const consumerKey = (d: SeriesDims) => JSON.stringify([d.service, d.system, d.destination, d.consumerGroup]);

/**
 * Consumers that report process spans: their receive spans count the same messages again, so they are
 * left out, as on the Flows graph (edge-figures.ts), and each delivery edge is exposed once.
 */
function consumersWithProcessSpans(totals: readonly LiveTotals[]): Set<string> {
  const out = new Set<string>();
  for (const t of totals) {
    if (t.dims.kind === 'delivery' && t.dims.source === 'spans' && t.messages > 0)
      out.add(consumerKey(t.dims));
  }
  return out;
}

export function renderPrometheus(
  totals: readonly LiveTotals[],
  ingest: IngestStats,
  store: StoreStats,
): string {
  const r = new Registry();
  const processing = consumersWithProcessSpans(totals);
  for (const t of totals) {
    const d = t.dims;
    if (d.kind === 'receive' && processing.has(consumerKey(d))) continue;
    const edge: Labels = {
      source: d.source,
      service: d.service,
      system: d.system,
      destination: d.destination,
      consumer_group: d.consumerGroup ?? '',
    };
    const kind = MESSAGE_KINDS[d.kind];
    // Counters and histograms of the same edge from both SDK conventions would double count: the sent
    // counter per pathway (pathway.sent) is left to the pathway family below.
    if (kind && !(d.kind === 'sent' && d.pathwayHash !== null)) {
      r.add('signalbox_messages_total', 'counter', 'Messages per flow edge.', { kind, ...edge }, t.messages);
      r.add(
        'signalbox_errors_total',
        'counter',
        'Failed sends or processing per flow edge.',
        { kind, ...edge },
        t.errors,
      );
    }
    const latency = LATENCY_FAMILIES[d.kind];
    const counted = t.bucketCounts.reduce((a, b) => a + b, 0);
    if (latency && counted > 0) {
      const labels =
        d.kind === 'pathway'
          ? { pathway_hash: d.pathwayHash ?? '', ...edge }
          : d.kind === 'process'
            ? edge
            : { kind: kind ?? d.kind, ...edge };
      r.addHistogram(latency[0], latency[1], labels, t.bucketCounts, t.latencySum);
    }
    if (d.kind === 'redelivery')
      r.add(
        'signalbox_redeliveries_total',
        'counter',
        'Deliveries the broker marked as redelivered.',
        edge,
        t.messages,
      );
    if (d.kind === 'dead_letter') {
      r.add(
        'signalbox_dead_letters_total',
        'counter',
        'Messages sent to a dead-letter queue.',
        { ...edge, error_type: d.errorType ?? '' },
        t.messages,
      );
    }
  }
  for (const [k, n] of Object.entries(ingest.requests)) {
    const [signal, code] = k.split(':');
    r.add(
      'signalbox_ingest_requests_total',
      'counter',
      'OTLP export requests by signal and HTTP status.',
      { signal: signal!, code: code! },
      n,
    );
  }
  r.add(
    'signalbox_ingest_spans_received_total',
    'counter',
    'Spans decoded from OTLP exports.',
    {},
    ingest.spansReceived,
  );
  r.add('signalbox_ingest_spans_stored_total', 'counter', 'Messaging spans stored.', {}, ingest.spansStored);
  r.add(
    'signalbox_ingest_points_received_total',
    'counter',
    'Metric points decoded from OTLP exports.',
    {},
    ingest.pointsReceived,
  );
  r.add(
    'signalbox_ingest_points_stored_total',
    'counter',
    'Messaging metric points stored.',
    {},
    ingest.pointsStored,
  );
  r.add(
    'signalbox_ingest_queue_rows',
    'gauge',
    'Rows accepted and waiting for the writer.',
    {},
    store.queuedRows,
  );
  r.add(
    'signalbox_store_pending_deliveries',
    'gauge',
    'Deliveries waiting for their send span.',
    {},
    store.pendingDeliveries,
  );
  r.add('signalbox_store_bytes', 'gauge', 'Bytes the store database uses.', {}, store.databaseBytes);
  r.add('signalbox_store_messaging_spans', 'gauge', 'Messaging spans stored.', {}, store.messagingSpans);
  return r.render();
}
