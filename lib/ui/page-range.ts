import { type TimeRange, TimeRangeError, parseTimeRange } from '@/lib/analytics/time-range';

/** Parses a page's from/to: the range, or the message to show instead of the page. */
export function pageRange(params: Record<string, string>): { range: TimeRange } | { error: string } {
  try {
    return { range: parseTimeRange(params.from, params.to) };
  } catch (error) {
    if (error instanceof TimeRangeError) return { error: error.message };
    throw error;
  }
}
