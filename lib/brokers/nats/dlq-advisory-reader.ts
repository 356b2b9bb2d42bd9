import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type StoredMsg,
} from '@nats-io/jetstream';
import { type DlqRecord, DlqBrokerError } from '../dlq-types';
import {
  SERVER_EVENTS,
  UNREADABLE_ADVISORY,
  isFailureAdvisory,
  isOtherServerEvent,
  originalGoneText,
  readAdvisory,
  resolvedAdvisoryRecord,
  unresolvedAdvisoryRecord,
} from './dlq-advisories';
import { storedMessageRecord } from './dlq-records';

/**
 * What a message read from a JetStream DLQ stream is shown as. A failure advisory is resolved to the
 * message it names, read by (stream, stream_seq) with STREAM.MSG.GET — a read by sequence that creates
 * no consumer and touches no delivery or ack state of the failed message's stream. Other server events
 * a stream capturing `$JS.EVENT.ADVISORY.>` holds are no dead letters: null (not shown, never
 * replayed). Anything else is an ordinary dead-letter copy.
 */
export async function dlqRecordOf(jsm: JetStreamManager, msg: StoredMsg): Promise<DlqRecord | null> {
  if (isOtherServerEvent(msg.subject)) return null;
  if (!isFailureAdvisory(msg.subject)) return storedMessageRecord(msg);
  const advisory = readAdvisory(msg.data);
  if (!advisory) return unresolvedAdvisoryRecord(msg, null, UNREADABLE_ADVISORY);
  let original: StoredMsg | null;
  try {
    // Exactly this sequence: a deleted one answers "no message found" (null), never its neighbour.
    original = await jsm.streams.getMessage(advisory.stream, { seq: advisory.streamSeq });
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)
      return unresolvedAdvisoryRecord(msg, advisory, originalGoneText(advisory, false));
    // A timeout or a server error must not show a live message as gone: the read fails instead.
    throw new DlqBrokerError(
      `JetStream could not read message ${advisory.streamSeq} of stream ${advisory.stream} (named by advisory ${msg.seq}): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  return original
    ? resolvedAdvisoryRecord(msg, advisory, original)
    : unresolvedAdvisoryRecord(msg, advisory, originalGoneText(advisory, true));
}

/**
 * How many dead letters a stream that captures failure advisories holds: its messages, less the server
 * events it captures, plus the failure advisories among them (per-subject counts from STREAM.INFO).
 */
export async function advisoryDlqSize(jsm: JetStreamManager, stream: string): Promise<number> {
  const { state } = await jsm.streams.info(stream, { subjects_filter: SERVER_EVENTS });
  let events = 0;
  let failures = 0;
  for (const [subject, count] of Object.entries(state.subjects ?? {})) {
    events += count;
    if (isFailureAdvisory(subject)) failures += count;
  }
  return state.messages - events + failures;
}
