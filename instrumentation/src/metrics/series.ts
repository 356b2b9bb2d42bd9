import type { Attributes } from '@opentelemetry/api';

/**
 * One attribute set of a metric, with a key that identifies it. Built once
 * per route (destination, operation, consumer group, pathway) and reused for
 * every message, so recording is a Map lookup by `key` rather than hashing
 * the attributes on every call. `attributes` must never be changed after
 * the series is built: instruments keep a reference to it.
 */
export interface MetricSeries {
  readonly attributes: Attributes;
  readonly key: string;
}

/**
 * The series for `attributes`. The key does not depend on the order the
 * attributes were added in, so the same set built by different code lands
 * in the same point. Costs a sort: call it once per attribute set, not per message.
 */
export function metricSeries(attributes: Attributes): MetricSeries {
  const names = Object.keys(attributes).sort();
  let key = '';
  for (const name of names) {
    const value = attributes[name];
    // typeof keeps 1 and '1' apart; \u0001/\u0002 cannot occur in attribute names we set.
    key += `${name}\u0001${typeof value}:${String(value)}\u0002`;
  }
  return { attributes, key };
}

/** A monotonic counter adding into a precomputed attribute set. */
export interface SeriesCounter {
  add(value: number, series: MetricSeries): void;
}
