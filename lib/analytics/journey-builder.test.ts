import { describe, expect, it } from 'vitest';
import type { StoredLink, StoredSpan } from '@/lib/store/types';
import { buildJourney } from './journey-builder';
import { DEFAULT_MASKING, Masker } from '@/lib/masking';
import { unmasked } from '@/lib/masking/testing';

const T = 1_800_000_000_000_000;
function span(
  over: Partial<StoredSpan> & Pick<StoredSpan, 'traceId' | 'spanId' | 'operationType'>,
): StoredSpan {
  return {
    parentSpanId: null,
    service: 'svc',
    name: 'x',
    kind: 0,
    system: 'rabbitmq',
    operationName: over.operationType,
    destination: 'orders',
    consumerGroup: null,
    statusCode: 0,
    statusMessage: null,
    errorType: null,
    deadLetter: false,
    startUs: T,
    durationUs: 1000,
    messageId: 'm-1',
    conversationId: null,
    partition: null,
    offset: null,
    routingKey: null,
    deliveryAttempt: null,
    replayId: null,
    links: [],
    attributes: Buffer.from('{"k":"v"}'),
    ...over,
  };
}

describe('buildJourney', () => {
  // checkout sends; billing fails once, is redelivered, then dead-letters it; a replay later succeeds.
  const send = span({
    traceId: 'a'.repeat(32),
    spanId: '1'.repeat(16),
    operationType: 'send',
    service: 'checkout',
  });
  const first = span({
    traceId: 'b'.repeat(32),
    spanId: '2'.repeat(16),
    operationType: 'process',
    service: 'billing',
    startUs: T + 5000,
    statusCode: 2,
    errorType: 'Timeout',
    statusMessage: 'db down',
  });
  const second = span({
    traceId: 'c'.repeat(32),
    spanId: '3'.repeat(16),
    operationType: 'process',
    service: 'billing',
    startUs: T + 9000,
    deliveryAttempt: 2,
    statusCode: 2,
  });
  const toDlq = span({
    traceId: 'c'.repeat(32),
    spanId: '4'.repeat(16),
    parentSpanId: '3'.repeat(16),
    operationType: 'send',
    service: 'billing',
    destination: 'orders.dlq',
    deadLetter: true,
    startUs: T + 9500,
  });
  const replay = span({
    traceId: 'd'.repeat(32),
    spanId: '5'.repeat(16),
    operationType: 'send',
    service: 'signalbox',
    replayId: 'r-1',
    startUs: T + 60_000_000,
    attributes: Buffer.from(
      JSON.stringify({
        'signalbox.replay.id': 'r-1',
        'signalbox.replay.dlq': 'orders.dlq',
        'signalbox.replay.job_id': 'job-7',
        'signalbox.replay.actor': 'alice',
      }),
    ),
  });
  const replayed = span({
    traceId: 'e'.repeat(32),
    spanId: '6'.repeat(16),
    operationType: 'process',
    service: 'billing',
    startUs: T + 60_002_000,
  });
  const links: StoredLink[] = [
    { traceId: first.traceId, spanId: first.spanId, linkedTraceId: send.traceId, linkedSpanId: send.spanId },
    {
      traceId: second.traceId,
      spanId: second.spanId,
      linkedTraceId: send.traceId,
      linkedSpanId: send.spanId,
    },
    {
      traceId: replay.traceId,
      spanId: replay.spanId,
      linkedTraceId: toDlq.traceId,
      linkedSpanId: toDlq.spanId,
    },
    {
      traceId: replayed.traceId,
      spanId: replayed.spanId,
      linkedTraceId: replay.traceId,
      linkedSpanId: replay.spanId,
    },
  ];
  const journey = buildJourney(
    { messageId: 'm-1' },
    [send, first, second, toDlq, replay, replayed],
    links,
    false,
    unmasked,
  );

  it('groups attempts per consumer with queue wait, retries and the dead-letter outcome', () => {
    const [hop] = journey.hops;
    expect(hop).toMatchObject({ destination: 'orders', send: { service: 'checkout' }, causedBy: null });
    expect(hop!.deliveries).toHaveLength(1);
    expect(hop!.deliveries[0]).toMatchObject({
      service: 'billing',
      retries: 1,
      redelivered: true,
      outcome: 'dead-lettered',
    });
    expect(hop!.deliveries[0]!.attempts.map((a) => [a.queueWaitMs, a.status, a.statusMessage])).toEqual([
      [5, 'error', 'db down'],
      [9, 'error', null],
    ]);
  });

  it('shows the dead-letter send as a hop caused by the failed processing, and the replay after it', () => {
    const dlq = journey.hops.find((h) => h.destination === 'orders.dlq');
    expect(dlq).toMatchObject({ deadLetter: true, causedBy: 0 });
    const replayHop = journey.hops.find((h) => h.replayId === 'r-1');
    expect(replayHop?.deliveries[0]).toMatchObject({ service: 'billing', outcome: 'processed' });
    // Linked to the consumer's dead-letter send: no hop is added, the replay follows from that one.
    expect(journey.hops.map((h) => h.destination)).toEqual(['orders', 'orders.dlq', 'orders']);
    expect(replayHop).toMatchObject({
      causedBy: dlq!.index,
      replay: { id: 'r-1', dlq: 'orders.dlq', jobId: 'job-7', actor: 'alice', of: dlq!.index },
    });
    expect(journey.traceIds).toHaveLength(5);
    expect(journey.spans[0]!.attributes).toEqual({ k: 'v' });
  });

  it('shows a consumer that reports only receive spans as having received the message', () => {
    // Plain Kafka client instrumentation: the poll links to the send; no process span follows.
    const sent = span({ traceId: '1'.repeat(32), spanId: 'a'.repeat(16), operationType: 'send' });
    const poll = span({
      traceId: '2'.repeat(32),
      spanId: 'b'.repeat(16),
      operationType: 'receive',
      service: 'ledger',
      consumerGroup: 'ledger',
      startUs: T + 37_000,
      durationUs: 4000,
      links: [{ traceId: sent.traceId, spanId: sent.spanId }],
    });
    const link: StoredLink = {
      traceId: poll.traceId,
      spanId: poll.spanId,
      linkedTraceId: sent.traceId,
      linkedSpanId: sent.spanId,
    };
    const [hop] = buildJourney({ traceId: sent.traceId }, [sent, poll], [link], false, unmasked).hops;
    expect(hop!.deliveries).toEqual([
      expect.objectContaining({
        service: 'ledger',
        consumerGroup: 'ledger',
        observedBy: 'receive',
        outcome: 'received',
      }),
    ]);
    expect(hop!.deliveries[0]!.attempts).toMatchObject([{ queueWaitMs: 37, processingMs: 4 }]);

    // The same consumer reporting processing too: its process span is the delivery, not the receive.
    const processed = span({
      traceId: '2'.repeat(32),
      spanId: 'c'.repeat(16),
      parentSpanId: poll.spanId,
      operationType: 'process',
      service: 'ledger',
      consumerGroup: 'ledger',
      startUs: T + 42_000,
      links: [{ traceId: sent.traceId, spanId: sent.spanId }],
    });
    const both = buildJourney(
      { traceId: sent.traceId },
      [sent, poll, processed],
      [link, { ...link, spanId: processed.spanId }],
      false,
      unmasked,
    );
    expect(both.hops[0]!.deliveries).toEqual([
      expect.objectContaining({ service: 'ledger', observedBy: 'process', outcome: 'processed' }),
    ]);
    expect(both.hops[0]!.deliveries[0]!.attempts.map((a) => a.spanId)).toEqual([processed.spanId]);
  });

  it('keeps a consumer-only hop when the producer was not instrumented', () => {
    const lonely = span({ traceId: 'f'.repeat(32), spanId: '7'.repeat(16), operationType: 'process' });
    const only = buildJourney({ traceId: lonely.traceId }, [lonely], [], false, unmasked);
    expect(only.hops).toEqual([
      expect.objectContaining({
        send: null,
        deliveries: [expect.objectContaining({ outcome: 'processed' })],
      }),
    ]);
  });
});

describe('buildJourney: a replay after the broker dead-lettered the message', () => {
  // checkout sends; billing fails and nacks it (RabbitMQ moves it to orders.dlq, recording nothing);
  // meanwhile checkout sends another order; later the dashboard replays the first from orders.dlq.
  const replayAttributes = Buffer.from(
    JSON.stringify({ 'signalbox.replay.id': 'r-2', 'signalbox.replay.dlq': 'orders.dlq' }),
  );
  const send = span({ traceId: 'a'.repeat(32), spanId: '1'.repeat(16), operationType: 'send' });
  const failed = span({
    traceId: send.traceId,
    spanId: '2'.repeat(16),
    parentSpanId: send.spanId,
    operationType: 'process',
    service: 'billing',
    startUs: T + 5000,
  });
  const nack = span({
    traceId: send.traceId,
    spanId: '3'.repeat(16),
    parentSpanId: failed.spanId,
    operationType: 'settle',
    operationName: 'nack',
    service: 'billing',
    startUs: T + 5500,
  });
  const other = span({
    traceId: 'b'.repeat(32),
    spanId: '4'.repeat(16),
    operationType: 'send',
    messageId: 'm-2',
    startUs: T + 9000,
  });
  const replay = span({
    traceId: 'c'.repeat(32),
    spanId: '5'.repeat(16),
    operationType: 'send',
    service: 'signalbox-dashboard',
    replayId: 'r-2',
    startUs: T + 60_000_000,
    attributes: replayAttributes,
  });
  const toOriginal: StoredLink = {
    traceId: replay.traceId,
    spanId: replay.spanId,
    linkedTraceId: send.traceId,
    linkedSpanId: send.spanId,
  };

  it('adds the DLQ hop after the nacked delivery, before later sends, and the replay follows from it', () => {
    const journey = buildJourney(
      { messageId: 'm-1' },
      [send, failed, nack, other, replay],
      [toOriginal],
      false,
      unmasked,
    );
    expect(
      journey.hops.map((h) => [h.index, h.destination, h.deadLetter, h.causedBy, h.send?.spanId ?? null]),
    ).toEqual([
      [0, 'orders', false, null, send.spanId],
      [1, 'orders.dlq', true, 0, null],
      [2, 'orders', false, null, other.spanId],
      [3, 'orders', false, 1, replay.spanId],
    ]);
    // The process span ended without an error: the nack without requeue is what dead-lettered it.
    expect(journey.hops[0]!.deliveries[0]!.outcome).toBe('dead-lettered');
    expect(journey.hops[3]!.replay).toEqual({
      id: 'r-2',
      dlq: 'orders.dlq',
      jobId: null,
      actor: null,
      of: 1,
    });
  });

  it('shows the replay alone, copy of nothing, when the original trace is not loaded', () => {
    const journey = buildJourney({ traceId: replay.traceId }, [replay], [toOriginal], false, unmasked);
    expect(journey.hops.map((h) => [h.destination, h.causedBy, h.replay?.of])).toEqual([
      ['orders', null, null],
    ]);
  });
});

describe('a journey leaves the server masked', () => {
  it('hides credential attributes and card numbers or e-mails in attributes and status messages', () => {
    const failed = span({
      traceId: 'e'.repeat(32),
      spanId: '9'.repeat(16),
      operationType: 'process',
      statusCode: 2,
      statusMessage: 'card 4111 1111 1111 1111 of jane@example.com declined',
      attributes: Buffer.from(
        JSON.stringify({
          'messaging.header.authorization': 'Bearer abc.def',
          'app.user': 'jane@example.com',
        }),
      ),
    });
    const journey = buildJourney(
      { traceId: failed.traceId },
      [failed],
      [],
      false,
      new Masker(DEFAULT_MASKING),
    );
    expect(journey.spans[0]!.attributes).toEqual({
      'messaging.header.authorization': '[masked:header]',
      'app.user': '[masked:email]',
    });
    expect(journey.spans[0]!.statusMessage).toBe('card [masked:card] of [masked:email] declined');
    expect(JSON.stringify(journey)).not.toMatch(/4111|jane@|abc\.def/);
  });
});
