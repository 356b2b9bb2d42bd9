import { describe, expect, it } from 'vitest';
import { parseSearchParams } from '@/lib/http/parse';
import { dlqMessagesQuery } from '@/lib/http/schemas/dlq';
import type { DlqRecord } from '@/lib/brokers/dlq-types';
import { matchesFilter } from './filter';
import { groupByFingerprint } from './grouping';
import { bodyView, messageView } from './message-view';
import { unmasked } from '@/lib/masking/testing';

function record(
  key: string,
  message: string,
  extra: Record<string, string> = {},
  body = '{"order":1}',
): DlqRecord {
  const headers = {
    'signalbox-dlq-version': '1',
    'signalbox-dlq-reason': 'error',
    'signalbox-dlq-original-system': 'kafka',
    'signalbox-dlq-original-destination': 'orders',
    'signalbox-dlq-error-type': 'TypeError',
    'signalbox-dlq-error-message': message,
    'signalbox-dlq-last-failed-at': '2026-11-20T10:00:00.000Z',
    ...extra,
  };
  return { key, headers, rawHeaders: headers, body: Buffer.from(body), messageKey: null, timestamp: null };
}

const views = [
  messageView('kafka', 'orders.DLT', record('0:1', 'order 17 has no amount'), unmasked),
  messageView('kafka', 'orders.DLT', record('0:2', 'order 18 has no amount', { tenant: 'acme' }), unmasked),
  messageView(
    'kafka',
    'orders.DLT',
    record('0:3', 'card declined', { 'signalbox-dlq-last-failed-at': '2026-11-21T10:00:00.000Z' }, 'plain'),
    unmasked,
  ),
];

describe('grouping and filters', () => {
  it('groups by fingerprint with counts and first/last seen, largest first', () => {
    const groups = groupByFingerprint(views);
    expect(groups.map((g) => g.count)).toEqual([2, 1]);
    expect(groups[0]).toMatchObject({
      errorType: 'TypeError',
      destinations: ['orders'],
      lastSeen: '2026-11-20T10:00:00.000Z',
    });
  });

  it('filters by error, header, body text, destination and time', () => {
    const filterOf = (params: string) => parseSearchParams(new URLSearchParams(params), dlqMessagesQuery);
    const pick = (params: string) => views.filter((v) => matchesFilter(v, filterOf(params))).map((v) => v.id);
    expect(pick('error=declined')).toEqual(['0:3']);
    expect(pick('header=tenant')).toEqual(['0:2']);
    expect(pick('header=tenant%3Dacme')).toEqual(['0:2']);
    expect(pick('header=tenant%3Dother')).toEqual([]);
    expect(pick('text=plain')).toEqual(['0:3']);
    expect(pick('destination=orders')).toHaveLength(3);
    expect(pick('from=2026-11-21T00:00:00Z')).toEqual(['0:3']);
    expect(pick(`fingerprint=${views[0]!.fingerprint}`)).toEqual(['0:1', '0:2']);
    expect(() => filterOf('from=yesterday')).toThrow(/^from must be an ISO-8601 time .*, not "yesterday"$/);
  });

  it('shows bodies as JSON, text, or base64 for binary, with the size', () => {
    expect(bodyView(Buffer.from('{"a":1}'), unmasked)).toMatchObject({ encoding: 'json', sizeBytes: 7 });
    expect(bodyView(Buffer.from('héllo'), unmasked)).toMatchObject({
      encoding: 'text',
      preview: 'héllo',
      sizeBytes: 6,
    });
    expect(bodyView(Buffer.from([0xff, 0x00, 0x01]), unmasked)).toMatchObject({
      encoding: 'base64',
      preview: '/wAB',
    });
    expect(bodyView(Buffer.alloc(70_000, 'a'), unmasked)).toMatchObject({
      encoding: 'text',
      truncated: true,
      sizeBytes: 70_000,
    });
  });
});
