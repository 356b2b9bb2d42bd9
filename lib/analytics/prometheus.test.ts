import { describe, expect, it } from 'vitest';
import { EXPOSITION_BOUNDS } from '@/lib/store/live-counters';
import type { LiveTotals } from '@/lib/store/types';
import { renderPrometheus } from './prometheus';

const buckets = (counts: Record<number, number>) =>
  Array.from({ length: EXPOSITION_BOUNDS.length + 1 }, (_, i) => counts[i] ?? 0);

function totals(
  kind: LiveTotals['dims']['kind'],
  over: Partial<LiveTotals> = {},
  destination = 'orders',
): LiveTotals {
  return {
    seriesId: 1,
    dims: {
      kind,
      source: 'spans',
      service: 'billing',
      system: 'kafka',
      destination,
      consumerGroup: 'g',
      pathwayHash: null,
      errorType: null,
    },
    messages: 0,
    errors: 0,
    latencyCount: 0,
    latencySum: 0,
    bucketCounts: buckets({}),
    ...over,
  };
}

const stats = { messagingSpans: 3, queuedRows: 0, pendingDeliveries: 0, databaseBytes: 1024 };
const ingest = {
  requests: { 'traces:200': 4, 'traces:400': 1 },
  spansReceived: 9,
  spansStored: 3,
  pointsReceived: 0,
  pointsStored: 0,
};

describe('renderPrometheus', () => {
  const text = renderPrometheus(
    [
      totals('delivery', {
        messages: 5,
        errors: 1,
        latencyCount: 5,
        latencySum: 0.05,
        bucketCounts: buckets({ 3: 4, 20: 1 }),
      }),
      totals('delivery', { messages: 1, latencyCount: 1, latencySum: 0.01, bucketCounts: buckets({ 3: 1 }) }),
      totals('publish', { messages: 2 }, 'quote"d\\dest'),
    ],
    ingest,
    stats,
  );

  it('writes cumulative buckets, _sum and _count, merging series with the same labels', () => {
    const labels =
      'kind="delivery",source="spans",service="billing",system="kafka",destination="orders",consumer_group="g"';
    expect(text).toContain(`signalbox_messages_total{${labels}} 6`);
    expect(text).toContain(`signalbox_errors_total{${labels}} 1`);
    expect(text).toContain(`signalbox_edge_latency_seconds_bucket{${labels},le="0.005"} 0`);
    expect(text).toContain(`signalbox_edge_latency_seconds_bucket{${labels},le="0.01"} 5`);
    expect(text).toContain(`signalbox_edge_latency_seconds_bucket{${labels},le="+Inf"} 6`);
    expect(text).toContain(`signalbox_edge_latency_seconds_count{${labels}} 6`);
    expect(text).toContain('# TYPE signalbox_edge_latency_seconds histogram');
  });

  it('escapes label values and reports ingest health', () => {
    expect(text).toContain('destination="quote\\"d\\\\dest"');
    expect(text).toContain('signalbox_ingest_requests_total{signal="traces",code="400"} 1');
    expect(text).toContain('signalbox_store_bytes 1024');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('exposes receive-only consumers as delivery edges, and never adds receives to process spans', () => {
    const receiveOnly = totals('receive', {
      messages: 3,
      latencyCount: 1,
      latencySum: 0.02,
      bucketCounts: buckets({ 4: 1 }),
    });
    const both = [
      totals('delivery', { messages: 3, latencyCount: 3, latencySum: 0.03, bucketCounts: buckets({ 3: 3 }) }),
      totals('receive', { messages: 3, latencyCount: 1, latencySum: 0.005, bucketCounts: buckets({ 2: 1 }) }),
    ];
    const labels =
      'kind="delivery",source="spans",service="billing",system="kafka",destination="orders",consumer_group="g"';
    const alone = renderPrometheus([receiveOnly], ingest, stats);
    expect(alone).toContain(`signalbox_messages_total{${labels}} 3`);
    expect(alone).toContain(`signalbox_edge_latency_seconds_bucket{${labels},le="0.01"} 0`);
    expect(alone).toContain(`signalbox_edge_latency_seconds_bucket{${labels},le="0.025"} 1`);
    expect(alone).not.toContain('kind="receive"');
    const together = renderPrometheus(both, ingest, stats);
    expect(together).toContain(`signalbox_messages_total{${labels}} 3`);
    expect(together).toContain(`signalbox_edge_latency_seconds_count{${labels}} 3`);
    expect(together).toContain(`signalbox_edge_latency_seconds_bucket{${labels},le="0.005"} 0`);
  });
});
