/**
 * Attributes of the span the dashboard records when it replays a dead letter (lib/dlq/replay-trace.ts
 * writes them, the journey reads them): the replay lives in the dashboard's own store, so both sides
 * are ours and share these names.
 */
export const REPLAY_ATTRIBUTES = {
  /** The replay id, also sent as the `signalbox-replay-id` header. */
  id: 'signalbox.replay.id',
  /** The dead-letter queue the copy was taken from. */
  dlq: 'signalbox.replay.dlq',
  /** The replay job, as /api/replays/{jobId} names it. */
  job: 'signalbox.replay.job_id',
  /** Who started the job (its audit log actor). */
  actor: 'signalbox.replay.actor',
} as const;
