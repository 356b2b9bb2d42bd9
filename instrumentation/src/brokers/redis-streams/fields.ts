import type { MessageCarrier } from '../../propagation/carrier.js';
import { decodeHeaderValue } from '../../propagation/header-table.js';

/*
 * Redis Streams have no headers: an entry is a flat list of field/value pairs
 * (`XADD key * f1 v1 f2 v2`, read back as `[f1, v1, f2, v2]`). There is no
 * convention for trace context; we add the fields `traceparent`, `tracestate`
 * and `signalbox-pathway`, the common practice. Field names and values are
 * binary-safe: ioredis returns strings, or Buffers from the *Buffer variants.
 */

const nameOf = (value: unknown) => decodeHeaderValue(value);

function indexOf(fields: readonly unknown[], key: string): number {
  const wanted = key.toLowerCase();
  let caseInsensitive = -1;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = nameOf(fields[i]);
    if (name === key) return i;
    if (caseInsensitive < 0 && name !== undefined && name.toLowerCase() === wanted) caseInsensitive = i;
  }
  return caseInsensitive;
}

/**
 * A {@link MessageCarrier} over a stream entry's flat field list: what you
 * pass to XADD after the id, or the `[field, value, …]` array of an entry from
 * XREADGROUP / XRANGE / XAUTOCLAIM (strings or Buffers). Lookups take the
 * first field with the name, exactly or else ignoring case. Writes replace
 * that field's value, or append a pair, in the array you pass. A value that
 * is not an array reads as empty and drops writes. Never throws.
 */
export function redisFieldsCarrier(fields: unknown): MessageCarrier {
  const list = Array.isArray(fields) ? (fields as unknown[]) : undefined;
  return {
    get(key) {
      try {
        if (!list) return undefined;
        const at = indexOf(list, key);
        if (at < 0) return undefined;
        const value = decodeHeaderValue(list[at + 1]);
        return value === '' ? undefined : value;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      try {
        if (!list) return;
        const at = indexOf(list, key);
        if (at < 0) list.push(key, value);
        else list[at + 1] = value;
      } catch {
        // A frozen array: the field is not written.
      }
    },
    keys() {
      try {
        const keys: string[] = [];
        for (let i = 0; list && i + 1 < list.length; i += 2) {
          const name = nameOf(list[i]);
          if (name !== undefined) keys.push(name);
        }
        return keys;
      } catch {
        return [];
      }
    },
  };
}
