import { headers as natsHeaders } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { dryRun } from '@/lib/dlq/dry-run';
import { messageView } from '@/lib/dlq/message-view';
import {
  capturesFailureAdvisories,
  isFailureAdvisory,
  isOtherServerEvent,
  originalGoneText,
  readAdvisory,
  resolvedAdvisoryRecord,
  unresolvedAdvisoryRecord,
} from './dlq-advisories';
import { unmasked } from '@/lib/masking/testing';

const time = new Date('2026-11-21T08:00:05.000Z');
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

const maxDeliver = {
  type: 'io.nats.jetstream.advisory.v1.max_deliver',
  id: 'adv1',
  timestamp: '2026-11-21T08:00:04Z',
  stream: 'ORDERS',
  consumer: 'billing',
  stream_seq: 7,
  deliveries: 2,
};

function advisoryMsg(payload: unknown, seq = 3) {
  return {
    subject: '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.billing',
    seq,
    header: natsHeaders(),
    data: typeof payload === 'string' ? new TextEncoder().encode(payload) : encode(payload),
    time,
  };
}

describe('which JetStream streams capture failure advisories', () => {
  it.each([
    '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>',
    '$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.>',
    '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.*',
    '$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.ORDERS.billing',
    '$JS.EVENT.ADVISORY.CONSUMER.*.ORDERS.billing',
    '$JS.EVENT.ADVISORY.>',
    '$JS.EVENT.>',
    '$JS.>',
    '$JS.*.ADVISORY.CONSUMER.*.*.*',
  ])('%s captures them', (filter) => expect(capturesFailureAdvisories(filter)).toBe(true));

  it.each([
    '>', // a catch-all stream records everything: it is no DLQ
    '*.>',
    'orders.>',
    '$JS.EVENT.ADVISORY.CONSUMER.CREATED.>',
    '$JS.EVENT.ADVISORY.STREAM.>',
    '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES', // one token short
    '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS', // still short: no consumer token
    '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.billing.extra',
    '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.billing.>',
  ])('%s does not', (filter) => expect(capturesFailureAdvisories(filter)).toBe(false));

  it('tells failure advisories from the other server events such a stream may hold', () => {
    expect(isFailureAdvisory('$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.ORDERS.billing')).toBe(true);
    expect(isFailureAdvisory('$JS.EVENT.ADVISORY.CONSUMER.CREATED.ORDERS.billing')).toBe(false);
    expect(isOtherServerEvent('$JS.EVENT.ADVISORY.CONSUMER.CREATED.ORDERS.billing')).toBe(true);
    expect(isOtherServerEvent('$JS.EVENT.ADVISORY.API')).toBe(true);
    expect(isOtherServerEvent('$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.billing')).toBe(false);
    expect(isOtherServerEvent('dlq.orders')).toBe(false);
  });
});

describe('reading an advisory', () => {
  it('takes the stream, sequence, consumer and deliveries', () => {
    expect(readAdvisory(encode(maxDeliver))).toMatchObject({
      stream: 'ORDERS',
      streamSeq: 7,
      consumer: 'billing',
      deliveries: 2,
      payload: maxDeliver,
    });
  });

  it.each([
    ['not JSON', 'nope'],
    ['an array', [1]],
    ['no stream', { ...maxDeliver, stream: undefined }],
    ['a stream name that would steer the request', { ...maxDeliver, stream: 'ORDERS.>' }],
    ['no sequence', { ...maxDeliver, stream_seq: undefined }],
    ['sequence 0', { ...maxDeliver, stream_seq: 0 }],
    ['a sequence as text', { ...maxDeliver, stream_seq: '7' }],
  ])('refuses %s', (_, payload) => {
    const data = typeof payload === 'string' ? new TextEncoder().encode(payload) : encode(payload);
    expect(readAdvisory(data)).toBeNull();
  });
});

describe('an advisory as a DLQ record', () => {
  it('resolved: the failed message with its trace and body, the advisory’s reason, keyed by the advisory', () => {
    const header = natsHeaders();
    header.set('traceparent', TRACEPARENT);
    header.set('x-tenant', 'acme');
    const msg = advisoryMsg(maxDeliver, 3);
    const advisory = readAdvisory(msg.data);
    if (!advisory) throw new Error('advisory expected');
    const record = resolvedAdvisoryRecord(msg, advisory, {
      subject: 'orders.created',
      header,
      data: new TextEncoder().encode('{"id":41}'),
    });
    expect(record).toMatchObject({
      key: '3',
      headers: { traceparent: TRACEPARENT, 'x-tenant': 'acme' },
      timestamp: '2026-11-21T08:00:05.000Z',
    });
    expect(record.notReplayable).toBeUndefined();
    expect(record.body.toString()).toBe('{"id":41}');
    const view = messageView('nats', 'FAILURES', record, unmasked);
    expect(view.failure).toMatchObject({
      reason: 'delivery_limit',
      attempts: 2,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      lastFailedAt: '2026-11-21T08:00:04.000Z',
      // The subject it failed on (the default replay target) comes from the original message.
      source: { system: 'nats', destination: 'orders.created', offset: '7', consumerGroup: 'billing' },
    });
    expect(view.failure.details['nats.stream']).toBe('ORDERS');
    // The subject is for the parser only: it is not one of the message's headers.
    expect(view.headers).not.toHaveProperty('Nats-Subject');
    expect(view.body).toMatchObject({ encoding: 'json', preview: '{"id":41}' });
    expect(view.notReplayable).toBeUndefined();
  });

  it('original gone: the advisory itself, saying so, and a dry run counts it as skipped', () => {
    const msg = advisoryMsg({
      ...maxDeliver,
      type: 'io.nats.jetstream.advisory.v1.terminated',
      deliveries: 1,
    });
    const advisory = readAdvisory(msg.data);
    if (!advisory) throw new Error('advisory expected');
    const why = originalGoneText(advisory, true);
    expect(why).toMatch(/^original message no longer in stream ORDERS \(sequence 7\)/);
    expect(originalGoneText(advisory, false)).toMatch(/stream no longer exists/);
    const record = unresolvedAdvisoryRecord(msg, advisory, why);
    expect(record).toMatchObject({ key: '3', notReplayable: why });
    const view = messageView('nats', 'orders.dlq', record, unmasked);
    expect(view.notReplayable).toBe(why);
    expect(view.failure).toMatchObject({ reason: 'terminated', attempts: 1 });
    expect(JSON.parse(view.body.preview)).toMatchObject({ stream: 'ORDERS', stream_seq: 7 });
    // Even with a chosen target, there is nothing to send.
    for (const target of [null, 'orders.created'])
      expect(dryRun([view], { target, dlq: 'orders.dlq', maxReplays: 3, truncated: false })).toMatchObject({
        messages: 0,
        skipped: 1,
      });
  });

  it('an unreadable advisory is still shown, as its bytes, and is not replayable', () => {
    const msg = advisoryMsg('not json');
    const record = unresolvedAdvisoryRecord(msg, readAdvisory(msg.data), 'unreadable');
    expect(record.body.toString()).toBe('not json');
    expect(messageView('nats', 'FAILURES', record, unmasked).notReplayable).toBe('unreadable');
  });
});
