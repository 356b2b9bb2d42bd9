/** A UTC time to the second, as the tables show it. */
export const utc = (ms: number | null): string =>
  ms === null ? '—' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
