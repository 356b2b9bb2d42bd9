import { describe, expect, it } from 'vitest';
import type { ProcessRow, SeriesTotals } from '@/lib/store/types';
import { detectAnomalies, timeoutReason } from './anomalies';

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
    errorType: null,
    statusMessage: null,
    durationUs: 500,
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

  it('reports processing that ended by a deadline as a timeout, newest first, and other failures not', () => {
    const rows = [
      row({ messageId: 'old', failed: true, errorType: 'TimeoutError', durationUs: 30_000_000 }),
      row({ messageId: 'boom', failed: true, errorType: 'TypeError', statusMessage: 'x is undefined' }),
      row({ messageId: 'grpc', failed: true, errorType: null, statusMessage: 'DEADLINE_EXCEEDED: call' }),
      row({ messageId: 'ok', errorType: null, statusMessage: 'timed out once, then fine' }),
    ];
    const { timeouts } = detectAnomalies(rows, []);
    expect(timeouts.map((t) => [t.message, t.reason])).toEqual([
      ['grpc', 'DEADLINE_EXCEEDED: call'],
      ['old', 'TimeoutError'],
    ]);
    expect(detectAnomalies(rows, []).timeoutsTotal).toBe(2);
    expect(timeouts[1]).toMatchObject({ durationUs: 30_000_000, consumerGroup: 'billing' });
  });

  it.each([
    ['TimeoutError', null, true],
    ['ETIMEDOUT', null, true],
    [null, 'context deadline exceeded', true],
    ['java.util.concurrent.TimeoutException', null, true],
    [null, 'The operation timed out', true],
    ['ValidationError', 'amount must be positive', false],
    [null, null, false],
  ])('timeoutReason(%s, %s) → %s', (errorType, statusMessage, isTimeout) => {
    expect(timeoutReason({ failed: true, errorType, statusMessage }) !== null).toBe(isTimeout);
  });
});
