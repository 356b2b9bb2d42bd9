import { PATHWAY_HEADER, REPLAY_HEADERS, isDeadLetterHeader } from '@signalbox/instrumentation/protocol';
import type { HeaderValue } from '@/lib/brokers/dlq-types';

/**
 * What a replayed copy carries (issue #7, research 03 "stale headers carried over", kafbat#1810):
 * broker and framework bookkeeping is stripped, so the target's consumers see a fresh message and
 * RabbitMQ does not mistake it for one it already dead-lettered (#11331); `signalbox-replay-id` and
 * `signalbox-replay-count` are added; the old trace context is dropped so the copy starts a new
 * trace (linked to the original by the replay span, see ./replay-trace.ts).
 */
const STRIP_EXACT = new Set([
  'x-death',
  'x-delivery-count',
  'x-first-death-queue',
  'x-first-death-exchange',
  'x-first-death-reason',
  'x-last-death-queue',
  'x-last-death-exchange',
  'x-last-death-reason',
  'mt-reason',
  'nservicebus.failedq',
  'nservicebus.timeoffailure',
  'deadletterreason',
  'deadlettererrordescription',
  'traceparent',
  'tracestate',
  PATHWAY_HEADER.toLowerCase(),
  REPLAY_HEADERS.id,
  REPLAY_HEADERS.count,
]);
const STRIP_PREFIX = ['kafka_dlt-', '__connect.errors.', 'mt-fault-', 'nservicebus.exceptioninfo.'];

/** True for a header the replay removes. */
export function isBookkeepingHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return STRIP_EXACT.has(lower) || isDeadLetterHeader(lower) || STRIP_PREFIX.some((p) => lower.startsWith(p));
}

export interface ReplayHeaders {
  headers: Record<string, string>;
  removed: string[];
  added: Record<string, string>;
}

/**
 * Headers of the replayed copy. Kafka repeated headers are collapsed to their last value (the one
 * readers use). `previousCount` is the message's `signalbox-replay-count`, if it was replayed before.
 */
export function replayHeaders(
  original: Record<string, HeaderValue>,
  id: string,
  previousCount: number,
): ReplayHeaders {
  const headers: Record<string, string> = {};
  const removed: string[] = [];
  for (const [name, value] of Object.entries(original)) {
    if (isBookkeepingHeader(name)) {
      removed.push(name);
      continue;
    }
    headers[name] = Array.isArray(value) ? (value[value.length - 1] ?? '') : value;
  }
  const added = { [REPLAY_HEADERS.id]: id, [REPLAY_HEADERS.count]: String(previousCount + 1) };
  Object.assign(headers, added);
  return { headers, removed: removed.sort(), added };
}
