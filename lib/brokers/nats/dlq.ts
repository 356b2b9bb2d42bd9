import {
  type JetStreamClient,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BrokerSettings } from '@/lib/config';
import { DlqAdapterBase } from '../dlq-adapter-base';
import type { KnownDlqNames } from '../dlq-known-names';
import { looksLikeDlq } from '../dlq-names';
import { type DlqQueueInfo, type DlqSession, type OpenOptions, DlqBrokerError } from '../dlq-types';
import { errorText } from '../error-text';
import { natsAddress, openNats } from './connection';
import { capturesFailureAdvisories } from './dlq-advisories';
import { advisoryDlqSize } from './dlq-advisory-reader';
import { JetStreamSession } from './dlq-session';

type NatsSettings = NonNullable<BrokerSettings['nats']>;

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
export class JetStreamDlqAdapter extends DlqAdapterBase {
  readonly system = 'nats' as const;
  private connection: NatsConnection | null = null;
  private clients: { jsm: JetStreamManager; js: JetStreamClient } | null = null;

  constructor(
    private readonly settings: NatsSettings,
    configured: KnownDlqNames | readonly string[] = [],
  ) {
    super(natsAddress(settings), configured);
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
