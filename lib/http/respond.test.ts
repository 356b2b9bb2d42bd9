import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { TimeRangeError } from '@/lib/analytics/time-range';
import { AccessError } from '@/lib/auth/access-error';
import { ConfigError } from '@/lib/config';
import { DlqBrokerError } from '@/lib/brokers/dlq-types';
import { DlqConflictError, DlqNotFoundError } from '@/lib/dlq/service';
import { QueueFullError } from '@/lib/store/write-queue';
import { errorResponse } from './respond';

const answer = async (error: unknown) => {
  const response = errorResponse(error, 'the test query');
  return [response.status, ((await response.json()) as { error: string }).error] as const;
};

describe('errorResponse', () => {
  it('answers each domain error with its status and its own message', async () => {
    expect(await answer(new TimeRangeError('from="x" is not a time'))).toEqual([
      400,
      'from="x" is not a time',
    ]);
    expect(await answer(new DlqNotFoundError('no queue q'))).toEqual([404, 'no queue q']);
    expect(await answer(new DlqConflictError('a job is running'))).toEqual([409, 'a job is running']);
    expect(await answer(new DlqBrokerError('kafka: topic t is gone'))).toEqual([
      502,
      'kafka: topic t is gone',
    ]);
    expect(await answer(new ConfigError('SIGNALBOX_KAFKA_BROKERS is empty'))).toEqual([
      503,
      'SIGNALBOX_KAFKA_BROKERS is empty',
    ]);
    expect(await answer(new AccessError('wrong token', 403))).toEqual([403, 'wrong token']);
  });

  it('answers a full write queue 429 with Retry-After, as OTLP ingest does', async () => {
    const response = errorResponse(new QueueFullError(2), 'the test query');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({ error: 'the ingest queue is full; retry later' });
  });

  it('names every invalid field of a body that failed validation', async () => {
    const result = z.object({ rate: z.number().max(100), dryRun: z.boolean() }).safeParse({ rate: 500 });
    const [status, message] = await answer(result.error);
    expect(status).toBe(400);
    expect(message).toMatch(/^rate: .*; dryRun: /);
  });

  it('hides anything else behind a 500 and logs it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await answer(new Error('password=hunter2 at db.internal'))).toEqual([
      500,
      'the test query failed; see the dashboard log',
    ]);
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });
});
