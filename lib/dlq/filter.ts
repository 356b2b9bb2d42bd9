import { z } from 'zod';
import type { DlqMessageView } from './message-view';

/**
 * Which DLQ messages a view or a replay covers. Every condition must hold; text matches are
 * case-insensitive substrings. `header` is `name` (present) or `name=value` (value contains).
 */
export const filterSchema = z
  .object({
    destination: z.string().trim().min(1).max(512),
    error: z.string().trim().min(1).max(512),
    header: z.string().trim().min(1).max(512),
    text: z.string().trim().min(1).max(512),
    fingerprint: z
      .string()
      .trim()
      .regex(/^[0-9a-f]{16}$/, "must be 16 hex digits (a failure group's fingerprint)"),
    /** ISO 8601: last failure at or after. */
    from: z.iso.datetime({ offset: true }),
    /** ISO 8601: last failure before. */
    to: z.iso.datetime({ offset: true }),
  })
  .partial()
  .strict();

export type DlqFilter = z.infer<typeof filterSchema>;

const has = (haystack: string | null | undefined, needle: string) =>
  haystack?.toLowerCase().includes(needle.toLowerCase()) ?? false;

export function matchesFilter(message: DlqMessageView, filter: DlqFilter): boolean {
  const f = message.failure;
  if (filter.destination && !has(f.source.destination, filter.destination)) return false;
  if (
    filter.error &&
    !has(f.errorType, filter.error) &&
    !has(f.errorMessage, filter.error) &&
    !has(f.reason, filter.error)
  )
    return false;
  if (filter.fingerprint && message.fingerprint !== filter.fingerprint) return false;
  if (filter.header) {
    const eq = filter.header.indexOf('=');
    const name = (eq < 0 ? filter.header : filter.header.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? null : filter.header.slice(eq + 1);
    const entry = Object.entries(message.headers).find(([n]) => n.toLowerCase() === name);
    if (!entry) return false;
    const values = Array.isArray(entry[1]) ? entry[1] : [entry[1]];
    if (value !== null && !values.some((v) => has(v, value))) return false;
  }
  if (filter.text && !has(message.body.encoding === 'base64' ? null : message.body.preview, filter.text))
    return false;
  const at = f.lastFailedAt ?? message.timestamp;
  if (filter.from && (at === null || Date.parse(at) < Date.parse(filter.from))) return false;
  if (filter.to && (at === null || Date.parse(at) >= Date.parse(filter.to))) return false;
  return true;
}

export function isEmptyFilter(filter: DlqFilter): boolean {
  return Object.values(filter).every((v) => v === undefined);
}
