import type { TimeWindow } from '@/lib/store/types';
import { BadRequestError } from '@/lib/http/errors';

/** A query's time range, as given (for echoing back and URLs) and resolved. */
export interface TimeRange extends TimeWindow {
  from: string;
  to: string;
}

export const DEFAULT_FROM = '15m';

export class TimeRangeError extends BadRequestError {
  override name = 'TimeRangeError';
}

const RELATIVE = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `15m` (15 minutes before `nowMs`), `now`, or an ISO-8601 time into epoch microseconds. */
function parsePoint(value: string, nowMs: number, key: string): number {
  if (value === 'now') return nowMs * 1000;
  const relative = RELATIVE.exec(value);
  if (relative) return (nowMs - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]) * 1000;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new TimeRangeError(
      `${key}=${JSON.stringify(value)} is not a time: use ISO-8601 or a relative time like 15m, 2h, 7d`,
    );
  }
  return ms * 1000;
}

/** `from` defaults to 15 minutes ago and `to` to now; `from` must be before `to`. */
export function parseTimeRange(
  from: string | null | undefined,
  to: string | null | undefined,
  nowMs = Date.now(),
): TimeRange {
  const fromText = from?.trim() || DEFAULT_FROM;
  const toText = to?.trim() || 'now';
  const fromUs = parsePoint(fromText, nowMs, 'from');
  const toUs = parsePoint(toText, nowMs, 'to');
  if (fromUs >= toUs) throw new TimeRangeError(`from (${fromText}) must be before to (${toText})`);
  return { from: fromText, to: toText, fromUs, toUs };
}

/**
 * The comparison window for `compareTo`: a duration (`1d` = the same window one
 * day earlier) or an ISO-8601 time where an equally long window starts.
 */
export function parseCompareTo(value: string | null | undefined, range: TimeWindow): TimeWindow | null {
  const text = value?.trim();
  if (!text) return null;
  const span = range.toUs - range.fromUs;
  const relative = RELATIVE.exec(text);
  if (relative) {
    const shift = Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS] * 1000;
    if (shift === 0) throw new TimeRangeError('compareTo must shift the window: use e.g. 1h, 1d, 7d');
    return { fromUs: range.fromUs - shift, toUs: range.toUs - shift };
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new TimeRangeError(
      `compareTo=${JSON.stringify(text)} is not a time: use a duration (1d = one day earlier) or an ISO-8601 start`,
    );
  }
  return { fromUs: ms * 1000, toUs: ms * 1000 + span };
}
