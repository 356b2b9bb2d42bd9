import type { StoredMsg } from '@nats-io/jetstream';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { DlqRecord, HeaderValue } from './types';

/**
 * JetStream publishes these advisories when a consumer gives up on a message (max deliveries) or the
 * application terminated it (AckTerm). A stream capturing them holds advisories (JSON), not the failed
 * messages: parseDeadLetter reads each as an advisory. Resolving an advisory to the original message
 * (by its stream_seq) is not done here.
 */
const ADVISORY_SUBJECT = /^\$JS\.EVENT\.ADVISORY\.CONSUMER\.(MAX_DELIVERIES|MSG_TERMINATED)\./;

export function isFailureAdvisory(subject: string): boolean {
  return ADVISORY_SUBJECT.test(subject);
}

/** NATS headers as display strings; a repeated header stays an array, in order. */
export function natsHeaderRecord(header: MsgHdrs | undefined): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const name of header?.keys() ?? []) {
    const values = header?.values(name) ?? [];
    out[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return out;
}

/** A message read by sequence from a JetStream stream; its key is the stream sequence. */
export function storedMessageRecord(
  msg: Pick<StoredMsg, 'subject' | 'seq' | 'header' | 'data' | 'time'>,
): DlqRecord {
  const body = Buffer.from(msg.data);
  return {
    key: String(msg.seq),
    headers: natsHeaderRecord(msg.header),
    rawHeaders: msg.header ?? {},
    body,
    messageKey: null,
    timestamp: msg.time.toISOString(),
    ...(isFailureAdvisory(msg.subject) ? { parseExtras: { advisory: body } } : {}),
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
