import {
  type JetStreamClient,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type MsgRequest,
  type StoredMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { REPLAY_HEADERS } from '@signalbox/instrumentation/protocol';
import type { BrokerSettings } from '@/lib/config';
import { KnownDlqNames } from '../dlq-known-names';
import { looksLikeDlq } from '../dlq-names';
import {
  type BrowseResult,
  type DlqAdapter,
  type DlqQueueInfo,
  type DlqRecord,
  type DlqSession,
  type OpenOptions,
  type OutgoingMessage,
  DlqBrokerError,
} from '../dlq-types';
import { natsAddress, openNats } from './connection';
import { capturesFailureAdvisories } from './dlq-advisories';
import { advisoryDlqSize, dlqRecordOf } from './dlq-advisory-reader';
import { publishHeaders } from './dlq-records';

type NatsSettings = NonNullable<BrokerSettings['nats']>;

/** nats-server's JSSequenceNotFoundErr: the message was deleted already. */
const SEQUENCE_NOT_FOUND = 10043;

/**
 * NATS JetStream dead-letter streams: a stream whose name or one of whose subjects follows a DLQ naming
 * convention (deadLetterJetStream publishes to `dlq.<subject>`), one listed in the configuration, and
 * whatever its name, one capturing max-deliveries / terminated advisories (source `advisory`): each of
 * its advisories is shown as the failed message it names, read from that message's stream by sequence
 * (./dlq-advisory-reader.ts); replaying it publishes that message again, removing it deletes the
 * advisory only (the failed message stays where its stream's retention keeps it).
 *
 * What reading does: nothing. Messages are read by stream sequence with STREAM.MSG.GET (64 requests
 * in flight; `next_by_subj: ">"` skips deleted sequences); no consumer is created, so no delivery
 * count, ack state or redelivery is touched and nothing is left on the server.
 *
 * Replay publishes each copy with `js.publish` to the target subject and counts it only on the
 * stream's PubAck; the copy's `Nats-Msg-Id` is its replay id, so a copy resent after a crash inside
 * the stream's duplicate window (2 minutes by default) is dropped by JetStream. The original is then
 * deleted by sequence (STREAM.MSG.DELETE). A pass reads up to the last sequence the stream held when
 * the job started (kept in the job's cursor), so copies that fail again while it runs are not replayed
 * in a loop.
 */
export class JetStreamDlqAdapter implements DlqAdapter {
  readonly system = 'nats' as const;
  readonly address: string;
  private connection: NatsConnection | null = null;
  private clients: { jsm: JetStreamManager; js: JetStreamClient } | null = null;

  private readonly configured: KnownDlqNames;

  constructor(
    private readonly settings: NatsSettings,
    configured: KnownDlqNames | readonly string[] = [],
  ) {
    this.configured = KnownDlqNames.of(configured);
    this.address = natsAddress(settings);
  }

  private async connect(): Promise<{ jsm: JetStreamManager; js: JetStreamClient }> {
    if (this.clients && this.connection && !this.connection.isClosed()) return this.clients;
    const connection = await openNats(this.settings, 'signalbox-dlq').catch((error: unknown) => {
      throw new DlqBrokerError(`cannot connect to NATS at ${this.address}: ${errorText(error)}`);
    });
    this.connection = connection;
    this.clients = { jsm: await jetstreamManager(connection), js: jetstream(connection) };
    return this.clients;
  }

  async discover(): Promise<DlqQueueInfo[]> {
    const { jsm } = await this.connect();
    const found: DlqQueueInfo[] = [];
    for await (const stream of jsm.streams.list()) {
      const name = stream.config.name;
      const subjects = stream.config.subjects ?? [];
      const known = this.configured.source(name);
      const advisories = subjects.some(capturesFailureAdvisories);
      const named = looksLikeDlq(name) || subjects.some(looksLikeDlq);
      if (!known && !advisories && !named) continue;
      found.push({
        system: 'nats',
        name,
        // Only failure advisories (and ordinary dead letters) count, not the other server events held;
        // a stream deleted since it was listed keeps the listed count rather than failing discovery.
        messages: advisories
          ? await advisoryDlqSize(jsm, name).catch(() => stream.state.messages)
          : stream.state.messages,
        source: known ?? (advisories ? 'advisory' : 'name'),
      });
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  async browse(queue: string, limit: number): Promise<BrowseResult> {
    const session = await this.open(queue, { jobId: 'browse', cursor: null });
    const records: DlqRecord[] = [];
    for (;;) {
      const record = await session.next();
      if (!record) return { records, truncated: false };
      if (records.length === limit) return { records, truncated: true };
      records.push(record);
    }
  }

  async open(queue: string, options: OpenOptions): Promise<DlqSession> {
    const clients = await this.connect();
    const state = await this.state(clients.jsm, queue);
    const end = options.cursor === null ? state.last_seq : cursorEnd(options.cursor);
    return new JetStreamSession(queue, clients, state.first_seq, end);
  }

  private async state(jsm: JetStreamManager, stream: string) {
    try {
      return (await jsm.streams.info(stream)).state;
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)
        throw new DlqBrokerError(`JetStream stream ${stream} does not exist`);
      // An invalid stream name or a server error: say which stream, keep the client's reason.
      throw new DlqBrokerError(`JetStream could not read stream ${stream}: ${errorText(error)}`);
    }
  }

  async purge(queue: string): Promise<number | null> {
    const { jsm } = await this.connect();
    await this.state(jsm, queue);
    return (await jsm.streams.purge(queue)).purged;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.clients = null;
    await connection?.close().catch(() => undefined);
  }
}

/** The end sequence a previous pass of the same job stored in its cursor. */
function cursorEnd(cursor: string): number {
  const end = (JSON.parse(cursor) as { end?: unknown }).end;
  if (typeof end !== 'number' || !Number.isSafeInteger(end) || end < 0)
    throw new DlqBrokerError(`unreadable JetStream replay cursor: ${cursor}`);
  return end;
}

/** Sequences asked for at once: one STREAM.MSG.GET round trip each, sent together. */
const WINDOW = 64;

/** Reads by sequence: nothing is held, so `close` has nothing to give back. */
class JetStreamSession implements DlqSession {
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
