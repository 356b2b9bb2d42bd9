import {
  BULLMQ_DLQ_DATA_KEY,
  REPLAY_HEADERS,
  parseBullmqMetadata,
} from '@signalbox/instrumentation/protocol';
import type { JobsOptions } from 'bullmq';
import { DlqBrokerError, type DlqRecord, type HeaderValue, type OutgoingMessage } from '../dlq-types';

/*
 * BullMQ jobs as DLQ records, and replayed copies as jobs (pure: no Redis here).
 *
 * BullMQ has two kinds of dead letters. A job that used up its attempts stays in its queue's failed
 * set: that set is listed as the DLQ `<queue>:failed` (BullMQ queue names cannot contain `:`, so the
 * name cannot clash with a queue, and replaying to `<queue>` is not replaying into the DLQ itself).
 * deadLetterBullMQ instead moves a failed job to a queue of its own (`orders.dlq`), where it waits as
 * data `{ "signalbox-dlq": <header set>, "data": <original data> }`: such a queue is listed by its name.
 */

export const FAILED_SET_SUFFIX = ':failed';

/** Which jobs a BullMQ DLQ name stands for. */
export interface BullDlqName {
  queue: string;
  /** `failed`: the queue's failed set; `wait`: the jobs waiting in a dead-letter queue. */
  part: 'failed' | 'wait';
}

export function failedSetName(queue: string): string {
  return `${queue}${FAILED_SET_SUFFIX}`;
}

export function parseBullDlqName(name: string): BullDlqName {
  const queue = name.endsWith(FAILED_SET_SUFFIX) ? name.slice(0, -FAILED_SET_SUFFIX.length) : name;
  if (queue === '' || queue.includes(':')) {
    throw new DlqBrokerError(
      `${name} is not a BullMQ dead-letter queue: give a queue name, or <queue>${FAILED_SET_SUFFIX} for its failed jobs`,
    );
  }
  return { queue, part: queue === name ? 'wait' : 'failed' };
}

/** The fields of a job that are read here (a bullmq `Job` has them all). */
export interface JobFields {
  id?: string | undefined;
  name: string;
  data: unknown;
  opts: JobsOptions;
  failedReason?: string | undefined;
  stacktrace?: string[] | null | undefined;
  attemptsMade?: number | undefined;
  attemptsStarted?: number | undefined;
  timestamp?: number | undefined;
  processedOn?: number | undefined;
  finishedOn?: number | undefined;
}

// Options a replayed copy keeps: how the job is retried and kept. Left out: jobId (the copy gets its
// own), delay (the copy runs now), parent and deduplication (they tie the copy to another job's
// lifecycle), telemetry (rebuilt from the replay headers).
const KEPT_OPTIONS = [
  'attempts',
  'backoff',
  'priority',
  'lifo',
  'removeOnComplete',
  'removeOnFail',
  'keepLogs',
  'stackTraceLimit',
  'sizeLimit',
] as const satisfies readonly (keyof JobsOptions)[];

function keptOptions(opts: JobsOptions | undefined): JobsOptions {
  const out: Record<string, unknown> = {};
  for (const key of KEPT_OPTIONS) if (opts?.[key] !== undefined) out[key] = opts[key];
  return out;
}

/** deadLetterBullMQ's data: the header set and the original data, or null for any other data. */
function envelope(data: unknown): { headers: Record<string, string>; data: unknown } | null {
  if (typeof data !== 'object' || data === null || !Object.hasOwn(data, BULLMQ_DLQ_DATA_KEY)) return null;
  const set = (data as Record<string, unknown>)[BULLMQ_DLQ_DATA_KEY];
  if (typeof set !== 'object' || set === null) return null;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(set)) if (typeof value === 'string') headers[name] = value;
  return { headers, data: (data as Record<string, unknown>).data };
}

const iso = (ms: number | undefined) => (ms !== undefined && ms > 0 ? new Date(ms).toISOString() : undefined);

/** Header names of the job fields shown with a record; a replay does not copy them. */
const JOB_FIELD_PREFIX = 'bullmq.';

/**
 * A job as a DLQ record. Jobs have no headers: `headers` shows the job's trace metadata
 * (`opts.telemetry.metadata`: traceparent, replay markers), deadLetterBullMQ's header set, and the
 * job's own fields as `bullmq.*`; parseDeadLetter reads the job itself (`parseExtras.job`). The body
 * is the job's data as JSON (for a deadLetterBullMQ job, the original data inside it).
 */
export function jobRecord(dlq: BullDlqName, job: JobFields): DlqRecord {
  const metadata = parseBullmqMetadata(job.opts?.telemetry?.metadata);
  const wrapped = envelope(job.data);
  const carried: Record<string, string> = { ...metadata, ...wrapped?.headers };
  const fields: Record<string, string | undefined> = {
    name: job.name,
    failedReason: job.failedReason || undefined,
    attemptsMade: job.attemptsMade === undefined ? undefined : String(job.attemptsMade),
    // BullMQ keeps one stack per failed attempt, newest last.
    stacktrace: job.stacktrace?.[job.stacktrace.length - 1],
    timestamp: iso(job.timestamp),
    processedOn: iso(job.processedOn),
    finishedOn: iso(job.finishedOn),
  };
  const headers: Record<string, HeaderValue> = { ...carried };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) headers[`${JOB_FIELD_PREFIX}${name}`] = value;
  }
  return {
    key: String(job.id),
    headers,
    rawHeaders: carried,
    body: Buffer.from(JSON.stringify((wrapped ? wrapped.data : job.data) ?? null), 'utf8'),
    messageKey: null,
    timestamp: (dlq.part === 'failed' ? iso(job.finishedOn) : iso(job.timestamp)) ?? null,
    // The DLQ copy's options (attempts 1, kept forever) are not the original's: the target's apply.
    properties: { name: job.name, opts: wrapped ? {} : keptOptions(job.opts) },
    parseExtras: {
      job: {
        id: job.id,
        name: job.name,
        data: job.data,
        opts: job.opts,
        failedReason: job.failedReason,
        stacktrace: job.stacktrace,
        attemptsMade: job.attemptsMade,
        attemptsStarted: job.attemptsStarted,
        timestamp: job.timestamp,
        processedOn: job.processedOn,
        finishedOn: job.finishedOn,
      },
      destination: dlq.queue,
    },
  };
}

/**
 * The job a replayed copy is added as: the original's name, data and retry options; the replay
 * headers (new traceparent, replay id and count) in `opts.telemetry.metadata`, where the
 * instrumentation and bullmq-otel read trace context; and the replay id as job id, so BullMQ ignores
 * a copy resent after a crash while the first one is still in the queue.
 */
export function replayJob(message: OutgoingMessage): { name: string; data: unknown; opts: JobsOptions } {
  const name = message.properties?.name;
  if (typeof name !== 'string') throw new DlqBrokerError('a BullMQ copy needs the job name of its original');
  let data: unknown;
  try {
    data = JSON.parse(message.body.toString('utf8'));
  } catch {
    throw new DlqBrokerError('the body is not JSON: BullMQ job data must be JSON');
  }
  const metadata: Record<string, string> = {};
  for (const [header, value] of Object.entries(message.headers)) {
    if (!header.startsWith(JOB_FIELD_PREFIX)) metadata[header] = value;
  }
  const jobId = message.headers[REPLAY_HEADERS.id];
  if (!jobId) throw new DlqBrokerError('a BullMQ copy needs its replay id');
  const kept = (message.properties?.opts ?? {}) as JobsOptions;
  return { name, data, opts: { ...kept, jobId, telemetry: { metadata: JSON.stringify(metadata) } } };
}
