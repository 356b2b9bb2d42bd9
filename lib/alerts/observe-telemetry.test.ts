import { describe, expect, it } from 'vitest';
import type { FlowEdge, FlowGraph } from '@/lib/analytics/flows';
import type { TimeRange } from '@/lib/analytics/time-range';
import { observeTelemetry } from './observe-telemetry';
import { alertRule } from './rule';

const NOW = Date.UTC(2026, 11, 5, 5, 0, 0);
const node = (id: string, kind: 'service' | 'destination', name: string) =>
  ({
    id,
    kind,
    name,
    label: name,
    system: kind === 'destination' ? 'kafka' : null,
    role: null,
  }) as FlowGraph['nodes'][number];
const edge = (id: string, messages: number, errors: number, group: string | null = 'billing') =>
  ({
    id,
    source: 'dst:orders',
    target: 'svc:billing',
    kind: 'deliver',
    system: 'kafka',
    consumerGroup: group,
    messages,
    errors,
  }) as FlowEdge;
const graph = (edges: FlowEdge[]): FlowGraph => ({
  from: '',
  to: '',
  nodes: [node('dst:orders', 'destination', 'orders'), node('svc:billing', 'service', 'billing')],
  edges,
  consumerGroups: [],
});

/** A reader whose flows depend on the window asked for: traffic before `silentSinceMs`, none after. */
function reader(byWindow: (range: TimeRange) => FlowGraph) {
  return {
    latency: () => Promise.reject(new Error('unused')),
    flows: (range: TimeRange) => Promise.resolve(byWindow(range)),
  };
}

describe('rules on the store figures', () => {
  it('error-ratio: breaches above the ratio, never below minMessages', async () => {
    const rule = alertRule({
      id: 'errors',
      name: 'Errors',
      kind: 'error-ratio',
      threshold: 0.05,
      scope: { system: 'kafka', destination: 'orders', group: null },
    });
    const seen = (messages: number, errors: number) =>
      observeTelemetry(
        rule,
        reader(() => graph([edge('orders->billing', messages, errors)])),
        NOW,
      );
    expect(await seen(100, 6)).toMatchObject([
      { breaching: true, value: '6.0 % of 100 messages', href: '/flows?from=300s&edge=orders-%3Ebilling' },
    ]);
    expect(await seen(100, 5)).toMatchObject([{ breaching: false }]);
    expect(await seen(4, 4)).toMatchObject([{ breaching: false, value: '100.0 % of 4 messages' }]);
    // Out of scope: another destination's pattern.
    const elsewhere = alertRule({ ...rule, scope: { system: null, destination: 'payments.*', group: null } });
    expect(
      await observeTelemetry(
        elsewhere,
        reader(() => graph([edge('orders->billing', 100, 50)])),
        NOW,
      ),
    ).toEqual([]);
  });

  it('no-traffic: an edge busy in the hour before the window and silent within it breaches', async () => {
    const rule = alertRule({ id: 'quiet', name: 'Publisher died', kind: 'no-traffic', windowSeconds: 600 });
    const windowStartUs = (NOW - 600_000) * 1000;
    const silent = reader((range) => graph(range.toUs <= windowStartUs ? [edge('a', 50, 0)] : []));
    expect(await observeTelemetry(rule, silent, NOW)).toMatchObject([
      { subject: 'a', breaching: true, value: 'silent for 600 s' },
    ]);
    const busy = reader(() => graph([edge('a', 50, 0)]));
    expect(await observeTelemetry(rule, busy, NOW)).toMatchObject([
      { subject: 'a', breaching: false, value: '50 messages' },
    ]);
    // An edge that never had traffic is not "gone silent".
    expect(
      await observeTelemetry(
        rule,
        reader(() => graph([])),
        NOW,
      ),
    ).toEqual([]);
  });

  it('unroutable: an exchange published to that no binding routes from breaches; a routed one does not', async () => {
    const rule = alertRule({
      id: 'lost',
      name: 'Messages lost',
      kind: 'unroutable',
      scope: { system: 'rabbitmq', destination: null, group: null },
    });
    const exchange = (unroutable?: string) =>
      ({
        ...node('dst:billing-events', 'destination', 'billing-events'),
        system: 'rabbitmq',
        ...(unroutable && { unroutable }),
      }) as FlowGraph['nodes'][number];
    const published = {
      ...edge('svc->x', 12, 0, null),
      source: 'svc:billing',
      target: 'dst:billing-events',
      kind: 'publish',
      system: 'rabbitmq',
    } as FlowEdge;
    const seen = (n: FlowGraph['nodes'][number]) =>
      observeTelemetry(
        rule,
        reader(() => ({ ...graph([published]), nodes: [n] })),
        NOW,
      );
    expect(await seen(exchange('no binding matches routing key receipt.refund'))).toMatchObject([
      {
        subject: 'dst:billing-events',
        breaching: true,
        value: '12 messages: no binding matches routing key receipt.refund',
      },
    ]);
    expect(await seen(exchange())).toMatchObject([{ breaching: false, value: '12 messages, routed' }]);
  });
});
