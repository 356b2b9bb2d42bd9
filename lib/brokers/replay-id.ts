import { createHash } from 'node:crypto';

/**
 * The replay id of one message in one job: the same inputs always give the same id, so a copy sent
 * twice (a crash between the broker's confirmation and the checkpoint) is recognisable as a duplicate.
 * Here rather than in lib/dlq because a broker needs it too: the replay runner stamps it on each copy,
 * and the SQS DLQ session uses it to recognise its own job's copies coming back round.
 */
export function replayId(jobId: string, messageKey: string): string {
  const h = createHash('sha256').update(`${jobId}\n${messageKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
