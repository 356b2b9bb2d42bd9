import { randomUUID } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import { z } from 'zod';
import type { DlqAdapter, DlqQueueInfo } from '@/lib/brokers/dlq-types';
import { BadRequestError, ConflictError, NotFoundError } from '@/lib/http/errors';
import type { Masker } from '@/lib/masking';
import { type DryRun, dryRun } from './dry-run';
import { type DlqFilter, filterSchema, isEmptyFilter, matchesFilter } from './filter';
import { type FailureGroup, groupByFingerprint } from './grouping';
import { type DlqMessageView, messageView } from './message-view';
import { parseQueueId, queueId } from './queue-id';
import { QueueTurns } from './queue-turns';
import type { ReplayItem, ReplayJob, ReplaySelection, ReplayStore } from './replay-store';
import {
  type Actor,
  type AuditEntry,
  type ChainedAuditEntry,
  SIGNALBOX_ACTOR,
} from '@/lib/audit/audit-entry';
import { runReplayJob } from './runner';

/** The request could not be understood (400/422). */
export class DlqRequestError extends BadRequestError {
  override name = 'DlqRequestError';
}
/** No such queue, message or job (404). */
export class DlqNotFoundError extends NotFoundError {
  override name = 'DlqNotFoundError';
}
/** The operation conflicts with the broker's abilities or the job's state (409). */
export class DlqConflictError extends ConflictError {
  override name = 'DlqConflictError';
}

export const replayRequestSchema = z
  .object({
    messageIds: z.array(z.string().min(1).max(512)).min(1).max(10_000).optional(),
    filter: filterSchema.optional(),
    all: z.literal(true).optional(),
    target: z.string().trim().min(1).max(512).optional(),
    dryRun: z.boolean().default(false),
    ratePerSecond: z.number().positive().max(100_000).optional(),
    /** Edit-and-replay: the new body of the single message in `messageIds`, as UTF-8 text. */
    editedBody: z
      .string()
      .max(4 * 1024 * 1024)
      .optional(),
  })
  .strict()
  .refine((r) => [r.messageIds, r.filter, r.all].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of messageIds, filter or all',
  })
  .refine((r) => r.editedBody === undefined || r.messageIds?.length === 1, {
    message: 'editedBody replays exactly one message: give one id in messageIds',
  });
export type ReplayRequest = z.input<typeof replayRequestSchema>;

export interface QueueView extends DlqQueueInfo {
  id: string;
}

export type { DryRun };

export interface JobView extends ReplayJob {
  counts: Record<ReplayItem['status'], number>;
  items: ReplayItem[];
}

interface Options {
  maxReplays: number;
  /** Hides secrets and personal data in every view of a message (replays send the original). */
  masker: Masker;
  browseLimit: number;
  /** Tracer of the replay spans; the global one by default. */
  tracer?: Tracer;
  /** Runs before each discovery: adds DLQ names seen in telemetry (the Signalbox header) to the adapters'. */
  learnNames?: () => Promise<void>;
}

/** Everything the DLQ API and page do, on top of the adapters and the replay store. */
export class DlqService {
  /** The last job of each queue: jobs of one queue run in order, queues do not wait for each other. */
  private readonly turns = new QueueTurns();
  private readonly controllers = new Map<string, AbortController>();

  constructor(
    private readonly adapters: readonly DlqAdapter[],
    readonly store: ReplayStore,
    private readonly options: Options,
  ) {}

  /** The masking every view of a message goes through (the archive re-applies it when read). */
  get masker(): Masker {
    return this.options.masker;
  }

  private adapter(id: string): { adapter: DlqAdapter; name: string } {
    const parsed = parseQueueId(id);
    const adapter = parsed && this.adapters.find((a) => a.system === parsed.system);
    if (!parsed || !adapter) throw new DlqNotFoundError(`no dead-letter queue ${id} on a configured broker`);
    return { adapter, name: parsed.name };
  }

  async queues(): Promise<{
    queues: QueueView[];
    brokers: { system: string; address: string; error: string | null }[];
  }> {
    await this.options
      .learnNames?.()
      .catch((error: unknown) =>
        console.error('signalbox: DLQ names from telemetry could not be read', error),
      );
    const results = await Promise.all(
      this.adapters.map(async (a) => {
        try {
          return { queues: await a.discover(), error: null };
        } catch (error) {
          return { queues: [], error: `${a.system} at ${a.address} is not reachable: ${String(error)}` };
        }
      }),
    );
    return {
      queues: results.flatMap((r) => r.queues.map((q) => ({ id: queueId(q.system, q.name), ...q }))),
      brokers: this.adapters.map((a, i) => ({
        system: a.system,
        address: a.address,
        error: results[i]?.error ?? null,
      })),
    };
  }

  /** Messages of a DLQ matching `filter`, with failure groups; replayed Kafka records are flagged. */
  async messages(
    id: string,
    filter: DlqFilter,
  ): Promise<{
    messages: (DlqMessageView & { replayed: boolean })[];
    groups: FailureGroup[];
    truncated: boolean;
    read: number;
  }> {
    const { adapter, name } = this.adapter(id);
    const { records, truncated } = await this.turns.read(id, () =>
      adapter.browse(name, this.options.browseLimit),
    );
    const replayed = await this.store.replayedKeys(id);
    const views = records.map((r) => ({
      ...messageView(adapter.system, name, r, this.options.masker),
      replayed: replayed.has(r.key),
    }));
    const kept = views.filter((v) => !v.replayed && matchesFilter(v, filter));
    return { messages: kept, groups: groupByFingerprint(kept), truncated, read: records.length };
  }

  async replay(id: string, body: unknown, actor: Actor): Promise<DryRun | JobView> {
    const parsed = replayRequestSchema.safeParse(body);
    if (!parsed.success)
      throw new DlqRequestError(
        parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      );
    const request = parsed.data;
    const { adapter, name } = this.adapter(id);
    const selection: ReplaySelection = request.messageIds
      ? { messageIds: request.messageIds }
      : request.filter && !isEmptyFilter(request.filter)
        ? { filter: request.filter }
        : { all: true };
    const preview = await this.preview(id, selection, request.target ?? null);
    if (request.messageIds && preview.messages + preview.poison + preview.skipped === 0) {
      throw new DlqNotFoundError(`none of the messages asked for is in ${id} (replayed already, or gone)`);
    }
    if (request.dryRun) return preview;
    const job: ReplayJob = {
      id: randomUUID(),
      queueId: id,
      system: adapter.system,
      queue: name,
      selection,
      target: request.target ?? null,
      ratePerSecond: request.ratePerSecond ?? null,
      maxReplays: this.options.maxReplays,
      editedBody:
        request.editedBody === undefined ? null : Buffer.from(request.editedBody, 'utf8').toString('base64'),
      status: 'queued',
      cursor: null,
      actor: actor.name,
      createdAtMs: Date.now(),
      finishedAtMs: null,
      error: null,
      expected: preview.messages,
    };
    await this.store.createJob(job);
    await this.audit({
      actor,
      action: request.editedBody === undefined ? 'replay' : 'replay-edited',
      queueId: id,
      jobId: job.id,
      detail: {
        selection,
        target: job.target,
        ratePerSecond: job.ratePerSecond,
        expected: job.expected,
        ...(request.editedBody === undefined
          ? {}
          : { editedBody: maskedText(request.editedBody, this.options.masker).slice(0, 4096) }),
      },
    });
    this.start(job);
    return this.job(job.id);
  }

  private async preview(id: string, selection: ReplaySelection, target: string | null): Promise<DryRun> {
    const { messages, truncated } = await this.messages(id, 'filter' in selection ? selection.filter : {});
    const wanted = 'messageIds' in selection ? new Set(selection.messageIds) : null;
    const chosen = wanted ? messages.filter((m) => wanted.has(m.id)) : messages;
    return dryRun(chosen, {
      target,
      dlq: parseQueueId(id)?.name ?? null,
      maxReplays: this.options.maxReplays,
      truncated,
    });
  }

  async job(jobId: string): Promise<JobView> {
    const job = await this.store.getJob(jobId);
    if (!job) throw new DlqNotFoundError(`no replay job ${jobId}`);
    const [counts, items] = await Promise.all([this.store.itemCounts(jobId), this.store.items(jobId)]);
    return { ...job, counts, items };
  }

  /** The newest replay jobs and audit entries, newest first: what the Replays API and the audit panel show. */
  async history(limits: {
    jobs: number;
    audit: number;
  }): Promise<{ jobs: ReplayJob[]; audit: ChainedAuditEntry[] }> {
    const [jobs, audit] = await Promise.all([
      this.store.listJobs(limits.jobs),
      this.store.audit.list(limits.audit),
    ]);
    return { jobs, audit };
  }

  /** A replay job of this queue is queued or running (the archiver leaves the queue alone). */
  hasActiveJob(queueId: string): boolean {
    return this.turns.hasJob(queueId);
  }

  /** Runs a queue's jobs one at a time, in the order they were created. */
  private start(job: ReplayJob): void {
    const controller = new AbortController();
    this.controllers.set(job.id, controller);
    const { adapter } = this.adapter(job.queueId);
    this.turns.job(job.queueId, async () => {
      try {
        const current = await this.store.getJob(job.id);
        if (!current || current.status === 'cancelled') return;
        await runReplayJob(
          current,
          { store: this.store, adapter, tracer: this.options.tracer, masker: this.options.masker },
          controller.signal,
        );
      } catch (error) {
        console.error(`replay job ${job.id} failed`, error);
      } finally {
        this.controllers.delete(job.id);
      }
    });
  }

  /** Resumes jobs a previous process left queued or running (called once at start-up). */
  async resumeInterrupted(): Promise<number> {
    const jobs = (await this.store.listJobs(1000))
      .filter((j) => j.status === 'running' || j.status === 'queued')
      .reverse();
    for (const job of jobs) {
      await this.audit({
        actor: SIGNALBOX_ACTOR,
        action: 'resume',
        queueId: job.queueId,
        jobId: job.id,
        detail: { status: job.status },
      });
      this.start(job);
    }
    return jobs.length;
  }

  async cancel(jobId: string, actor: Actor): Promise<JobView> {
    const job = await this.job(jobId);
    if (job.status !== 'queued' && job.status !== 'running')
      throw new DlqConflictError(`job ${jobId} is ${job.status}`);
    this.controllers.get(jobId)?.abort();
    if (job.status === 'queued')
      await this.store.updateJob(jobId, { status: 'cancelled', finishedAtMs: Date.now() });
    await this.audit({ actor, action: 'cancel', queueId: job.queueId, jobId, detail: {} });
    return this.job(jobId);
  }

  async purge(id: string, actor: Actor, confirm: unknown): Promise<{ purged: number | null }> {
    const { adapter, name } = this.adapter(id);
    if (confirm !== name)
      throw new DlqRequestError(`to purge, send { "confirm": "${name}" } (the queue's name)`);
    const purged = await adapter.purge(name);
    await this.audit({ actor, action: 'purge', queueId: id, jobId: null, detail: { purged } });
    return { purged };
  }

  /** Deletes one message (RabbitMQ). Kafka cannot delete one record: 409 with what to do instead. */
  async deleteMessage(id: string, messageId: string, actor: Actor): Promise<void> {
    const { adapter, name } = this.adapter(id);
    if (adapter.system === 'kafka') {
      throw new DlqConflictError('Kafka cannot delete a single record: replay it, or purge the topic');
    }
    const session = await adapter.open(name, { jobId: `delete-${randomUUID()}`, cursor: null });
    try {
      for (let r = await session.next(); r; r = await session.next()) {
        if (r.key !== messageId) continue;
        // Audit first: if the process dies in between, the log says more than happened, never less.
        // The log is shown on the page, so it keeps the message masked, like the archive.
        const { masker } = this.options;
        await this.audit({
          actor,
          action: 'delete',
          queueId: id,
          jobId: null,
          detail: {
            messageId,
            headers: masker.headers(r.headers),
            body: masker.body(r.body).body.toString('base64').slice(0, 65536),
          },
        });
        await session.remove([r]);
        return;
      }
      throw new DlqNotFoundError(`message ${messageId} is not in ${id}`);
    } finally {
      await session.close();
    }
  }

  private async audit(entry: Omit<AuditEntry, 'atMs'>): Promise<void> {
    await this.store.audit.append({ atMs: Date.now(), ...entry });
  }

  /** Resolves when every job started so far has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.turns.idle();
  }

  async close(): Promise<void> {
    for (const c of this.controllers.values()) c.abort();
    await this.idle();
    await Promise.all(this.adapters.map((a) => a.close()));
  }
}

/** An edited body as the audit log keeps it: masked like a message (JSON by path too), then cut. */
const maskedText = (text: string, masker: Masker) =>
  masker.body(Buffer.from(text, 'utf8')).body.toString('utf8');
