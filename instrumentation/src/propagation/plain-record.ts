/** Message headers as a record of fields (AMQP tables, Kafka headers, MQTT user properties). */
export type HeaderTable = Record<string, unknown>;

/**
 * `value` as a record of header-like fields when it is a plain object (or a
 * null-prototype one), else undefined. Stricter than "any non-array object":
 * a Buffer or typed array passed where a record belongs has one own key per
 * byte, and listing the keys of a 4 MiB Buffer allocates four million strings.
 * Never throws (a Proxy may throw from getPrototypeOf).
 */
export function asPlainRecord(value: unknown): HeaderTable | undefined {
  try {
    if (typeof value !== 'object' || value === null) return undefined;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null ? (value as HeaderTable) : undefined;
  } catch {
    return undefined;
  }
}
