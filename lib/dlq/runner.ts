import { type Tracer, trace } from '@opentelemetry/api';
import type {
  DlqAdapter,
  DlqRecord,
  DlqSession,
  BrokerSystem,
  OutgoingMessage,
} from '@/lib/brokers/dlq-types';
import { replayId } from '@/lib/brokers/replay-id';
import type { Masker } from '@/lib/masking';
import { withDeadline } from './broker-deadline';
import { matchesFilter } from './filter';
import { type DlqMessageView, messageView } from './message-view';
import { RateLimiter } from './rate-limiter';
import { replayHeaders } from './replay-headers';
import type { ReplayItem, ReplayJob, ReplayStore } from './replay-store';
import { startReplaySpan } from './replay-trace';

export interface RunnerDeps {
  store: ReplayStore;
  adapter: DlqAdapter;
  tracer?: Tracer;
  /**
   * The view's masking: a filter picks the messages the page (masked) showed. Only the choice uses
   * the view; what is sent is the record as read, unmasked.
   */
  masker: Masker;
  /** Most messages confirmed and checkpointed together when not rate-limited. */
  maxBatch?: number;
  now?: () => number;
}

interface Planned {
  record: DlqRecord;
  item: ReplayItem;
  message?: OutgoingMessage;
  end?: () => void;
}

/**
 * Runs (or resumes) one replay job to its end. The order per batch is what makes it safe:
 *   1. read records from the DLQ (RabbitMQ: held unacked),
 *   2. wait for the rate limiter,
 *   3. publish the copies and wait for the broker's confirmation,
 *   4. checkpoint them (durable in the store),
 *   5. only then remove them from the DLQ.
 * A crash before 3 completes leaves them in the DLQ; between 3 and 4 gives a duplicate that carries
 * the same replay id (the id is derived from job and message); between 4 and 5 the resumed job finds
 * them checkpointed and only removes them. A broker error stops the job as `failed` with nothing lost.
 */
export async function runReplayJob(
  job: ReplayJob,
  deps: RunnerDeps,
  signal?: AbortSignal,
): Promise<ReplayJob> {
  const { store, adapter } = deps;
  const now = deps.now ?? Date.now;
  const tracer = deps.tracer ?? trace.getTracer('signalbox-dlq-replay');
  const maxBatch = deps.maxBatch ?? 500;
  const system = adapter.system;
  const done = new Map((await store.items(job.id)).map((i) => [i.messageKey, i]));
  const wanted = 'messageIds' in job.selection ? new Set(job.selection.messageIds) : null;
  const limiter = new RateLimiter(job.ratePerSecond);

  await store.updateJob(job.id, { status: 'running', error: null });
  let session: DlqSession;
  try {
    session = await withDeadline(
      adapter.open(job.queue, { jobId: job.id, cursor: job.cursor, checkpointed: new Set(done.keys()) }),
      `open ${job.queue}`,
    );
  } catch (error) {
    return finish(job, deps, { status: 'failed', error: errorText(error) });
  }
  try {
    if (job.cursor === null && session.cursor !== null)
      await store.updateJob(job.id, { cursor: session.cursor });
    for (;;) {
      signal?.throwIfAborted();
      const size = limiter.batchSize(maxBatch);
      const plan: Planned[] = [];
      const inPlan = new Set<string>();
      const alreadyReplayed: DlqRecord[] = [];
      let publishing = 0;
      let ended = false;
      while (publishing < size) {
        if (wanted && [...wanted].every((k) => done.has(k))) {
          ended = true;
          break;
        }
        const record = await withDeadline(session.next(), `read ${job.queue}`);
        if (!record) {
          ended = true;
          break;
        }
        // A record delivered twice in one pass (a Kafka rebalance re-delivers) is planned once.
        if (inPlan.has(record.key)) continue;
        inPlan.add(record.key);
        const prior = done.get(record.key);
        // A key made from the content (a RabbitMQ message with no id) may stand for another, identical
        // message: removing it unsent could lose it, so it is sent again (with the same replay id).
        if (prior && !(prior.status === 'replayed' && isContentKey(record.key))) {
          // Checkpointed before a crash but still in the DLQ: the copy is confirmed, just remove it.
          if (prior.status === 'replayed') alreadyReplayed.push(record);
          continue;
        }
        if (wanted && !wanted.has(record.key)) continue;
        const view = messageView(system, job.queue, record, deps.masker);
        if ('filter' in job.selection && !matchesFilter(view, job.selection.filter)) continue;
        const planned = planRecord(job, record, view, system, tracer, now);
        plan.push(planned);
        if (planned.message) publishing++;
      }
      if (alreadyReplayed.length > 0)
        await withDeadline(session.remove(alreadyReplayed), `remove from ${job.queue}`);
      if (plan.length > 0) await settleBatch(job.id, session, plan, deps.store, limiter, publishing, done);
      if (ended) break;
    }
  } catch (error) {
    await closeQuietly(session);
    const aborted = signal?.aborted === true;
    return finish(job, deps, {
      status: aborted ? 'cancelled' : 'failed',
      error: aborted ? 'cancelled' : errorText(error),
    });
  }
  await closeQuietly(session);
  return finish(job, deps, { status: 'done', error: null });
}

/** Ends a pass; a broker that fails to close it still gets every unremoved message back (channel close). */
async function closeQuietly(session: DlqSession): Promise<void> {
  await withDeadline(session.close(), 'close the pass', 10_000).catch((error: unknown) =>
    console.error('signalbox: a replay pass did not close cleanly', error),
  );
}

async function finish(
  job: ReplayJob,
  deps: RunnerDeps,
  outcome: { status: 'done' | 'failed' | 'cancelled'; error: string | null },
): Promise<ReplayJob> {
  await deps.store.updateJob(job.id, { ...outcome, finishedAtMs: (deps.now ?? Date.now)() });
  return (await deps.store.getJob(job.id)) ?? job;
}

function planRecord(
  job: ReplayJob,
  record: DlqRecord,
  view: DlqMessageView,
  system: BrokerSystem,
  tracer: Tracer,
  now: () => number,
): Planned {
  const id = replayId(job.id, record.key);
  const item = (status: ReplayItem['status'], target: string | null, detail: string | null): Planned => ({
    record,
    item: { messageKey: record.key, replayId: id, status, target, detail, atMs: now() },
  });
  if (record.notReplayable) return item('skipped', null, record.notReplayable);
  const previous = view.failure.replay?.count ?? 0;
  const target = job.target ?? view.failure.source.destination;
  if (previous >= job.maxReplays) {
    return item('poison', target, `replayed ${previous} times and failed again (limit ${job.maxReplays})`);
  }
  if (!target) return item('skipped', null, 'no original destination in the headers: choose a target');
  if (target === job.queue) return item('skipped', target, 'the target is the DLQ itself');
  const headers = replayHeaders(record.headers, id, previous).headers;
  const span = startReplaySpan(
    tracer,
    {
      system,
      target,
      originalTraceparent: view.failure.traceparent,
      replayId: id,
      dlq: job.queue,
      jobId: job.id,
      actor: job.actor,
    },
    headers,
  );
  const planned = item('replayed', target, null);
  planned.message = {
    headers,
    body: job.editedBody !== null ? Buffer.from(job.editedBody, 'base64') : record.body,
    messageKey: record.messageKey,
    properties: record.properties,
  };
  planned.end = () => span.end();
  return planned;
}

async function settleBatch(
  jobId: string,
  session: DlqSession,
  plan: Planned[],
  store: ReplayStore,
  limiter: RateLimiter,
  publishing: number,
  done: Map<string, ReplayItem>,
): Promise<void> {
  await limiter.acquire(publishing);
  const byTarget = new Map<string, Planned[]>();
  for (const p of plan) {
    if (!p.message || !p.item.target) continue;
    const group = byTarget.get(p.item.target);
    if (group) group.push(p);
    else byTarget.set(p.item.target, [p]);
  }
  try {
    for (const [target, group] of byTarget) {
      await withDeadline(
        session.publish(
          target,
          group.flatMap((p) => (p.message ? [p.message] : [])),
        ),
        `publish to ${target} and confirm`,
      );
    }
  } finally {
    for (const p of plan) p.end?.();
  }
  const items = plan.map((p) => p.item);
  await store.recordItems(
    jobId,
    items.filter((i) => !done.has(i.messageKey)),
  );
  for (const item of items) done.set(item.messageKey, item);
  await withDeadline(
    session.remove(plan.filter((p) => p.item.status === 'replayed').map((p) => p.record)),
    'remove replayed messages from the DLQ',
  );
}

const isContentKey = (key: string) => key.startsWith('sha256:');

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
