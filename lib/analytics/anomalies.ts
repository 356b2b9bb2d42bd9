import type { ProcessRow, SeriesTotals, TelemetryStore } from '@/lib/store/types';
import type { Source } from './series-pick';
import type { TimeRange } from './time-range';

interface Consumer {
  service: string;
  consumerGroup: string | null;
  system: string;
  destination: string;
}

export interface DuplicateAnomaly extends Consumer {
  /** The message id, or `partition@offset` for brokers without ids (Kafka). */
  message: string;
  /** How many times it was processed successfully by this consumer group. */
  processed: number;
  traceIds: string[];
}

export interface OutOfOrderAnomaly extends Consumer {
  /** `partition`: a lower offset processed after a higher one; `key`: a message sent earlier processed after a later one with the same key. */
  scope: 'partition' | 'key';
  key: string;
  count: number;
  /** Example: the late message. */
  example: { traceId: string; spanId: string };
}

export interface ConsumerRetries extends Consumer {
  /** Process spans (attempts). */
  attempts: number;
  /** Distinct messages among them (when messages can be identified). */
  messages: number;
  retries: number;
  failedAttempts: number;
  /** Attempts the broker marked as redelivered (spans), or counted by signalbox.messaging.redeliveries (metrics). */
  redeliveries: number;
  redeliveriesSource: Source;
}

/** A message whose processing ended because a deadline passed, not because the handler failed otherwise. */
export interface TimeoutAnomaly extends Consumer {
  message: string | null;
  traceId: string;
  spanId: string;
  startUs: number;
  durationUs: number;
  /** What said it was a timeout: the error type, else the status message. */
  reason: string;
}

export interface DeadLetterCount {
  system: string;
  destination: string;
  service: string;
  errorType: string | null;
  count: number;
  source: Source;
}

/** GET /api/anomalies. */
export interface AnomalyReport {
  from: string;
  to: string;
  /** Process spans examined (the newest, up to the limit). */
  scanned: number;
  truncated: boolean;
  duplicates: DuplicateAnomaly[];
  outOfOrder: OutOfOrderAnomaly[];
  /** The newest timeouts (at most 100); `timeoutsTotal` counts them all. */
  timeouts: TimeoutAnomaly[];
  timeoutsTotal: number;
  retries: ConsumerRetries[];
  deadLetters: DeadLetterCount[];
}

const MAX_ROWS = 200_000;
const TOP = 100;

const consumerKey = (r: Consumer) => JSON.stringify([r.service, r.consumerGroup, r.system, r.destination]);
const consumerOf = (r: Consumer): Consumer => ({
  service: r.service,
  consumerGroup: r.consumerGroup,
  system: r.system,
  destination: r.destination,
});
const identity = (r: ProcessRow) =>
  r.messageId ?? (r.partition !== null && r.offset !== null ? `${r.partition}@${r.offset}` : null);

function groupBy<T>(items: readonly T[], key: (t: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

// How SDKs and brokers name an expired deadline: TimeoutError (Node, Python asyncio), ETIMEDOUT,
// gRPC's DEADLINE_EXCEEDED, Go's context.DeadlineExceeded ("context deadline exceeded"),
// .NET's TaskCanceledException after a timeout ("timed out"), Java's TimeoutException.
const TIMEOUT_WORDS = /timed?[ _-]?out|deadline[ _]?exceeded|etimedout/i;

/** The reason a failed processing counts as a timeout, or null when it failed otherwise. */
export function timeoutReason(
  row: Pick<ProcessRow, 'failed' | 'errorType' | 'statusMessage'>,
): string | null {
  if (!row.failed) return null;
  for (const said of [row.errorType, row.statusMessage]) {
    if (said && TIMEOUT_WORDS.test(said)) return said;
  }
  return null;
}

/** Pure: delivery anomalies in process spans (any order) plus redelivery/dead-letter counters. */
export function detectAnomalies(rows: readonly ProcessRow[], counters: readonly SeriesTotals[]) {
  const sorted = [...rows].sort((a, b) => a.startUs - b.startUs);

  const duplicates: DuplicateAnomaly[] = [];
  for (const list of groupBy(
    sorted.filter((r) => !r.failed),
    (r) => {
      const id = identity(r);
      return id === null ? null : consumerKey(r) + id;
    },
  ).values()) {
    if (list.length < 2) continue;
    duplicates.push({
      ...consumerOf(list[0]!),
      message: identity(list[0]!)!,
      processed: list.length,
      traceIds: [...new Set(list.map((r) => r.traceId))],
    });
  }

  const outOfOrder: OutOfOrderAnomaly[] = [];
  const scan = (
    scope: 'partition' | 'key',
    keyOf: (r: ProcessRow) => string | null,
    order: (r: ProcessRow) => number | null,
  ) => {
    for (const list of groupBy(sorted, (r) => {
      const k = keyOf(r);
      return k === null || order(r) === null ? null : consumerKey(r) + '\u0000' + k;
    }).values()) {
      let highest = -Infinity;
      const seen = new Set<number>();
      let count = 0;
      let example: ProcessRow | null = null;
      for (const r of list) {
        const position = order(r)!;
        // A position seen before is a redelivery or duplicate, reported as such, not as disorder.
        if (position < highest && !seen.has(position)) {
          count++;
          example ??= r;
        }
        seen.add(position);
        highest = Math.max(highest, position);
      }
      if (count > 0 && example) {
        outOfOrder.push({
          ...consumerOf(example),
          scope,
          key: keyOf(example)!,
          count,
          example: { traceId: example.traceId, spanId: example.spanId },
        });
      }
    }
  };
  scan(
    'partition',
    (r) => r.partition,
    (r) => r.offset,
  );
  scan(
    'key',
    (r) => r.routingKey,
    (r) => r.sentUs,
  );

  const timeouts: TimeoutAnomaly[] = [];
  for (const r of sorted) {
    const reason = timeoutReason(r);
    if (reason === null) continue;
    timeouts.push({
      ...consumerOf(r),
      message: identity(r),
      traceId: r.traceId,
      spanId: r.spanId,
      startUs: r.startUs,
      durationUs: r.durationUs,
      reason,
    });
  }

  const redeliveryMetrics = new Map<string, number>();
  for (const c of counters)
    if (c.dims.kind === 'redelivery')
      redeliveryMetrics.set(
        consumerKey(c.dims),
        (redeliveryMetrics.get(consumerKey(c.dims)) ?? 0) + c.messages,
      );
  const retries: ConsumerRetries[] = [];
  for (const [k, list] of groupBy(sorted, consumerKey)) {
    const identified = list.filter((r) => identity(r) !== null);
    const distinct = new Set(identified.map(identity)).size;
    const metric = redeliveryMetrics.get(k);
    retries.push({
      ...consumerOf(list[0]!),
      attempts: list.length,
      messages: distinct + (list.length - identified.length),
      retries: identified.length - distinct,
      failedAttempts: list.filter((r) => r.failed).length,
      redeliveries: metric ?? list.filter((r) => (r.deliveryAttempt ?? 1) > 1).length,
      redeliveriesSource: metric === undefined ? 'spans' : 'metrics',
    });
  }

  const deadLetters: DeadLetterCount[] = counters
    .filter((c) => c.dims.kind === 'dead_letter' && c.messages > 0)
    .map((c) => ({
      system: c.dims.system,
      destination: c.dims.destination,
      service: c.dims.service,
      errorType: c.dims.errorType,
      count: c.messages,
      source: 'metrics' as const,
    }));

  return {
    duplicates: duplicates.sort((a, b) => b.processed - a.processed).slice(0, TOP),
    outOfOrder: outOfOrder.sort((a, b) => b.count - a.count).slice(0, TOP),
    // Newest first: the on-call engineer looks for the ones happening now.
    timeouts: timeouts.reverse().slice(0, TOP),
    timeoutsTotal: timeouts.length,
    retries: retries.sort((a, b) => b.retries + b.redeliveries - (a.retries + a.redeliveries)).slice(0, TOP),
    deadLetters: deadLetters.sort((a, b) => b.count - a.count).slice(0, TOP),
  };
}

export async function getAnomalies(store: TelemetryStore, range: TimeRange): Promise<AnomalyReport> {
  const rows = await store.processSpans(range, MAX_ROWS);
  const counters = await store.seriesTotals(range, { kinds: ['redelivery', 'dead_letter'] });
  return {
    from: range.from,
    to: range.to,
    scanned: rows.length,
    truncated: rows.length >= MAX_ROWS,
    ...detectAnomalies(rows, counters),
  };
}
