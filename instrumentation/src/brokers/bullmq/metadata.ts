import { MAX_HEADER_VALUE_LENGTH, type MessageCarrier } from '../../propagation/carrier.js';

/*
 * BullMQ's own telemetry hook (used by bullmq-otel) keeps a job's creation
 * context in `job.opts.telemetry.metadata`: a JSON object of propagation
 * fields (`{"traceparent":"00-…"}`) serialized to a string, stored with the
 * job in Redis (as `tm`). We read and write exactly that, adding
 * `signalbox-pathway` as one more field, so jobs produced by either side are
 * processed with their trace by the other. bullmq-otel parses the metadata
 * with a bare JSON.parse, so what we write is always valid JSON.
 */

// A few propagation fields; bigger metadata is not trace context and is not parsed.
const MAX_METADATA_LENGTH = 2 * MAX_HEADER_VALUE_LENGTH;

/** The string fields of a job's telemetry metadata; malformed or oversized metadata yields `{}`. */
export function parseBullmqMetadata(metadata: unknown): Record<string, string> {
  if (typeof metadata !== 'string' || metadata.length > MAX_METADATA_LENGTH || !metadata.startsWith('{')) {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(metadata);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    // Null prototype: a field named `__proto__` is data, never the object's prototype.
    const fields = Object.create(null) as Record<string, string>;
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'string' && value.length <= MAX_HEADER_VALUE_LENGTH) fields[key] = value;
    }
    return fields;
  } catch {
    return {};
  }
}

/**
 * A {@link MessageCarrier} over parsed telemetry metadata (from
 * {@link parseBullmqMetadata}); `JSON.stringify` the same object to store it
 * back in `opts.telemetry.metadata`. Lookups are exact (both sides write
 * lowercase names), empty values read as absent. Never throws.
 */
export function bullmqMetadataCarrier(fields: Record<string, string>): MessageCarrier {
  return {
    get(key) {
      const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
      return value === '' ? undefined : value;
    },
    set(key, value) {
      fields[key] = value;
    },
    keys() {
      return Object.keys(fields);
    },
  };
}
