/** Builds a /dlq URL from the current params with some changed (null removes). Filters live in the URL. */
export function dlqHref(params: Record<string, string>, change: Record<string, string | null>): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...change })) if (v !== null && v !== '') next.set(k, v);
  const query = next.toString();
  return query ? `/dlq?${query}` : '/dlq';
}

export const FILTER_KEYS = ['error', 'destination', 'header', 'text', 'fingerprint', 'from', 'to'] as const;
