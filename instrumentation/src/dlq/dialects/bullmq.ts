import { PARSE_LIMITS } from '../model.js';
import { SYSTEM_BULLMQ } from '../system.js';
import { count, parseJsonRecord, prop, record, text, time, traceparent } from '../values.js';
import type { DialectReader } from './types.js';

/*
 * A failed BullMQ job: `failedReason` (the error's message), `stacktrace`
 * (one entry per failed attempt, newest last; a JSON string in the raw Redis
 * hash / asJSON, an array on Job instances), `attemptsMade`, `finishedOn`
 * (when it failed for good, epoch ms). Verified against BullMQ 6.7 in
 * bullmq.int.test.ts for Job instances and `asJSON()`. The failed set of a queue IS its
 * dead-letter queue. bullmq-otel keeps the trace context as JSON in
 * `opts.telemetry.metadata` (`tm` in the raw hash).
 */

// The newest entry of the stacktrace list; text() reads the last array element.
function lastStack(raw: unknown): string | null {
  if (typeof raw !== 'string') return text(raw, PARSE_LIMITS.stackTrace);
  if (!raw.startsWith('[')) return text(raw, PARSE_LIMITS.stackTrace);
  try {
    // Up to stackTraceLimit entries of a few KiB each: allow more than one value's worth.
    return raw.length <= PARSE_LIMITS.bytes * 4 ? text(JSON.parse(raw), PARSE_LIMITS.stackTrace) : null;
  } catch {
    return null;
  }
}

// `job.asJSON()` JSON-encodes failedReason (`"\"boom\""`); Job instances and
// the raw Redis hash hold it as plain text.
function failedReasonOf(job: Record<string, unknown>): string | null {
  const raw = prop(job, 'failedReason');
  if (typeof raw === 'string' && raw.startsWith('"') && raw.length <= PARSE_LIMITS.bytes) {
    try {
      const decoded: unknown = JSON.parse(raw);
      if (typeof decoded === 'string') return text(decoded, PARSE_LIMITS.errorMessage);
    } catch {
      // Not JSON after all: a message that happens to start with a quote.
    }
  }
  return text(raw, PARSE_LIMITS.errorMessage);
}

// A JavaScript stack starts with `Name: message` (or just `Name`).
const ERROR_NAME = /^([A-Za-z_$][\w$.]*)(?::|$)/;

function traceFromOptions(opts: Record<string, unknown> | null): string | null {
  if (!opts) return null;
  const metadata = prop(record(prop(opts, 'telemetry')), 'metadata') ?? prop(opts, 'tm');
  if (typeof metadata !== 'string') return null;
  return traceparent(prop(parseJsonRecord(metadata), 'traceparent'));
}

export const bullmqDialect: DialectReader = {
  dialect: 'bullmq',
  read({ job, destination }) {
    if (!job) return null;
    const failedReason = failedReasonOf(job);
    const stack = lastStack(prop(job, 'stacktrace'));
    if (failedReason === null && stack === null) return null;
    const name = stack === null ? null : (ERROR_NAME.exec(stack)?.[1] ?? null);
    return {
      reason: failedReason && /stalled more than allowable limit/i.test(failedReason) ? 'stalled' : 'error',
      errorType: name,
      errorMessage: failedReason,
      stackTrace: stack,
      source: { system: SYSTEM_BULLMQ, destination, messageId: text(prop(job, 'id'), 256) },
      attempts: count(prop(job, 'attemptsMade')),
      lastFailedAt: time(prop(job, 'finishedOn')),
      traceparent: traceFromOptions(record(prop(job, 'opts'))),
      details: {
        'bullmq.job_name': text(prop(job, 'name')),
        'bullmq.attempts_started': text(prop(job, 'attemptsStarted'), 16),
        'bullmq.created_at': time(prop(job, 'timestamp')),
        'bullmq.processed_at': time(prop(job, 'processedOn')),
      },
    };
  },
};
