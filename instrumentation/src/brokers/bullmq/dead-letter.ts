import type { Job, Queue } from 'bullmq';
import { parseBullmqMetadata } from './metadata.js';
import { guarded } from '../../spans.js';
import { BULLMQ_DLQ_DATA_KEY } from '../../dlq/headers.js';
import { prepareDeadLetter, type DeadLetterOptions, type DeadLetterResult } from '../../dlq/prepare.js';
import { SYSTEM_BULLMQ } from '../../dlq/system.js';
import { withDeadLetterTelemetry } from '../../dlq/telemetry.js';

/** Options of {@link deadLetterBullMQ}: like the others, but `error` defaults to the job's own failure. */
export interface BullMQDeadLetterOptions extends Omit<DeadLetterOptions, 'error'> {
  /** The failure; defaults to one rebuilt from the job's `failedReason` and last stack trace. */
  error?: unknown;
}

export interface BullMQDeadLetterResult extends DeadLetterResult {
  /** Id of the job added to the dead-letter queue. */
  jobId: string | undefined;
}

/** The data of a job in a Signalbox dead-letter queue. */
export interface BullMQDeadLetterData<T = unknown> {
  /** The Signalbox header set (see `DLQ_HEADERS`). */
  [BULLMQ_DLQ_DATA_KEY]: Record<string, string>;
  /** The original job's data, unchanged. */
  data: T;
}

// BullMQ keeps an error's message and stack, not the Error: rebuild one so the
// type (first word of the stack) and stack go into the header set.
function jobError(job: Job): Error {
  const error = new Error(job.failedReason || 'job failed');
  const stack = job.stacktrace?.[job.stacktrace.length - 1];
  const name = stack ? /^([A-Za-z_$][\w$.]*)(?::|$)/.exec(stack)?.[1] : undefined;
  if (name) error.name = name;
  error.stack = stack ?? error.stack;
  return error;
}

/**
 * BullMQ's failed set already IS a dead-letter queue: a job that exhausted
 * its attempts stays there with `failedReason`, `stacktrace` and
 * `attemptsMade` (unless `removeOnFail` drops it), and `parseDeadLetter`
 * reads it. Use this helper when failed jobs must leave their queue instead
 * (to keep the failed set small, or to collect several queues' dead letters in
 * one place): it adds a job to `deadLetterQueue` with the same name and data
 * `{ "signalbox-dlq": <header set>, "data": <original data> }`, recording the
 * original queue, job id, attempts and error. The copy is kept when it
 * completes or fails, and is never retried by BullMQ.
 *
 * Typical use: `worker.on('failed', (job, err) => { if (job && job.attemptsMade
 * >= (job.opts.attempts ?? 1)) void deadLetterBullMQ(job, dlq, { error: err })
 * .then(() => job.remove()) })`. Remove the original only after this
 * resolves: it rejects with the Redis error when the copy was not added.
 */
export async function deadLetterBullMQ(
  job: Job,
  deadLetterQueue: Queue,
  options: BullMQDeadLetterOptions = {},
): Promise<BullMQDeadLetterResult> {
  const resolved: DeadLetterOptions = { ...options, error: options.error ?? jobError(job) };
  // The job's telemetry metadata (traceparent, pathway, replay markers): read for the failed trace,
  // and kept on the copy, so a replayed job that fails again still counts its replays (poison guard).
  const metadata = guarded(
    'read job telemetry metadata',
    () => parseBullmqMetadata((job.opts as { telemetry?: { metadata?: unknown } }).telemetry?.metadata),
    {},
  );
  const prepared = prepareDeadLetter(
    {
      system: SYSTEM_BULLMQ,
      destination: job.queueName,
      messageId: job.id,
      headers: metadata,
      job,
      deliveryCount: job.attemptsMade,
    },
    resolved,
  );
  const data: BullMQDeadLetterData = { [BULLMQ_DLQ_DATA_KEY]: prepared.headers, data: job.data as unknown };
  const telemetry =
    Object.keys(metadata).length > 0 ? { telemetry: { metadata: JSON.stringify(metadata) } } : {};
  const added = await withDeadLetterTelemetry(resolved, prepared.record, deadLetterQueue.name, () =>
    deadLetterQueue.add(job.name, data, {
      attempts: 1,
      removeOnComplete: false,
      removeOnFail: false,
      ...telemetry,
    }),
  );
  return {
    id: prepared.record.id,
    deadLetterDestination: deadLetterQueue.name,
    headers: prepared.headers,
    jobId: added.id,
  };
}
