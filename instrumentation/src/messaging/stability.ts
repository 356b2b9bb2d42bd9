/*
 * OTEL_SEMCONV_STABILITY_OPT_IN for messaging, read once per process.
 * https://github.com/open-telemetry/semantic-conventions/blob/v1.44.0/docs/messaging/README.md
 *
 * The variable exists to move an instrumentation that emitted an OLD
 * convention to the new one. This package has only ever emitted the current
 * conventions (v1.44), so:
 * - unset, or `messaging`: current conventions only (the two are the same for us);
 * - `messaging/dup`: current conventions plus the pre-1.26 attribute names
 *   (`messaging.operation`, `messaging.destination`, Kafka's
 *   `messaging.kafka.consumer.group`), for backends and dashboards that still
 *   query the old names. Metrics are not duplicated: the old metric names
 *   measured different things (publish/receive split), and doubling every
 *   histogram would cost more than it helps.
 */

export interface SemconvStability {
  /** Also emit the pre-1.26 attribute names. */
  readonly dup: boolean;
}

/** Parses the comma-separated opt-in list; `messaging/dup` wins over `messaging`, as the spec asks. */
export function parseStabilityOptIn(value: string | undefined): SemconvStability {
  const entries = (value ?? '').split(',').map((entry) => entry.trim().toLowerCase());
  return { dup: entries.includes('messaging/dup') };
}

let fromEnv: SemconvStability | undefined;

/** The process's opt-in, from the environment (read once). */
export function semconvStability(): SemconvStability {
  fromEnv ??= parseStabilityOptIn(
    typeof process === 'undefined' ? undefined : process.env.OTEL_SEMCONV_STABILITY_OPT_IN,
  );
  return fromEnv;
}
