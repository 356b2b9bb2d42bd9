import type { MsgHdrs } from '@nats-io/nats-core';
import { MAX_HEADER_VALUE_LENGTH, type MessageCarrier } from '../../propagation/carrier.js';

/*
 * NATS headers (`MsgHdrs`, nats.js v3) differ from the other carriers in two
 * ways that matter for propagation:
 * - names are case-sensitive by default, and other clients (Go's canonical
 *   MIME form) send `Traceparent`, so lookups ask for `insensitive` matching;
 * - `get` returns "" for a missing header, which must read as absent, not as
 *   an (invalid) empty traceparent.
 * Values may not contain CR or LF (`set` throws); ours never do, and a failed
 * write is swallowed so a broken header can never fail a publish.
 */

const IGNORE_CASE = 'insensitive';

function firstAcceptable(values: unknown): string | undefined {
  if (!Array.isArray(values)) return undefined;
  for (const value of values as unknown[]) {
    if (typeof value === 'string' && value !== '' && value.length <= MAX_HEADER_VALUE_LENGTH) return value;
  }
  return undefined;
}

/**
 * A {@link MessageCarrier} over nats.js message headers: `msg.headers` when
 * receiving (undefined when the message has none), or the `MsgHdrs` you
 * publish with. Lookups ignore case and skip empty values; for a repeated
 * header the first usable value wins (what `MsgHdrs.get` returns). Writes
 * replace every case variant of the name. Never throws.
 */
export function natsHeadersCarrier(headers: MsgHdrs | undefined): MessageCarrier {
  return {
    get(key) {
      try {
        return headers ? firstAcceptable(headers.values(key, IGNORE_CASE)) : undefined;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      try {
        headers?.set(key, value, IGNORE_CASE);
      } catch {
        // Invalid name or value for NATS: the header is not sent.
      }
    },
    keys() {
      try {
        const keys: unknown = headers?.keys();
        return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
      } catch {
        return [];
      }
    },
  };
}
