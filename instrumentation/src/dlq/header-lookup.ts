import { PARSE_LIMITS } from './model.js';

/**
 * A case-insensitive view of a message's headers, built once from whatever
 * shape the client gave. Values stay raw (Buffers, arrays, AMQP tables): the
 * readers in values.ts decide how to read them.
 */
export interface HeaderLookup {
  /** The raw value of `name` (any case), or undefined. */
  get(name: string): unknown;
  /** Lowercased names starting with `prefix` (lowercase). */
  namesWithPrefix(prefix: string): string[];
}

type Sink = (name: unknown, value: unknown) => boolean;

function fromEntries(entries: Iterable<unknown>, add: Sink): void {
  // Malformed entries still count towards the limit, so an endless iterator ends.
  for (const entry of entries) {
    const pair = Array.isArray(entry) && entry.length === 2;
    if (!add(pair ? entry[0] : undefined, pair ? entry[1] : undefined)) return;
  }
}

// A flat [name, value, name, value, ...] list is how Redis Streams returns an
// entry's fields (XRANGE, XREADGROUP).
function fromFlatList(list: readonly unknown[], add: Sink): void {
  for (let i = 0; i + 1 < list.length; i += 2) if (!add(list[i], list[i + 1])) return;
}

interface HeadersLike {
  keys(): Iterable<unknown>;
  get(name: string): unknown;
  values?: (name: string) => unknown;
}

function isHeadersLike(raw: object): raw is HeadersLike {
  const candidate = raw as Partial<HeadersLike>;
  return typeof candidate.keys === 'function' && typeof candidate.get === 'function';
}

function collect(raw: unknown, add: Sink): void {
  if (raw === null || typeof raw !== 'object' || raw instanceof Uint8Array) return;
  if (raw instanceof Map) return fromEntries(raw.entries(), add);
  if (Array.isArray(raw)) {
    return Array.isArray(raw[0]) ? fromEntries(raw, add) : fromFlatList(raw, add);
  }
  if (isHeadersLike(raw)) {
    // NATS MsgHdrs, fetch Headers: `values()` keeps repeated headers in order.
    for (const name of raw.keys()) {
      let value: unknown;
      if (typeof name === 'string')
        value = typeof raw.values === 'function' ? raw.values(name) : raw.get(name);
      if (!add(name, value)) return;
    }
    return;
  }
  const names = Object.keys(raw);
  for (const name of names.slice(0, PARSE_LIMITS.headerEntries)) {
    let value: unknown;
    try {
      value = (raw as Record<string, unknown>)[name];
    } catch {
      continue;
    }
    if (!add(name, value)) return;
  }
}

/**
 * Builds one lookup over several header sources (message headers, SQS message
 * and system attributes); later sources and later duplicates win, as the last
 * header with a name is the current one. Reads at most
 * {@link PARSE_LIMITS.headerEntries} entries in total; never throws.
 */
export function headerLookup(...sources: unknown[]): HeaderLookup {
  const map = new Map<string, unknown>();
  let entries = 0;
  const add: Sink = (name, value) => {
    if (++entries > PARSE_LIMITS.headerEntries) return false;
    let key: string | undefined;
    if (typeof name === 'string') key = name;
    else if (name instanceof Uint8Array && name.byteLength <= 256) key = Buffer.from(name).toString('utf8');
    if (key !== undefined && key.length <= 256 && value !== undefined) map.set(key.toLowerCase(), value);
    return true;
  };
  for (const source of sources) {
    try {
      collect(source, add);
    } catch {
      // A throwing iterator or Proxy trap: keep what was read so far.
    }
  }
  return {
    get: (name) => map.get(name.toLowerCase()),
    namesWithPrefix: (prefix) => [...map.keys()].filter((key) => key.startsWith(prefix)),
  };
}
