import { describe, expect, it } from 'vitest';
import { replayId } from '@/lib/brokers/replay-id';
import { isBookkeepingHeader, replayHeaders } from './replay-headers';

describe('replay headers', () => {
  const original = {
    'content-kind': 'order',
    'x-death': '[{"queue":"payments"}]',
    'x-first-death-queue': 'payments',
    'x-last-death-reason': 'rejected',
    'kafka_dlt-exception-message': 'boom',
    '__connect.errors.topic': 'orders',
    'MT-Fault-Message': 'boom',
    'signalbox-dlq-error-type': 'TypeError',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    'signalbox-replay-count': '2',
    repeated: ['first', 'last'],
  };

  it('strips broker and framework bookkeeping and the old trace, keeps the rest, adds id and count', () => {
    const { headers, removed, added } = replayHeaders(original, 'rid', 2);
    expect(headers).toEqual({
      'content-kind': 'order',
      repeated: 'last',
      'signalbox-replay-id': 'rid',
      'signalbox-replay-count': '3',
    });
    expect(removed).toHaveLength(9);
    expect(added).toEqual({ 'signalbox-replay-id': 'rid', 'signalbox-replay-count': '3' });
  });

  it('matches bookkeeping names in any case', () => {
    expect(isBookkeepingHeader('X-Death')).toBe(true);
    expect(isBookkeepingHeader('NServiceBus.ExceptionInfo.Message')).toBe(true);
    expect(isBookkeepingHeader('x-tenant')).toBe(false);
  });

  it('gives a stable replay id per job and message, different across jobs and messages', () => {
    expect(replayId('job-1', '0:17')).toBe(replayId('job-1', '0:17'));
    expect(replayId('job-1', '0:17')).not.toBe(replayId('job-2', '0:17'));
    expect(replayId('job-1', '0:17')).not.toBe(replayId('job-1', '0:18'));
    expect(replayId('job-1', '0:17')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });
});
