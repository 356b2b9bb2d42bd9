import { BadGatewayError } from '@/lib/http/errors';
import type { BrokerSystem } from '@/lib/model/span';

export type { BrokerSystem };
/**
 * One contract per broker for dead-letter queues (issue #7). Adding a broker = its lib/brokers/<system>/dlq.ts
 * implementing DlqAdapter + its entry in ./registry.ts. Everything the replay engine needs to stay safe is here:
 * a copy resolves only once the target broker confirmed it, and a record leaves the DLQ only when the
 * engine says so, after that confirmation was checkpointed.
 */

/**
 * Why Signalbox thinks a destination is a dead-letter queue. `advisory`: a JetStream stream capturing
 * max-deliveries / terminated advisories, whatever its name.
 */
export type DlqSource =
  'name' | 'config' | 'dead-letter-exchange' | 'redrive-policy' | 'signalbox-header' | 'advisory';

export interface DlqQueueInfo {
  system: BrokerSystem;
  name: string;
  /** Messages currently held (Kafka: records retained, replayed ones included); null when unknown. */
  messages: number | null;
  source: DlqSource;
}

/** Header values as the broker client gave them, normalised to strings (binary as latin1-free UTF-8). */
export type HeaderValue = string | string[];

/** One message read from a DLQ. */
export interface DlqRecord {
  /**
   * Stable key of the message inside its DLQ: `partition:offset` on Kafka; on RabbitMQ the
   * `signalbox-dlq-id` header, else the AMQP message-id, else a hash of body and headers.
   */
  key: string;
  headers: Record<string, HeaderValue>;
  /** Headers exactly as the client returned them, for parseDeadLetter (Buffers, AMQP tables). */
  rawHeaders: unknown;
  body: Buffer;
  /** Kafka record key (kept on replay: it decides the partition and so per-key order). */
  messageKey: Buffer | null;
  /** Broker timestamp of the copy in the DLQ (ISO 8601), when the broker keeps one. */
  timestamp: string | null;
  /** AMQP properties worth keeping on replay (content type, message id, ...). */
  properties?: Record<string, unknown>;
  /**
   * What parseDeadLetter needs besides the headers where a broker keeps the failure elsewhere:
   * BullMQ's failed job (`job`: failedReason, stacktrace, attemptsMade, opts.telemetry) and the queue
   * it failed in (`destination`: a failed set is part of its queue, not a queue of its own); a
   * JetStream max-deliveries or terminated advisory (`advisory`).
   */
  parseExtras?: { job?: unknown; advisory?: unknown; destination?: string };
  /**
   * Set when there is nothing to replay (a JetStream advisory whose failed message is no longer in its
   * stream): why, shown with the message; a replay skips it with this as the detail. It can be deleted.
   */
  notReplayable?: string;
}

/** What a replay publishes. */
export interface OutgoingMessage {
  headers: Record<string, string>;
  body: Buffer;
  messageKey: Buffer | null;
  properties?: Record<string, unknown>;
}

/**
 * A pass over one DLQ that holds what it reads until told what to do with it. On RabbitMQ the
 * messages stay unacked (so a crash gives them back to the queue); on Kafka nothing is held (records
 * cannot be deleted) and `remove` commits the session group's offset.
 */
export interface DlqSession {
  /** Opaque position to persist with the job so a resumed pass reads the same records (Kafka end offsets). */
  readonly cursor: string | null;
  /** The next record, or null when the pass reached the end it started with. */
  next(): Promise<DlqRecord | null>;
  /** Publishes copies to `target`; resolves only when the broker confirmed every one, else rejects. */
  publish(target: string, messages: readonly OutgoingMessage[]): Promise<void>;
  /** Takes the records out of the DLQ (RabbitMQ ack; Kafka offset commit). Call only after checkpointing. */
  remove(records: readonly DlqRecord[]): Promise<void>;
  /** Ends the pass: every record not removed is left in the DLQ (RabbitMQ nack with requeue). */
  close(): Promise<void>;
}

export interface OpenOptions {
  jobId: string;
  cursor: string | null;
  checkpointed?: ReadonlySet<string>;
}

export interface BrowseResult {
  records: DlqRecord[];
  /** True when the DLQ holds more than was read. */
  truncated: boolean;
}

export interface DlqAdapter {
  readonly system: BrokerSystem;
  /** Address for display (no credentials). */
  readonly address: string;
  discover(): Promise<DlqQueueInfo[]>;
  /** Reads up to `limit` records, without consuming where the broker allows it (see each adapter). */
  browse(queue: string, limit: number): Promise<BrowseResult>;
  /**
   * Starts a replay pass; `cursor` is the one a previous pass of the same job returned, `checkpointed`
   * the keys the job's checkpoint already holds (an ordered log may start after them).
   */
  open(queue: string, options: OpenOptions): Promise<DlqSession>;
  /** Deletes every message of the DLQ; returns how many (null when the broker does not say). */
  purge(queue: string): Promise<number | null>;
  close(): Promise<void>;
}

/** The broker said no (unreachable, queue missing, unconfirmed publish): shown to the operator as is. */
export class DlqBrokerError extends BadGatewayError {
  override name = 'DlqBrokerError';
}
