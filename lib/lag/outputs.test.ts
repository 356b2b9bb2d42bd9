import { describe, expect, it } from 'vitest';
import { lagByFlowEdge } from './flows';
import { lagHotSpots } from './hotspots';
import { lagMetrics } from './prometheus';
import type { GroupLag, LagSnapshot } from './types';

function group(overrides: Partial<GroupLag>): GroupLag {
  return {
    system: 'kafka',
    group: 'billing',
    destination: 'orders',
    broker: '127.0.0.1:9092',
    lagMessages: 0,
    lagSeconds: 0,
    lagSecondsSource: 'none',
    status: 'OK',
    statusReason: 'caught up',
    trend: { direction: 'flat', messagesPerSecond: 0 },
    etaSeconds: 0,
    consumers: 1,
    details: {},
    partitions: [],
    readAt: '2026-11-21T00:00:00.000Z',
    ...overrides,
  };
}

const snapshot: LagSnapshot = {
  generatedAt: '2026-11-21T00:00:00.000Z',
  groups: [
    group({}),
    group({
      group: 'au"dit',
      lagMessages: 120,
      lagSeconds: 42.5,
      status: 'WARN',
      trend: { direction: 'growing', messagesPerSecond: 1.5 },
      etaSeconds: null,
      partitions: [
        {
          partition: '0',
          lagMessages: 120,
          lagSeconds: 42.5,
          lagSecondsSource: 'pathway',
          position: 1,
          endPosition: 121,
          status: 'WARN',
        },
      ],
    }),
    group({
      system: 'rabbitmq',
      group: 'payments',
      destination: 'payments',
      lagSeconds: null,
      lagMessages: 3,
    }),
  ],
  brokers: [
    {
      system: 'kafka',
      address: '127.0.0.1:9092',
      reachable: true,
      error: null,
      lastPollAt: null,
      lastSuccessAt: null,
    },
    {
      system: 'nats',
      address: 'nats://x:4222',
      reachable: false,
      error: 'refused',
      lastPollAt: null,
      lastSuccessAt: null,
    },
  ],
};

describe('lagMetrics', () => {
  const text = lagMetrics(snapshot);

  it('writes gauges per partition and group, escaping label values', () => {
    expect(text).toContain('# TYPE signalbox_consumer_lag_messages gauge');
    expect(text).toContain(
      'signalbox_consumer_lag_messages{system="kafka",destination="orders",group="au\\"dit",partition="0"} 120',
    );
    expect(text).toContain(
      'signalbox_consumer_group_lag_seconds{system="kafka",destination="orders",group="au\\"dit"} 42.5',
    );
    expect(text).toContain(
      'signalbox_consumer_group_status{system="kafka",destination="orders",group="au\\"dit",status="WARN"} 1',
    );
    expect(text).toContain(
      'signalbox_consumer_group_status{system="kafka",destination="orders",group="au\\"dit",status="OK"} 0',
    );
    expect(text).toContain(
      'signalbox_consumer_group_status_severity{system="kafka",destination="orders",group="au\\"dit"} 1',
    );
    expect(text).toContain('signalbox_broker_up{system="nats",address="nats://x:4222"} 0');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('leaves unknown values out instead of inventing them', () => {
    expect(text).not.toContain('group_lag_seconds{system="rabbitmq"');
    expect(text).not.toContain('eta_seconds{system="kafka",destination="orders",group="au\\"dit"}');
    expect(text).not.toMatch(/NaN|null|undefined/);
  });
});

describe('lagByFlowEdge', () => {
  const graph = {
    nodes: [
      { id: 'destination:kafka:orders', name: 'orders' },
      { id: 'destination:rabbitmq:payments', name: 'payments' },
      { id: 'service:billing', name: 'billing' },
    ],
    edges: [
      {
        id: 'd1',
        source: 'destination:kafka:orders',
        latencyKind: 'delivery' as const,
        system: 'kafka',
        consumerGroup: 'au"dit',
      },
      {
        id: 'd2',
        source: 'destination:kafka:orders',
        latencyKind: 'delivery' as const,
        system: 'kafka',
        consumerGroup: null,
      },
      {
        id: 'd3',
        source: 'destination:rabbitmq:payments',
        latencyKind: 'delivery' as const,
        system: 'rabbitmq',
        consumerGroup: null,
      },
      {
        id: 'p1',
        source: 'service:billing',
        latencyKind: 'publish' as const,
        system: 'kafka',
        consumerGroup: null,
      },
    ],
  };

  it('matches by consumer group, by queue, and not when it is ambiguous', () => {
    const lag = lagByFlowEdge(graph, snapshot);
    expect(lag.get('d1')).toMatchObject({ group: 'au"dit', status: 'WARN', lagMessages: 120 });
    expect(lag.get('d1')?.href).toBe('/lag?system=kafka&destination=orders&group=au%22dit');
    // Two groups on orders and no group on the edge: no guess.
    expect(lag.has('d2')).toBe(false);
    expect(lag.get('d3')).toMatchObject({ group: 'payments', lagMessages: 3 });
    expect(lag.has('p1')).toBe(false);
  });
});

it('lagHotSpots lists groups needing a look and brokers that are down', () => {
  const spots = lagHotSpots(snapshot);
  expect(spots.groups.map((g) => g.group)).toEqual(['au"dit']);
  expect(spots.unreachable.map((b) => b.system)).toEqual(['nats']);
});
