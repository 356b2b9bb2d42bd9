import { DlqBrokerError } from '@/lib/brokers/dlq-types';

/** How long one broker call of a replay (open, read, publish-and-confirm, remove) may take. */
export const BROKER_CALL_TIMEOUT_MS = 60_000;

/**
 * Bounds one broker call: a broker that stops answering (a confirm that never comes, a consumer
 * group that never finishes joining) fails the job with a message saying which step hung, instead of
 * leaving it — and every job queued behind it — waiting forever. Nothing is lost: what was not
 * confirmed and checkpointed stays in the DLQ.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  what: string,
  ms = BROKER_CALL_TIMEOUT_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DlqBrokerError(
            `the broker did not answer "${what}" within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}; nothing unconfirmed was removed — check the broker and replay again`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
