import { describe, expect, it } from 'vitest';
import { compileFilter } from './patterns';

describe('compileFilter', () => {
  it('includes everything but broker internals by default', () => {
    const allowed = compileFilter({ include: [], exclude: [] });
    expect(allowed('kafka', 'billing', 'orders')).toBe(true);
    expect(allowed('kafka', 'billing', '__consumer_offsets')).toBe(false);
    expect(allowed('rabbitmq', 'amq.gen-123')).toBe(false);
    // The built-in excludes are per broker: a NATS stream may be called amq.x.
    expect(allowed('nats', 'c', 'amq.x')).toBe(true);
  });

  it('matches globs against the group or the destination', () => {
    const allowed = compileFilter({ include: ['order*'], exclude: [] });
    expect(allowed('kafka', 'billing', 'orders')).toBe(true);
    expect(allowed('kafka', 'orders-audit', 'payments')).toBe(true);
    expect(allowed('kafka', 'billing', 'payments')).toBe(false);
  });

  it('limits a pattern to one broker with a system: prefix, and ? matches one character', () => {
    const allowed = compileFilter({ include: ['redis:q?'], exclude: [] });
    expect(allowed('redis', 'g', 'q1')).toBe(true);
    expect(allowed('redis', 'g', 'q12')).toBe(false);
    expect(allowed('bullmq', 'q1')).toBe(false);
  });

  it('lets an exclude win over an include, and treats regex characters literally', () => {
    const allowed = compileFilter({ include: ['*'], exclude: ['kafka:test.*', 'tmp-(1)'] });
    expect(allowed('kafka', 'g', 'test.events')).toBe(false);
    expect(allowed('kafka', 'g', 'testXevents')).toBe(true);
    expect(allowed('aws_sqs', 'tmp-(1)')).toBe(false);
    expect(allowed('redis', 'g', 'test.events')).toBe(true);
  });

  it('treats an unknown prefix as part of the name', () => {
    const allowed = compileFilter({ include: ['urn:orders'], exclude: [] });
    expect(allowed('kafka', 'g', 'urn:orders')).toBe(true);
  });
});
