import { z } from 'zod';

/**
 * The kinds of query parameter the APIs take. Messages are phrased to follow the parameter's name
 * (see lib/http/parse.ts): "limit must be a whole number from 1 to 10000, not "0"".
 */

/** Free text, trimmed, bounded so a runaway value never reaches a query. */
export const text = (maxLength = 512) => z.string().trim().max(maxLength);

/** Text the request cannot do without; `what` tells the client what to send. */
export const requiredText = (what: string, maxLength = 512) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : undefined) })
    .trim()
    .max(maxLength);

/** A whole number within [min, max]; `fallback` when absent. Out of range is refused, never clamped. */
export const wholeNumber = ({ min, max, fallback }: { min: number; max: number; fallback: number }) => {
  const expected = `must be a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ error: expected })
    .int(expected)
    .min(min, expected)
    .max(max, expected)
    .default(fallback);
};

/**
 * `from` and `to` of a time range, as text: lib/analytics/time-range.ts reads them (`15m`, `now`,
 * ISO-8601) and says what is wrong with a bad one; here they are only bounded.
 */
export const timeRangeFields = { from: text(64).optional(), to: text(64).optional() };

/** A series' step (`5m`), read by lib/analytics/time-step.ts against the range. */
export const stepField = text(32).optional();
