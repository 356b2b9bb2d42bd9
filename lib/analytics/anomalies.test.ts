import { describe, expect, it } from 'vitest';
import type { ProcessRow, SeriesTotals } from '@/lib/store/types';
import { detectAnomalies } from './anomalies';

let n = 0;
function row(over: Partial<ProcessRow>): ProcessRow {
  n++;
  return {
    traceId: `t${n}`,
    spanId: `s${n}`,
    service: 'billing',
    consumerGroup: 'billing',
    system: 'kafka',
    destination: 'orders',
    startUs: n * 1000,
    messageId: null,
    partition: null,
    offset: null,
    routingKey: null,
    deliveryAttempt: null,
    sentUs: null,
    failed: false,
    ...over,
  };
}

describe('detectAnomalies', () => {
  it('reports a message processed successfully twice by the same group as a duplicate, not across groups', () => {
    const rows = [
      row({ messageId: 'm1' }),
      row({ messageId: 'm1' }),
      row({ messageId: 'm1', consumerGroup: 'audit', service: 'audit' }),
      row({ messageId: 'm2', failed: true }),
      row({ messageId: 'm2' }),
    ];
    const { duplicates } = detectAnomalies(rows, []);
    expect(duplicates).toEqual([
      expect.objectContaining({ message: 'm1', processed: 2, consumerGroup: 'billing' }),
    ]);
  });

  it('finds lower offsets processed after higher ones per partition, and earlier sends after later ones per key', () => {
    const rows = [
      row({ partition: '0', offset: 1 }),
      row({ partition: '0', offset: 3 }),
      row({ partition: '0', offset: 2 }),
      row({ partition: '1', offset: 1 }),
      row({ partition: '0', offset: 3 }), // a redelivery of 3: not disorder
      row({ routingKey: 'k', sentUs: 10 }),
      row({ routingKey: 'k', sentUs: 5 }),
    ];
    const { outOfOrder } = detectAnomalies(rows, []);
    expect(outOfOrder.map((o) => [o.scope, o.key, o.count])).toEqual(
      expect.arrayContaining([
        ['partition', '0', 1],
        ['key', 'k', 1],
      ]),
    );
    expect(outOfOrder).toHaveLength(2);
  });

  it('counts retries per consumer and prefers the redeliveries counter when metrics have it', () => {
    const rows = [
      row({ messageId: 'a', failed: true }),
      row({ messageId: 'a', deliveryAttempt: 2 }),
      row({ messageId: 'b' }),
    ];
    const counter = {
      seriesId: 1,
      dims: {
        kind: 'redelivery',
        source: 'metrics',
        service: 'billing',
        system: 'kafka',
        destination: 'orders',
        consumerGroup: 'billing',
        pathwayHash: null,
        errorType: null,
      },
      messages: 7,
    } as SeriesTotals;
    const [spansOnly] = detectAnomalies(rows, []).retries;
    expect(spansOnly).toMatchObject({
      attempts: 3,
      messages: 2,
      retries: 1,
      failedAttempts: 1,
      redeliveries: 1,
      redeliveriesSource: 'spans',
    });
    expect(detectAnomalies(rows, [counter]).retries[0]).toMatchObject({
      redeliveries: 7,
      redeliveriesSource: 'metrics',
    });
  });
});
