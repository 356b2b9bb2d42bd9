import { formatDurationSeconds } from './format-duration';
import type { LagStatus } from './types';

/**
 * Status rules, after Burrow's (github.com/linkedin/Burrow/wiki/Consumer-Lag-Evaluation-Rules), adapted
 * to what a poller can see on every broker. Burrow evaluates a window of committed offsets per
 * partition; we evaluate a window of polled samples, where "position" is whatever counter grows while
 * the group consumes (Kafka committed offset, JetStream ack floor, Redis entries-read). Queues have no
 * such counter, so progress there is read from the backlog: it shrank, or its oldest message got
 * younger (see progressed()).
 *
 * Evaluated in this order, first match wins, per partition:
 * 1. REWIND: the position went backwards inside the window (an offset reset, a consumer recreated).
 * 2. OK: nothing waits (lag 0 at the latest sample).
 * 3. STOP / STALL: lag > 0 and no progress for at least `stuckAfterMs` (over at least `minSamples`
 *    samples): STOP when no consumer is attached (Burrow: the consumer stopped committing), STALL when
 *    consumers are attached or unknown (Burrow: commits keep landing on the same offset — stuck on a
 *    message, blocked downstream). Burrow tells the two apart by commit timestamps; a poller cannot see
 *    commits of an unchanged offset, so the consumer count takes that role.
 * 4. WARN: the consumer progresses but the lag never fell across the window and ended higher (Burrow's
 *    WARN, over at least `minSamples` samples), or the oldest message is older than `warnLagSeconds`.
 * 5. OK otherwise.
 *
 * A group takes its worst partition's status; ERR is decided by the poller (the broker could not be
 * read, figures are the last known ones). Burrow's ERR means "a partition is STOP/STALL/REWIND"; ours
 * means "we could not look", which is what an operator needs told apart.
 */
export interface StatusThresholds {
  /** Samples older than this are not evaluated. Default 10 minutes. */
  windowMs: number;
  /** A verdict other than OK (or WARN by age) needs at least this many samples. Default 3. */
  minSamples: number;
  /** No progress with lag for at least this long makes STALL or STOP. Default 2 minutes. */
  stuckAfterMs: number;
  /** WARN when the oldest waiting message is older than this many seconds; null disables. Default 300. */
  warnLagSeconds: number | null;
  /**
   * The trend and the ETA use only the samples of this recent stretch (at least the last 3), so that
   * the ETA follows the current drain rate rather than the average over the status window. Default 2 minutes.
   */
  trendWindowMs: number;
}

export const DEFAULT_THRESHOLDS: StatusThresholds = {
  windowMs: 10 * 60_000,
  minSamples: 3,
  stuckAfterMs: 2 * 60_000,
  warnLagSeconds: 300,
  trendWindowMs: 2 * 60_000,
};

/** The fields of a sample the rules read. */
export interface StatusSample {
  tsMs: number;
  lagMessages: number;
  lagSeconds: number | null;
  position: number | null;
}

export interface StatusVerdict {
  status: LagStatus;
  reason: string;
}

/**
 * Did the consumer move between two consecutive samples? By its position when both samples have one.
 * Otherwise (queues) either sign of consumption counts: the backlog shrank, or the head message got
 * younger — its age grows with the wall clock while the head stays put (1 s or 10 % of the step of
 * slack absorbs timestamp granularity). The backlog alone would miss a consumer keeping pace with
 * producers; the age alone would miss one eating through messages all produced at the same moment.
 */
export function progressed(a: StatusSample, b: StatusSample): boolean {
  if (a.position !== null && b.position !== null) return b.position > a.position;
  if (b.lagMessages < a.lagMessages) return true;
  if (a.lagSeconds !== null && b.lagSeconds !== null && a.lagMessages > 0) {
    const elapsedSeconds = (b.tsMs - a.tsMs) / 1000;
    const slack = Math.max(1, elapsedSeconds * 0.1);
    return b.lagSeconds < a.lagSeconds + elapsedSeconds - slack;
  }
  return false;
}

/**
 * Evaluates one partition's samples (any order; those outside the window ending at `nowMs` are
 * ignored) with the rules above. `consumers` is the group's current consumer count (null = unknown).
 */
export function evaluatePartition(
  samples: readonly StatusSample[],
  consumers: number | null,
  nowMs: number,
  thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
): StatusVerdict {
  const window = samples
    .filter((s) => s.tsMs > nowMs - thresholds.windowMs && s.tsMs <= nowMs)
    .sort((a, b) => a.tsMs - b.tsMs);
  const last = window.at(-1);
  if (!last) return { status: 'OK', reason: 'no samples yet' };

  for (let i = 1; i < window.length; i++) {
    const before = window[i - 1]!.position;
    const after = window[i]!.position;
    if (before !== null && after !== null && after < before) {
      return { status: 'REWIND', reason: `position went back from ${before} to ${after}` };
    }
  }

  if (last.lagMessages === 0) return { status: 'OK', reason: 'caught up' };

  // The stuck run: the longest suffix of samples with lag and no progress between them.
  let start = window.length - 1;
  while (start > 0 && window[start - 1]!.lagMessages > 0 && !progressed(window[start - 1]!, window[start]!)) {
    start--;
  }
  const stuckSamples = window.length - start;
  const stuckMs = last.tsMs - window[start]!.tsMs;
  if (stuckSamples >= thresholds.minSamples && stuckMs >= thresholds.stuckAfterMs) {
    const waited = `no progress for ${formatDurationSeconds(stuckMs / 1000)} with ${last.lagMessages} waiting`;
    if (consumers === 0) return { status: 'STOP', reason: `${waited} and no consumer attached` };
    const who = consumers === null ? 'consumers unknown' : `${consumers} consumer(s) attached`;
    return { status: 'STALL', reason: `${waited}, ${who}` };
  }

  if (window.length >= thresholds.minSamples) {
    const neverFell = window.every((s, i) => i === 0 || s.lagMessages >= window[i - 1]!.lagMessages);
    if (neverFell && last.lagMessages > window[0]!.lagMessages) {
      return {
        status: 'WARN',
        reason: `lag rose from ${window[0]!.lagMessages} to ${last.lagMessages} without falling once`,
      };
    }
  }
  if (
    thresholds.warnLagSeconds !== null &&
    last.lagSeconds !== null &&
    last.lagSeconds > thresholds.warnLagSeconds
  ) {
    return {
      status: 'WARN',
      reason: `oldest message waited ${formatDurationSeconds(last.lagSeconds)} (over ${formatDurationSeconds(thresholds.warnLagSeconds)})`,
    };
  }
  return { status: 'OK', reason: 'consuming' };
}
