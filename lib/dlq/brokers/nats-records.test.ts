import { headers as natsHeaders } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { messageView } from '../message-view';
import { natsHeaderRecord, publishHeaders, storedMessageRecord } from './nats-records';

const time = new Date('2026-11-21T08:00:00.000Z');

describe('JetStream messages as DLQ records', () => {
  it('keys by stream sequence; repeated headers stay arrays in order', () => {
    const header = natsHeaders();
    header.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    header.append('x-hop', 'a');
    header.append('x-hop', 'b');
    const record = storedMessageRecord({
      subject: 'dlq.orders',
      seq: 42,
      header,
      data: new TextEncoder().encode('{"id":1}'),
      time,
    });
    expect(record).toMatchObject({
      key: '42',
      headers: {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-hop': ['a', 'b'],
      },
      messageKey: null,
      timestamp: '2026-11-21T08:00:00.000Z',
    });
    expect(record.body.toString()).toBe('{"id":1}');
    expect(record.parseExtras).toBeUndefined();
    expect(natsHeaderRecord(undefined)).toEqual({});
  });

  it('reads a max-deliveries advisory captured by a stream as the failure', () => {
    const advisory = {
      type: 'io.nats.jetstream.advisory.v1.max_deliver',
      id: 'adv1',
      timestamp: '2026-11-21T08:00:00Z',
      stream: 'ORDERS',
      consumer: 'billing',
      stream_seq: 7,
      deliveries: 5,
    };
    const record = storedMessageRecord({
      subject: '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.billing',
      seq: 3,
      header: natsHeaders(),
      data: new TextEncoder().encode(JSON.stringify(advisory)),
      time,
    });
    expect(messageView('nats', 'ADVISORIES', record).failure).toMatchObject({
      reason: 'delivery_limit',
      attempts: 5,
      source: { system: 'nats', offset: '7', consumerGroup: 'billing' },
    });
  });
});

describe('headers of a replayed JetStream copy', () => {
  it('leaves out server-interpreted Nats-* headers, in any case', () => {
    const h = publishHeaders({
      'Nats-Msg-Id': 'old',
      'nats-expected-stream': 'X',
      'NATS-Rollup': 'all',
      traceparent: 'tp',
      'signalbox-replay-id': 'r1',
    });
    expect(h.keys().sort()).toEqual(['signalbox-replay-id', 'traceparent']);
    expect(h.get('signalbox-replay-id')).toBe('r1');
  });
});
