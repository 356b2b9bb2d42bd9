import type { TimeWindow } from '@/lib/store/types';
import { TimeRangeError } from './time-range';

const MINUTE_US = 60_000_000;
const UNIT_US = { s: 1e6, m: 60e6, h: 3600e6, d: 86_400e6 } as const;
/** Enough points for a chart, few enough to draw fast. */
const TARGET_POINTS = 60;
const MAX_POINTS = 1440;

/**
 * The step of a time series: `step=5m`-style, or chosen to give about 60
 * points. Rollups have one-minute resolution, so a step is a whole number of
 * minutes (at least one); a step that would give more than 1440 points is refused.
 */
export function parseStep(step: string | null | undefined, window: TimeWindow): number {
  const span = window.toUs - window.fromUs;
  if (!step) return Math.max(MINUTE_US, Math.ceil(span / TARGET_POINTS / MINUTE_US) * MINUTE_US);
  const match = /^(\d+)(s|m|h|d)$/.exec(step.trim());
  if (!match) throw new TimeRangeError(`step=${JSON.stringify(step)} is not a duration: use e.g. 1m, 5m, 1h`);
  const us = Math.max(
    MINUTE_US,
    Math.round((Number(match[1]) * UNIT_US[match[2] as keyof typeof UNIT_US]) / MINUTE_US) * MINUTE_US,
  );
  if (span / us > MAX_POINTS) {
    throw new TimeRangeError(
      `step=${step} gives more than ${MAX_POINTS} points over this range: use a larger step`,
    );
  }
  return us;
}
