import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DLQ_HEADERS } from '../../src/dlq/headers.js';
import { parseDeadLetter } from '../../src/dlq/parse.js';
import { prepareDeadLetter } from '../../src/dlq/prepare.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const source = { system: 'kafka', destination: 'orders', partition: 1, offset: '10' };
const parse = (headers: Record<string, string>) =>
  parseDeadLetter({ system: 'kafka', destination: 'orders.DLT', headers });

class PaymentDeclined extends Error {}

describe('prepareDeadLetter', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    context.disable();
  });

  it('records the source, the error and this attempt for a first dead-lettering', () => {
    const before = Date.now();
    const { headers, record } = prepareDeadLetter(
      { ...source, headers: { traceparent: Buffer.from(TRACEPARENT) } },
      { error: new PaymentDeclined('card declined'), consumerGroup: 'billing' },
    );
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
    const failure = parse(headers);
    expect(failure).toMatchObject({
      reason: 'error',
      errorType: 'PaymentDeclined',
      errorMessage: 'card declined',
      source: {
        system: 'kafka',
        destination: 'orders',
        partition: 1,
        offset: '10',
        consumerGroup: 'billing',
      },
      attempts: 1,
      traceparent: TRACEPARENT,
    });
    expect(failure.stackTrace).toContain('card declined\n    at ');
    expect(failure.firstFailedAt).toBe(failure.lastFailedAt);
    expect(Date.parse(failure.lastFailedAt ?? '')).toBeGreaterThanOrEqual(before - 1);
  });

  it('uses the broker delivery count, or the attempts given, for this round', () => {
    expect(prepareDeadLetter({ ...source, deliveryCount: 4 }, { error: 'x' }).record.attempts).toBe(4);
    expect(
      prepareDeadLetter({ ...source, deliveryCount: 4 }, { error: 'x', attempts: 2 }).record.attempts,
    ).toBe(2);
    // Nonsense falls back instead of being written.
    expect(
      prepareDeadLetter({ ...source, deliveryCount: -3 }, { error: 'x', attempts: NaN }).record.attempts,
    ).toBe(1);
  });

  it('adds up attempts and keeps the first failure time when the message was dead-lettered before', () => {
    const earlier = {
      [DLQ_HEADERS.version]: '1',
      [DLQ_HEADERS.attempts]: '3',
      [DLQ_HEADERS.firstFailedAt]: '2026-01-01T00:00:00.000Z',
      [DLQ_HEADERS.lastFailedAt]: '2026-01-01T00:05:00.000Z',
      [DLQ_HEADERS.originalTraceparent]: TRACEPARENT,
    };
    const { record } = prepareDeadLetter(
      { ...source, headers: earlier },
      { error: new Error('again'), attempts: 2 },
    );
    expect(record.attempts).toBe(5);
    expect(record.firstFailedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(record.lastFailedAt).not.toBe('2026-01-01T00:05:00.000Z');
    // The message itself carries no traceparent: the earlier record's is kept.
    expect(record.traceparent).toBe(TRACEPARENT);
  });

  it('falls back to the active span when the message carries no trace context', () => {
    const spanContext = {
      traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      spanId: 'bbbbbbbbbbbbbbbb',
      traceFlags: TraceFlags.SAMPLED,
    };
    const { record } = context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () =>
      prepareDeadLetter(source, { error: new Error('x') }),
    );
    expect(record.traceparent).toBe('00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01');
    expect(prepareDeadLetter(source, { error: new Error('x') }).record.traceparent).toBeUndefined();
  });

  it('describes whatever was thrown, and never throws itself', () => {
    const named = Object.assign(new Error('bad input'), { name: 'ValidationError' });
    expect(prepareDeadLetter(source, { error: named }).record.errorType).toBe('ValidationError');
    expect(prepareDeadLetter(source, { error: 'plain string' }).record).toMatchObject({
      errorType: '_OTHER',
      errorMessage: 'plain string',
    });
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('hostile');
      },
    });
    expect(() => prepareDeadLetter(source, { error: hostile })).not.toThrow();
    expect(prepareDeadLetter(source, { error: undefined, reason: 'rejected' }).record).toMatchObject({
      reason: 'rejected',
      errorType: '_OTHER',
    });
  });
});
