import { REPLAY_HEADERS } from '@signalbox/instrumentation/protocol';
import { describe, expect, it } from 'vitest';
import { messageView } from '@/lib/dlq/message-view';
import { replayHeaders } from '@/lib/dlq/replay-headers';
import { DlqBrokerError } from '../dlq-types';
import { type JobFields, jobRecord, parseBullDlqName, replayJob } from './dlq-jobs';
import { unmasked } from '@/lib/masking/testing';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const STACK = 'OrderValidationError: order 41 has no amount\n    at charge (/srv/billing.js:10:11)';

// A job that failed both attempts, as BullMQ 6 returns it (stacktrace: one entry per attempt, newest last).
const failedJob: JobFields = {
  id: '17',
  name: 'charge',
  data: { id: 41 },
  opts: {
    attempts: 2,
    backoff: { type: 'fixed', delay: 10 },
    delay: 5000,
    jobId: '17',
    deduplication: { id: 'order-41' },
    telemetry: {
      metadata: JSON.stringify({
        traceparent: TRACEPARENT,
        [REPLAY_HEADERS.id]: 'replay-0',
        [REPLAY_HEADERS.count]: '1',
        baggage: 'tenant=a',
      }),
    },
  },
  failedReason: 'order 41 has no amount',
  stacktrace: ['OldError: first attempt', STACK],
  attemptsMade: 2,
  attemptsStarted: 2,
  timestamp: Date.UTC(2026, 10, 21, 8, 0, 0),
  processedOn: Date.UTC(2026, 10, 21, 8, 0, 1),
  finishedOn: Date.UTC(2026, 10, 21, 8, 0, 2),
};

describe('BullMQ DLQ names', () => {
  it('<queue>:failed is the failed set; any other queue name its waiting jobs', () => {
    expect(parseBullDlqName('orders:failed')).toEqual({ queue: 'orders', part: 'failed' });
    expect(parseBullDlqName('orders.dlq')).toEqual({ queue: 'orders.dlq', part: 'wait' });
  });

  it('refuses names no BullMQ queue can have', () => {
    for (const name of ['a:b:failed', ':failed', 'a:b'])
      expect(() => parseBullDlqName(name)).toThrow(DlqBrokerError);
  });
});

describe('a failed job as a DLQ record', () => {
  const record = jobRecord({ queue: 'orders', part: 'failed' }, failedJob);

  it('shows trace metadata and the job fields as headers; the body is the data', () => {
    expect(record).toMatchObject({
      key: '17',
      headers: {
        traceparent: TRACEPARENT,
        [REPLAY_HEADERS.id]: 'replay-0',
        [REPLAY_HEADERS.count]: '1',
        baggage: 'tenant=a',
        'bullmq.name': 'charge',
        'bullmq.failedReason': 'order 41 has no amount',
        'bullmq.attemptsMade': '2',
        'bullmq.stacktrace': STACK,
        'bullmq.timestamp': '2026-11-21T08:00:00.000Z',
        'bullmq.processedOn': '2026-11-21T08:00:01.000Z',
        'bullmq.finishedOn': '2026-11-21T08:00:02.000Z',
      },
      rawHeaders: {
        traceparent: TRACEPARENT,
        [REPLAY_HEADERS.id]: 'replay-0',
        [REPLAY_HEADERS.count]: '1',
        baggage: 'tenant=a',
      },
      timestamp: '2026-11-21T08:00:02.000Z',
    });
    expect(JSON.parse(record.body.toString())).toEqual({ id: 41 });
  });

  it('keeps the retry options for the copy, not its id, delay or de-duplication', () => {
    expect(record.properties).toEqual({
      name: 'charge',
      opts: { attempts: 2, backoff: { type: 'fixed', delay: 10 } },
    });
  });

  it('parses as a failure in its queue, with the trace and the replay count', () => {
    const view = messageView('bullmq', 'orders:failed', record, unmasked);
    expect(view.failure).toMatchObject({
      dialect: 'bullmq',
      reason: 'error',
      errorType: 'OrderValidationError',
      errorMessage: 'order 41 has no amount',
      source: { system: 'bullmq', destination: 'orders', messageId: '17' },
      attempts: 2,
      lastFailedAt: '2026-11-21T08:00:02.000Z',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      replay: { id: 'replay-0', count: 1 },
    });
  });
});

describe('a deadLetterBullMQ job as a DLQ record', () => {
  const record = jobRecord(
    { queue: 'orders.dlq', part: 'wait' },
    {
      id: '3',
      name: 'charge',
      data: {
        'signalbox-dlq': {
          'signalbox-dlq-original-system': 'bullmq',
          'signalbox-dlq-original-destination': 'orders',
          'signalbox-dlq-error-type': 'OrderValidationError',
        },
        data: { id: 41 },
      },
      opts: { attempts: 1, removeOnComplete: false },
      attemptsMade: 0,
      timestamp: Date.UTC(2026, 10, 21, 9, 0, 0),
    },
  );

  it('shows the header set, and the original data as the body', () => {
    expect(record.headers).toMatchObject({ 'signalbox-dlq-error-type': 'OrderValidationError' });
    expect(JSON.parse(record.body.toString())).toEqual({ id: 41 });
    expect(record.timestamp).toBe('2026-11-21T09:00:00.000Z');
    // The dead-letter copy's options (1 attempt, kept forever) are not the original's.
    expect(record.properties).toEqual({ name: 'charge', opts: {} });
  });

  it('parses with the original queue as the source', () => {
    const view = messageView('bullmq', 'orders.dlq', record, unmasked);
    expect(view.failure).toMatchObject({
      dialect: 'signalbox',
      errorType: 'OrderValidationError',
      source: { system: 'bullmq', destination: 'orders' },
    });
  });
});

describe('a replayed copy as a job', () => {
  const record = jobRecord({ queue: 'orders', part: 'failed' }, failedJob);
  const headers = replayHeaders(record.headers, 'replay-1', 1).headers;
  headers.traceparent = '00-11111111111111111111111111111111-2222222222222222-01';
  const message = { headers, body: record.body, messageKey: null, properties: record.properties };

  it('carries the replay headers in the telemetry metadata, without the job fields, under the replay id', () => {
    const job = replayJob(message);
    expect(job).toMatchObject({
      name: 'charge',
      data: { id: 41 },
      opts: { attempts: 2, backoff: { type: 'fixed', delay: 10 }, jobId: 'replay-1' },
    });
    expect(JSON.parse(job.opts.telemetry?.metadata ?? '')).toEqual({
      traceparent: '00-11111111111111111111111111111111-2222222222222222-01',
      baggage: 'tenant=a',
      [REPLAY_HEADERS.id]: 'replay-1',
      [REPLAY_HEADERS.count]: '2',
    });
  });

  it('refuses an edited body that is not JSON, and a copy without a job name', () => {
    expect(() => replayJob({ ...message, body: Buffer.from('not json') })).toThrow(/not JSON/);
    expect(() => replayJob({ ...message, properties: {} })).toThrow(DlqBrokerError);
  });
});
