import { describe, expect, it } from 'vitest';
import { type StatusSample, type StatusThresholds, evaluatePartition, progressed } from './status';

const T = 1_700_000_000_000;
const thresholds: StatusThresholds = {
  windowMs: 600_000,
  minSamples: 3,
  stuckAfterMs: 60_000,
  warnLagSeconds: 300,
  trendWindowMs: 60_000,
};

/** Samples 30 s apart from T: [lag, position] pairs, optional ages. */
function series(points: [number, number | null, (number | null)?][]): StatusSample[] {
  return points.map(([lagMessages, position, lagSeconds = null], i) => ({
    tsMs: T + i * 30_000,
    lagMessages,
    position,
    lagSeconds,
  }));
}
const nowAfter = (samples: StatusSample[]) => samples.at(-1)!.tsMs;

describe('evaluatePartition', () => {
  it('is OK when nothing waits, whatever happened before', () => {
    const s = series([
      [50, 10],
      [50, 10],
      [50, 10],
      [0, 60],
    ]);
    expect(evaluatePartition(s, 1, nowAfter(s), thresholds)).toMatchObject({
      status: 'OK',
      reason: 'caught up',
    });
  });

  it('is STOP when the position is stuck with lag and nobody is attached', () => {
    const s = series([
      [5, 100],
      [8, 100],
      [12, 100],
    ]);
    const verdict = evaluatePartition(s, 0, nowAfter(s), thresholds);
    expect(verdict.status).toBe('STOP');
    expect(verdict.reason).toBe('no progress for 1m with 12 waiting and no consumer attached');
  });

  it('is STALL when stuck with consumers attached, or when they are unknown', () => {
    const s = series([
      [5, 100],
      [5, 100],
      [5, 100],
    ]);
    expect(evaluatePartition(s, 2, nowAfter(s), thresholds).status).toBe('STALL');
    expect(evaluatePartition(s, null, nowAfter(s), thresholds).status).toBe('STALL');
  });

  it('needs stuckAfterMs and minSamples before calling a consumer stuck', () => {
    const two = series([
      [5, 100],
      [5, 100],
    ]);
    expect(evaluatePartition(two, 0, nowAfter(two), thresholds).status).toBe('OK');
    const short = series([
      [5, 100],
      [5, 100],
      [5, 100],
    ]);
    expect(evaluatePartition(short, 0, nowAfter(short), { ...thresholds, stuckAfterMs: 61_000 }).status).toBe(
      'OK',
    );
  });

  it('only counts the stuck run since the last progress', () => {
    // Moving, then stuck for the last two steps (60 s): STOP; stuck for one step only: OK.
    const s = series([
      [5, 100],
      [5, 110],
      [5, 110],
      [5, 110],
    ]);
    expect(evaluatePartition(s, 0, nowAfter(s), thresholds).status).toBe('STOP');
    const recent = series([
      [5, 100],
      [5, 105],
      [5, 110],
      [5, 110],
    ]);
    expect(evaluatePartition(recent, 0, nowAfter(recent), thresholds).status).toBe('OK');
  });

  it('is REWIND when the position goes back, before anything else', () => {
    const s = series([
      [0, 100],
      [0, 120],
      [30, 90],
    ]);
    expect(evaluatePartition(s, 1, nowAfter(s), thresholds)).toEqual({
      status: 'REWIND',
      reason: 'position went back from 120 to 90',
    });
    // Even with lag 0 after the rewind: the operator should see it happened.
    const caughtUp = series([
      [0, 100],
      [0, 50],
      [0, 60],
    ]);
    expect(evaluatePartition(caughtUp, 1, nowAfter(caughtUp), thresholds).status).toBe('REWIND');
  });

  it('is WARN when the consumer moves but the lag never falls (Burrow)', () => {
    const s = series([
      [10, 100],
      [10, 120],
      [15, 140],
      [20, 160],
    ]);
    expect(evaluatePartition(s, 1, nowAfter(s), thresholds)).toEqual({
      status: 'WARN',
      reason: 'lag rose from 10 to 20 without falling once',
    });
    const fellOnce = series([
      [10, 100],
      [15, 120],
      [12, 140],
      [20, 160],
    ]);
    expect(evaluatePartition(fellOnce, 1, nowAfter(fellOnce), thresholds).status).toBe('OK');
  });

  it('is WARN when the oldest message waited longer than warnLagSeconds', () => {
    const s = series([
      [10, 100, 400],
      [8, 120, 350],
      [5, 140, 301],
    ]);
    expect(evaluatePartition(s, 1, nowAfter(s), thresholds).reason).toBe(
      'oldest message waited 5m 1s (over 5m)',
    );
    expect(evaluatePartition(s, 1, nowAfter(s), { ...thresholds, warnLagSeconds: null }).status).toBe('OK');
  });

  it('ignores samples outside the window', () => {
    // Old stuck samples, then recent progress: only the window counts.
    const s = series([
      [5, 100],
      [5, 100],
      [5, 100],
      [5, 130],
      [5, 160],
    ]);
    const now = nowAfter(s);
    expect(evaluatePartition(s, 0, now, { ...thresholds, windowMs: 70_000 }).status).toBe('OK');
  });

  it('has no verdict without samples', () => {
    expect(evaluatePartition([], 1, T, thresholds)).toEqual({ status: 'OK', reason: 'no samples yet' });
  });
});

describe('progressed (queues without a position)', () => {
  const at = (s: number, lagMessages: number, lagSeconds: number | null): StatusSample => ({
    tsMs: T + s * 1000,
    lagMessages,
    lagSeconds,
    position: null,
  });

  it('reads progress from the head message getting younger', () => {
    // Head unchanged: its age grows with the clock → no progress, even if new messages arrive.
    expect(progressed(at(0, 10, 100), at(30, 12, 130))).toBe(false);
    // Head consumed: the new head is younger than the old one would be.
    expect(progressed(at(0, 10, 100), at(30, 12, 90))).toBe(true);
  });

  it('reads progress from a shrinking backlog, even when the next head is as old', () => {
    // Messages all produced at once: taking some leaves a head just as old, yet the backlog shrank.
    expect(progressed(at(0, 10, 100), at(30, 8, 130))).toBe(true);
    expect(progressed(at(0, 10, null), at(30, 9, null))).toBe(true);
    expect(progressed(at(0, 10, null), at(30, 10, null))).toBe(false);
  });

  it('is driven to STOP for a queue whose head never moves', () => {
    const s = [at(0, 10, 100), at(30, 11, 130), at(60, 12, 160)];
    expect(evaluatePartition(s, 0, s[2]!.tsMs, thresholds).status).toBe('STOP');
  });
});
