import {
  type JetStreamClient,
  JetStreamApiError,
  type JetStreamManager,
  type MsgRequest,
  type StoredMsg,
} from '@nats-io/jetstream';
import { REPLAY_HEADERS } from '@signalbox/instrumentation/protocol';
import { type DlqRecord, type DlqSession, type OutgoingMessage, DlqBrokerError } from '../dlq-types';
import { errorText } from '../error-text';
import { dlqRecordOf } from './dlq-advisory-reader';
import { publishHeaders } from './dlq-records';

/** nats-server's JSSequenceNotFoundErr: the message was deleted already. */
const SEQUENCE_NOT_FOUND = 10043;

/** Sequences asked for at once: one STREAM.MSG.GET round trip each, sent together. */
const WINDOW = 64;

/** Reads by sequence: nothing is held, so `close` has nothing to give back. */
export class JetStreamSession implements DlqSession {
  readonly cursor: string;
  private position: number;
  private readonly ahead: DlqRecord[] = [];

  constructor(
    private readonly stream: string,
    private readonly clients: { jsm: JetStreamManager; js: JetStreamClient },
    first: number,
    private readonly end: number,
  ) {
    this.cursor = JSON.stringify({ end });
    this.position = Math.max(first, 1);
  }

  async next(): Promise<DlqRecord | null> {
    while (this.ahead.length === 0 && this.position <= this.end) await this.readWindow();
    return this.ahead.shift() ?? null;
  }

  /**
   * Asks for every sequence of the next window at once, each as "the first message at or after this
   * sequence" (the client's type lists seq or last_by_subj; the server also takes seq + next_by_subj).
   * A deleted sequence (a replayed message's gap) answers with the next message, so nothing between
   * the probes is missed, and the last probe's answer says where the next window starts.
   */
  private async readWindow(): Promise<void> {
    const count = Math.min(WINDOW, this.end - this.position + 1);
    const found = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        this.clients.jsm.streams.getMessage(this.stream, {
          seq: this.position + i,
          next_by_subj: '>',
        } as unknown as MsgRequest),
      ),
    );
    const bySeq = new Map<number, StoredMsg>();
    for (const msg of found) if (msg && msg.seq <= this.end) bySeq.set(msg.seq, msg);
    const last = found[found.length - 1];
    // Advisories are resolved to their failed messages together, like the window's reads.
    const records = await Promise.all(
      [...bySeq.keys()]
        .sort((a, b) => a - b)
        .flatMap((seq) => {
          const msg = bySeq.get(seq);
          return msg ? [dlqRecordOf(this.clients.jsm, msg)] : [];
        }),
    );
    this.position = last ? last.seq + 1 : this.end + 1;
    for (const record of records) if (record) this.ahead.push(record);
  }

  async publish(target: string, messages: readonly OutgoingMessage[]): Promise<void> {
    await Promise.all(
      messages.map(async (m) => {
        try {
          await this.clients.js.publish(target, m.body, {
            headers: publishHeaders(m.headers),
            msgID: m.headers[REPLAY_HEADERS.id],
          });
        } catch (error) {
          // nats.js reports "no responders" (no stream captures the subject) as JetStreamNotEnabled.
          const why =
            error instanceof Error && error.name === 'JetStreamNotEnabled'
              ? `no JetStream stream captures subject ${target}`
              : errorText(error);
          throw new DlqBrokerError(`JetStream did not store the copy on ${target}: ${why}`);
        }
      }),
    );
  }

  async remove(records: readonly DlqRecord[]): Promise<void> {
    await Promise.all(
      records.map(async (r) => {
        try {
          // no_erase: the message is marked deleted; overwriting its bytes would only cost time.
          const deleted = await this.clients.jsm.streams.deleteMessage(this.stream, Number(r.key), false);
          if (!deleted) throw new Error('the server refused');
        } catch (error) {
          // Gone already (deleted by hand or by the stream's limits): the aim is reached.
          if (error instanceof JetStreamApiError && error.code === SEQUENCE_NOT_FOUND) return;
          throw new DlqBrokerError(
            `JetStream did not delete message ${r.key} from ${this.stream}: ${errorText(error)}`,
          );
        }
      }),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
