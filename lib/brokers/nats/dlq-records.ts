import type { StoredMsg } from '@nats-io/jetstream';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { DlqRecord, HeaderValue } from '../dlq-types';

/** NATS headers as display strings; a repeated header stays an array, in order. */
export function natsHeaderRecord(header: MsgHdrs | undefined): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const name of header?.keys() ?? []) {
    const values = header?.values(name) ?? [];
    out[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return out;
}

/**
 * A message read by sequence from a JetStream stream; its key is the stream sequence. Failure
 * advisories are not read here: dlq-advisory-reader.ts resolves them to the failed message.
 */
export function storedMessageRecord(msg: Pick<StoredMsg, 'seq' | 'header' | 'data' | 'time'>): DlqRecord {
  return {
    key: String(msg.seq),
    headers: natsHeaderRecord(msg.header),
    rawHeaders: msg.header ?? {},
    body: Buffer.from(msg.data),
    messageKey: null,
    timestamp: msg.time.toISOString(),
  };
}

/**
 * Headers of a replayed copy. `Nats-*` headers are interpreted by the server and must not be carried
 * over from the dead-lettered message (`Nats-Expected-*` would fail the publish, `Nats-Rollup` purge
 * the target, `Nats-TTL` expire the copy, an old `Nats-Msg-Id` make it look like a duplicate); the
 * replay sets its own `Nats-Msg-Id` (the replay id) through the publish options.
 */
export function publishHeaders(outgoing: Record<string, string>): MsgHdrs {
  const headers = createHeaders();
  for (const [name, value] of Object.entries(outgoing)) {
    if (name.toLowerCase().startsWith('nats-')) continue;
    headers.set(name, value);
  }
  return headers;
}
