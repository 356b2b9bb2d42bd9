import type { AuditLog } from '@/lib/audit/audit-entry';
import type { DlqFilter } from './filter';

/** Which messages of a DLQ a replay covers. */
export type ReplaySelection = { messageIds: string[] } | { filter: DlqFilter } | { all: true };

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/**
 * Per message outcome, written once the broker confirmed (replayed), the poison guard stopped it
 * (poison), or it could not be replayed (skipped: no target known, or the target is the DLQ itself).
 * Messages with no item yet are pending: still in the DLQ.
 */
export type ItemStatus = 'replayed' | 'poison' | 'skipped';

export interface ReplayJob {
  id: string;
  queueId: string;
  system: string;
  queue: string;
  selection: ReplaySelection;
  /** Fixed target for every message; null = each message's original destination. */
  target: string | null;
  ratePerSecond: number | null;
  /** Poison guard: a message already replayed this many times is not replayed again. */
  maxReplays: number;
  /** Edited payload for a single-message edit-and-replay (base64), else null. */
  editedBody: string | null;
  status: JobStatus;
  /** The adapter's session cursor, saved when the first pass started (so a resumed pass reads the same records). */
  cursor: string | null;
  actor: string;
  createdAtMs: number;
  finishedAtMs: number | null;
  error: string | null;
  /** Messages the dry run counted when the job was created. */
  expected: number;
}

export interface ReplayItem {
  messageKey: string;
  replayId: string;
  status: ItemStatus;
  target: string | null;
  detail: string | null;
  atMs: number;
}

/** Jobs, their checkpoints and the audit log. Narrow so another engine can implement it. */
export interface ReplayStore {
  createJob(job: ReplayJob): Promise<void>;
  getJob(id: string): Promise<ReplayJob | null>;
  listJobs(limit: number): Promise<ReplayJob[]>;
  updateJob(
    id: string,
    patch: Partial<Pick<ReplayJob, 'status' | 'cursor' | 'finishedAtMs' | 'error'>>,
  ): Promise<void>;
  /** Checkpoint: durable when it resolves. Rejects a key already recorded for the job. */
  recordItems(jobId: string, items: readonly ReplayItem[]): Promise<void>;
  items(jobId: string): Promise<ReplayItem[]>;
  /** Item counts per status. */
  itemCounts(jobId: string): Promise<Record<ItemStatus, number>>;
  /** Keys of a queue's messages replayed by any job (Kafka keeps them in the topic). */
  replayedKeys(queueId: string): Promise<Set<string>>;
  /** The audit log, kept beside the jobs (every change to a DLQ is recorded there). */
  readonly audit: AuditLog;
}
