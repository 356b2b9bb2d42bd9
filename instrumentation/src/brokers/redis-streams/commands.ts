/*
 * Argument and reply shapes of the Redis Streams commands we instrument, as
 * ioredis passes them: flat argument lists (ioredis flattens one level of
 * arrays, so we do too) whose tokens may be strings, numbers or Buffers, and
 * replies in RESP2 shape (arrays) or, with `replyMapping: 'resp3'`, objects.
 * https://redis.io/docs/latest/commands/xadd/ , /xreadgroup/ , /xautoclaim/
 */

/** A token as text (strings, numbers, Buffers); undefined for anything else. */
export function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array && value.byteLength <= 1024) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  }
  return undefined;
}

const upper = (value: unknown) => tokenText(value)?.toUpperCase();

export interface XaddArgs {
  key: string;
  /** Key, options and id: everything before the fields, unchanged. */
  head: unknown[];
  fields: unknown[];
}

/** Splits XADD arguments into head and field/value pairs; undefined when they do not parse (Redis will say why). */
export function parseXadd(args: readonly unknown[]): XaddArgs | undefined {
  const key = tokenText(args[0]);
  if (key === undefined) return undefined;
  let i = 1;
  for (;;) {
    const token = upper(args[i]);
    if (token === 'NOMKSTREAM' || token === 'KEEPREF' || token === 'DELREF' || token === 'ACKED') {
      i += 1;
    } else if (token === 'MAXLEN' || token === 'MINID') {
      i += 1;
      const op = tokenText(args[i]);
      if (op === '=' || op === '~') i += 1;
      i += 1;
      if (upper(args[i]) === 'LIMIT') i += 2;
    } else break;
  }
  const fields = args.slice(i + 1);
  if (i >= args.length || fields.length === 0 || fields.length % 2 !== 0) return undefined;
  return { key, head: args.slice(0, i + 1), fields };
}

export interface XreadgroupArgs {
  group: string;
  consumer: string;
  /** Stream keys with the id each is read from (`>` = new entries; anything else = own pending entries). */
  streams: { key: string; id: string }[];
}

export function parseXreadgroup(args: readonly unknown[]): XreadgroupArgs | undefined {
  if (upper(args[0]) !== 'GROUP') return undefined;
  const group = tokenText(args[1]);
  const consumer = tokenText(args[2]);
  const at = args.findIndex((arg, i) => i > 2 && upper(arg) === 'STREAMS');
  if (group === undefined || consumer === undefined || at < 0) return undefined;
  const rest = args.slice(at + 1);
  if (rest.length === 0 || rest.length % 2 !== 0) return undefined;
  const half = rest.length / 2;
  const streams: { key: string; id: string }[] = [];
  for (let i = 0; i < half; i++) {
    const key = tokenText(rest[i]);
    const id = tokenText(rest[half + i]);
    if (key === undefined || id === undefined) return undefined;
    streams.push({ key, id });
  }
  return { group, consumer, streams };
}

/** One stream entry as returned: `[id, fields]`, fields null for an entry deleted while pending. */
export type StreamEntry = [id: unknown, fields: unknown];

const isEntry = (value: unknown): value is StreamEntry => Array.isArray(value) && value.length >= 2;

/** The entries per stream key of an XREADGROUP reply (RESP2 array or RESP3 object shape). */
export function xreadgroupEntries(reply: unknown): Map<string, StreamEntry[]> {
  const result = new Map<string, StreamEntry[]>();
  const add = (key: unknown, entries: unknown) => {
    const name = tokenText(key);
    if (name === undefined || !Array.isArray(entries)) return;
    result.set(name, (entries as unknown[]).filter(isEntry));
  };
  if (Array.isArray(reply)) {
    for (const item of reply as unknown[]) if (Array.isArray(item)) add(item[0], item[1]);
  } else if (typeof reply === 'object' && reply !== null && !(reply instanceof Uint8Array)) {
    for (const [key, entries] of Object.entries(reply)) add(key, entries);
  }
  return result;
}

/** The claimed entries of an XAUTOCLAIM reply `[nextStart, entries, deletedIds]` (none with JUSTID). */
export function xautoclaimEntries(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: unknown = reply[1];
  return Array.isArray(entries) ? (entries as unknown[]).filter(isEntry) : [];
}
