/** A UTC time to the second, as the tables show it. */
export const utc = (ms: number | null): string =>
  ms === null ? '—' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The time of day in UTC (HH:MM), for notes beside a row. */
export const clock = (ms: number): string => `${new Date(ms).toISOString().slice(11, 16)} UTC`;
