import { headers as natsHeaders } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { natsHeaderRecord, publishHeaders, storedMessageRecord } from './dlq-records';

const time = new Date('2026-11-21T08:00:00.000Z');

describe('JetStream messages as DLQ records', () => {
  it('keys by stream sequence; repeated headers stay arrays in order', () => {
    const header = natsHeaders();
    header.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    header.append('x-hop', 'a');
    header.append('x-hop', 'b');
    const record = storedMessageRecord({
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
