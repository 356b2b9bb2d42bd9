import type { AttributeValue, Attributes } from './telemetry';

/**
 * Typed readers over an OTLP attribute map. Each takes the candidate keys in
 * order of preference (current semconv name first, then older names), so the
 * places that read several generations of conventions stay one line each.
 */

function textOf(value: AttributeValue | undefined): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Header-capturing instrumentations (e.g. the Java agent's messaging.header.*) send string arrays.
  if (Array.isArray(value) && typeof value[0] === 'string' && value[0] !== '') return value[0];
  return null;
}

function integerOf(value: AttributeValue | undefined): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  // Several SDKs stringify ids and offsets.
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return null;
}

// Fixed optional parameters rather than `...keys`: these run ~25 times per
// span on the ingest hot path, and a rest array is an allocation per call.

/** The first non-empty value among the keys, as text (numbers and booleans stringified). */
export function text(
  a: Attributes,
  k1: string,
  k2?: string,
  k3?: string,
  k4?: string,
  k5?: string,
): string | null {
  let v = textOf(a[k1]);
  if (v !== null || k2 === undefined) return v;
  v = textOf(a[k2]);
  if (v !== null || k3 === undefined) return v;
  v = textOf(a[k3]);
  if (v !== null || k4 === undefined) return v;
  v = textOf(a[k4]);
  if (v !== null || k5 === undefined) return v;
  return textOf(a[k5]);
}

/** The first safe integer among the keys; decimal strings count. */
export function integer(a: Attributes, k1: string, k2?: string, k3?: string): number | null {
  let v = integerOf(a[k1]);
  if (v !== null || k2 === undefined) return v;
  v = integerOf(a[k2]);
  if (v !== null || k3 === undefined) return v;
  return integerOf(a[k3]);
}

/** True when any of `keys` is the boolean true (or the string "true"). */
export function flag(attributes: Attributes, ...keys: string[]): boolean {
  return keys.some((key) => attributes[key] === true || attributes[key] === 'true');
}

/** True when some attribute key starts with one of `prefixes`. */
export function hasKeyWithPrefix(attributes: Attributes, prefixes: readonly string[]): boolean {
  for (const key in attributes) {
    for (const prefix of prefixes) if (key.startsWith(prefix)) return true;
  }
  return false;
}
