/*
 * Whether a Signalbox MetricProducer exists in this process (./producer.ts).
 * Its own module so the instruments can read it without importing the
 * producer, and tests can tell which way metrics are recorded.
 */
let wired = false;

/** True once `signalboxMetricProducer()` was called: metrics on the global provider are aggregated locally. */
export function localMetricsWired(): boolean {
  return wired;
}

export function markLocalMetricsWired(): void {
  wired = true;
}
