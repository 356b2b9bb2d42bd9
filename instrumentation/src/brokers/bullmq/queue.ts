import { context, type Attributes } from '@opentelemetry/api';
import type { BulkJobOptions, Job, JobsOptions, Processor, Queue } from 'bullmq';
import { markWrapper, messagesInProcess, wrapOnce, wrapperOf } from '../../messaging/wrap-once.js';
import { bypassContrib } from '../../messaging/coexist.js';
import { delegate } from '../../delegate.js';
import { beginProcess } from '../../messaging/consume.js';
import { recordDelivery } from '../../messaging/delivery.js';
import { beginSend } from '../../messaging/produce.js';
import { resolveRuntime, type MessagingRuntime } from '../../messaging/runtime.js';
import type { MessagingInstrumentationOptions } from '../../options.js';
import { setConsumedPathway } from '../../pathway/context.js';
import { bullmqMetadataCarrier, parseBullmqMetadata } from './metadata.js';
import type { MessageCarrier } from '../../propagation/carrier.js';
import { ATTR_MESSAGING_MESSAGE_ID, MESSAGING_OPERATION_TYPE_PROCESS } from '../../semconv.js';
import { guarded, type MessagingSpanInfo } from '../../spans.js';

/*
 * BullMQ. Context travels where BullMQ's own telemetry hook (and so
 * bullmq-otel) keeps it: `opts.telemetry.metadata`, a JSON object of
 * propagation fields stored with the job. We read and write the same, plus
 * `signalbox-pathway`, so a job added by either is processed with its trace
 * by the other. Job attributes use BullMQ's own names (`bullmq.job.*`, from
 * its TelemetryAttributes) so queries work across both.
 */

/** `messaging.system` for BullMQ (no well-known value in the conventions; a custom one). */
export const MESSAGING_SYSTEM_BULLMQ = 'bullmq';

const ATTR_BULLMQ_JOB_NAME = 'bullmq.job.name';
const ATTR_BULLMQ_JOB_ATTEMPTS_MADE = 'bullmq.job.attempts.made';

/** Options of the BullMQ wrappers. */
export type BullMQInstrumentationOptions = MessagingInstrumentationOptions;

// BullMQ's telemetry option on a Queue or Worker (bullmq-otel): when present,
// BullMQ traces that object itself and overwrites the job metadata with its
// own span's context, so we step aside there rather than trace twice.
const hasOwnTelemetry = (owner: unknown) =>
  guarded(
    'bullmq telemetry detection',
    () => Boolean((owner as { opts?: { telemetry?: unknown } } | undefined)?.opts?.telemetry),
    false,
  );

interface PreparedJob {
  opts: JobsOptions | undefined;
  carrier: MessageCarrier;
  commit: () => JobsOptions | undefined;
}

/** A carrier over a copy of the job's telemetry metadata; `commit` returns options carrying it. */
function prepareJob(opts: JobsOptions | undefined): PreparedJob {
  const telemetry = opts?.telemetry;
  const fields = parseBullmqMetadata(telemetry?.metadata);
  const carrier = bullmqMetadataCarrier(fields);
  return {
    opts,
    carrier,
    // omitContext is the user saying "no context in this job": respected.
    commit: () =>
      telemetry?.omitContext || Object.keys(fields).length === 0
        ? opts
        : Object.assign({}, opts, {
            telemetry: Object.assign({}, telemetry, { metadata: JSON.stringify(fields) }),
          }),
  };
}

function jobAttributes(name: unknown, jobId: unknown): Attributes {
  const attributes: Attributes = {};
  if (typeof name === 'string') attributes[ATTR_BULLMQ_JOB_NAME] = name;
  if (typeof jobId === 'string' && jobId !== '') attributes[ATTR_MESSAGING_MESSAGE_ID] = jobId;
  return attributes;
}

/**
 * Wraps a BullMQ `Queue` without patching it: `add` emits a PRODUCER
 * `send {queue}` span and `addBulk` a `create` span per job plus one `send`
 * span; each job carries trace context and the `signalbox-pathway` header in
 * `opts.telemetry.metadata`, where bullmq-otel reads it too (a `traceparent`
 * already there is kept; `omitContext: true` is respected). A queue created
 * with BullMQ's own `telemetry` option (bullmq-otel) is traced by BullMQ,
 * which overwrites the metadata, so the wrapper passes its calls through.
 */
export function instrumentBullMQQueue<T extends Queue>(queue: T, options?: BullMQInstrumentationOptions): T {
  return wrapOnce(queue, 'BullMQ queue', () => {
    const runtime = resolveRuntime(options);
    if (hasOwnTelemetry(queue)) return queue;
    const info = (attributes?: Attributes): MessagingSpanInfo => ({
      system: MESSAGING_SYSTEM_BULLMQ,
      destination: queue.name,
      server: runtime.server,
      ...(attributes && { attributes }),
    });
    // BullMQ's own methods, beneath any auto-instrumentation patch: traced here only.
    const add = bypassContrib(queue as Queue, 'add');
    const addBulk = bypassContrib(queue as Queue, 'addBulk');
    return delegate<Queue>(queue, {
      ...wrapperOf(queue),
      add: (name: string, data: unknown, opts?: JobsOptions) => {
        const prepared = guarded(
          'bullmq add instrumentation',
          () => {
            const job = prepareJob(opts);
            const operation = beginSend(runtime, info(), [job.carrier]);
            operation.span.setAttributes(jobAttributes(name, opts?.jobId));
            return { operation, opts: job.commit() };
          },
          undefined,
        );
        if (!prepared) return add(name, data, opts);
        return prepared.operation.run(() =>
          add(name, data, prepared.opts).then((job) => {
            guarded('bullmq job id', () => {
              if (job?.id) prepared.operation.span.setAttribute(ATTR_MESSAGING_MESSAGE_ID, job.id);
            });
            return job;
          }),
        );
      },
      addBulk: (jobs: { name: string; data: unknown; opts?: BulkJobOptions }[]) => {
        const prepared = guarded(
          'bullmq addBulk instrumentation',
          () => {
            const list = Array.isArray(jobs) ? jobs : [];
            const staged = list.map((job) => prepareJob(job?.opts));
            const operation = beginSend(
              runtime,
              Object.assign(info(), {
                messageAttributes: list.map((job) => jobAttributes(job?.name, job?.opts?.jobId)),
              }),
              staged.map((job) => job.carrier),
            );
            const withContext = list.map((job, i) => Object.assign({}, job, { opts: staged[i]?.commit() }));
            return { operation, jobs: withContext };
          },
          undefined,
        );
        if (!prepared) return addBulk(jobs);
        return prepared.operation.run(() => addBulk(prepared.jobs as Parameters<Queue['addBulk']>[0]));
      },
    } as Partial<Queue>) as T;
  });
}

function processInfo(runtime: MessagingRuntime, job: Job): MessagingSpanInfo {
  const attributes = jobAttributes(job.name, job.id);
  attributes[ATTR_BULLMQ_JOB_ATTEMPTS_MADE] = job.attemptsMade;
  return { system: MESSAGING_SYSTEM_BULLMQ, destination: job.queueName, server: runtime.server, attributes };
}

/**
 * A retry (BullMQ re-queues a failed job while attempts remain) or a stalled
 * job picked up again is a redelivery of the same message.
 */
const isRedelivery = (job: Job) => job.attemptsMade > 0 || (job.attemptsStarted ?? 0) > 1;

/**
 * Wraps a BullMQ processor function (what you pass to `new Worker(queue,
 * processor, opts)`) so every attempt runs inside a CONSUMER `process {queue}`
 * span, linked to (or, per parentMode, parented on) the context in the job's
 * telemetry metadata, written by {@link instrumentBullMQQueue} or by
 * bullmq-otel. A failed attempt records the error and rethrows it unchanged
 * (BullMQ then retries or fails the job); a retry counts as a redelivery.
 * With BullMQ's own `telemetry` option on the Worker, BullMQ already opens a
 * process span: the wrapper then records the metrics only, without a second span.
 */
export function instrumentBullMQProcessor<D = unknown, R = unknown, N extends string = string>(
  processor: Processor<D, R, N>,
  options?: BullMQInstrumentationOptions,
): Processor<D, R, N> {
  return wrapOnce(processor, 'BullMQ processor', () => instrumentProcessor(processor, options));
}

function instrumentProcessor<D, R, N extends string>(
  processor: Processor<D, R, N>,
  options?: BullMQInstrumentationOptions,
): Processor<D, R, N> {
  const runtime = resolveRuntime(options);
  const inProcess = messagesInProcess();
  const instrumented = (job: Job<D, R, N>, token?: string, signal?: AbortSignal): Promise<R> => {
    const call = () => processor(job, token, signal);
    // An outer Signalbox processor (the auto-instrumented worker) already traces this attempt.
    if (inProcess.has(job)) return call();
    inProcess.add(job);
    let attempt: Promise<R>;
    try {
      attempt = traced(job, call);
    } catch (error) {
      // A processor that throws instead of rejecting.
      inProcess.delete(job);
      throw error;
    }
    return Promise.resolve(attempt).finally(() => inProcess.delete(job));
  };
  const traced = (job: Job<D, R, N>, call: () => Promise<R>): Promise<R> => {
    const started = guarded(
      'bullmq process instrumentation',
      () => {
        const info = processInfo(runtime, job as Job);
        const carrier = bullmqMetadataCarrier(parseBullmqMetadata(job.opts?.telemetry?.metadata));
        const delivery = recordDelivery(runtime, info, MESSAGING_OPERATION_TYPE_PROCESS, carrier, {
          redelivered: isRedelivery(job as Job),
        });
        const worker = (job as unknown as { queue?: unknown }).queue;
        if (hasOwnTelemetry(worker)) {
          // BullMQ's span is active; keep the pathway going for sends in the processor.
          return {
            context: delivery.pathway ? setConsumedPathway(context.active(), delivery.pathway) : undefined,
          };
        }
        return { operation: beginProcess(runtime, info, carrier, { delivery }) };
      },
      undefined,
    );
    if (started?.operation) return started.operation.run(call);
    if (started?.context) return context.with(started.context, call);
    return call();
  };
  return markWrapper(instrumented, processor);
}
