import type { StoredMsg } from '@nats-io/jetstream';
import { headers as createHeaders } from '@nats-io/transport-node';
import type { DlqRecord } from '../dlq-types';
import { natsHeaderRecord } from './dlq-records';

/**
 * JetStream has no dead-letter queue: when a consumer gives up on a message (MaxDeliver reached) or the
 * application terminates it (AckTerm), the server publishes an advisory on
 * `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>` or `...MSG_TERMINATED...` naming
 * the stream and the message's stream sequence; the failed message itself stays in its stream. A
 * stream capturing these subjects is NATS's documented dead-letter pattern
 * (https://docs.nats.io/running-a-nats-service/nats_admin/monitoring/monitoring_jetstream).
 * This file is the pure part: which streams capture them, what an advisory says, and the record shown.
 */

const ADVISORY_PREFIX = ['$JS', 'EVENT', 'ADVISORY', 'CONSUMER'] as const;
const FAILURE_KINDS = ['MAX_DELIVERIES', 'MSG_TERMINATED'] as const;
const FAILURE_ADVISORY = /^\$JS\.EVENT\.ADVISORY\.CONSUMER\.(MAX_DELIVERIES|MSG_TERMINATED)\.[^.]+\.[^.]+$/;

/** Every server event lives under this prefix; a DLQ stream's other events are not dead letters. */
export const SERVER_EVENTS = '$JS.EVENT.>';

export function isFailureAdvisory(subject: string): boolean {
  return FAILURE_ADVISORY.test(subject);
}

/** Server events that are not failure advisories (consumer created, API audit, ...): not shown. */
export function isOtherServerEvent(subject: string): boolean {
  return subject.startsWith('$JS.EVENT.') && !isFailureAdvisory(subject);
}

/**
 * Whether a stream subject filter captures any max-deliveries or terminated advisory: the filter must
 * match `$JS.EVENT.ADVISORY.CONSUMER.<kind>.<stream>.<consumer>` for some stream and consumer. It must
 * start with the literal `$JS`: a catch-all (`>`, `*.>`) stream records everything, it is no DLQ.
 */
export function capturesFailureAdvisories(filter: string): boolean {
  const tokens = filter.split('.');
  if (tokens[0] !== '$JS') return false;
  return FAILURE_KINDS.some((kind) => {
    const pattern = [...ADVISORY_PREFIX, kind, null, null]; // null: the stream and consumer tokens
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token === '>') return i < pattern.length;
      if (i >= pattern.length) return false;
      const expected = pattern[i];
      if (token !== '*' && expected !== null && token !== expected) return false;
    }
    return tokens.length === pattern.length;
  });
}

/** The facts of one advisory this adapter relies on. */
export interface FailureAdvisory {
  /** The stream holding the failed message, and its sequence there. */
  stream: string;
  streamSeq: number;
  consumer: string | null;
  deliveries: number | null;
  /** The payload as parsed, handed to parseDeadLetter unchanged. */
  payload: Record<string, unknown>;
}

// What the server accepts as a stream name (no separators or wildcards), so a request cannot be steered.
const STREAM_NAME = /^[^\s.*>/\\]{1,255}$/;

/** Reads an advisory payload; null when it is not JSON or lacks the stream or the sequence. */
export function readAdvisory(data: Uint8Array): FailureAdvisory | null {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const fields = payload as Record<string, unknown>;
  const { stream, stream_seq: streamSeq, consumer, deliveries } = fields;
  if (typeof stream !== 'string' || !STREAM_NAME.test(stream)) return null;
  if (typeof streamSeq !== 'number' || !Number.isSafeInteger(streamSeq) || streamSeq < 1) return null;
  return {
    stream,
    streamSeq,
    consumer: typeof consumer === 'string' ? consumer : null,
    deliveries: typeof deliveries === 'number' ? deliveries : null,
    payload: fields,
  };
}

type AdvisoryMsg = Pick<StoredMsg, 'subject' | 'seq' | 'header' | 'data' | 'time'>;
type OriginalMsg = Pick<StoredMsg, 'subject' | 'header' | 'data'>;

/**
 * The failed message an advisory points to, as the DLQ record: the original's headers and body (so its
 * trace, payload and any replay count are read from it), the advisory's facts for the parser (reason,
 * consumer, deliveries), and `Nats-Subject` for the parser only (the subject it failed on, the default
 * replay target). Keyed by the advisory's sequence in the DLQ stream: removing it deletes the advisory.
 */
export function resolvedAdvisoryRecord(
  advisoryMsg: AdvisoryMsg,
  advisory: FailureAdvisory,
  original: OriginalMsg,
): DlqRecord {
  const raw = createHeaders();
  for (const name of original.header?.keys() ?? [])
    for (const value of original.header?.values(name) ?? []) raw.append(name, value);
  raw.set('Nats-Subject', original.subject);
  return {
    key: String(advisoryMsg.seq),
    headers: natsHeaderRecord(original.header),
    rawHeaders: raw,
    body: Buffer.from(original.data),
    messageKey: null,
    timestamp: advisoryMsg.time.toISOString(),
    parseExtras: { advisory: advisory.payload },
  };
}

/**
 * An advisory whose failed message cannot be read (removed by the stream's limits, acknowledged in a
 * work-queue stream, deleted by hand) or that names none: shown as the advisory itself, never replayed
 * (there is nothing to send), and deletable.
 */
export function unresolvedAdvisoryRecord(
  advisoryMsg: AdvisoryMsg,
  advisory: FailureAdvisory | null,
  why: string,
): DlqRecord {
  const body = Buffer.from(advisoryMsg.data);
  return {
    key: String(advisoryMsg.seq),
    headers: natsHeaderRecord(advisoryMsg.header),
    rawHeaders: advisoryMsg.header ?? {},
    body,
    messageKey: null,
    timestamp: advisoryMsg.time.toISOString(),
    parseExtras: { advisory: advisory?.payload ?? body },
    notReplayable: why,
  };
}

export function originalGoneText(advisory: FailureAdvisory, streamExists: boolean): string {
  const where = `stream ${advisory.stream} (sequence ${advisory.streamSeq})`;
  return streamExists
    ? `original message no longer in ${where}: removed by the stream's limits, acknowledged, or deleted; only the advisory is left, it cannot be replayed`
    : `original message no longer in ${where}: the stream no longer exists; only the advisory is left, it cannot be replayed`;
}

export const UNREADABLE_ADVISORY =
  'advisory without a readable stream and stream_seq: the failed message cannot be found, it cannot be replayed';
