import {
  type BatchResultErrorEntry,
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SendMessageBatchRequestEntry,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { REPLAY_HEADERS } from '@signalbox/instrumentation/protocol';
import { DlqBrokerError, type DlqRecord, type DlqSession, type OutgoingMessage } from '../dlq-types';
import { errorText } from '../error-text';
import { replayId } from '../replay-id';
import { sqsCopyAttributes, sqsMessageBytes, sqsMessageGroup, sqsRecord } from './dlq-mapping';

/** How long a message read by a pass stays invisible to everyone else; extended while it is held. */
export const HOLD_SECONDS = 30;
const EXTEND_EVERY_MS = (HOLD_SECONDS * 1000) / 3;
/** Long-poll wait of a receive: it returns at once when messages are there; empty after this = none. */
const WAIT_SECONDS = 1;
/** SQS's limits per batch call: 10 entries, 256 KiB in total. */
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 256 * 1024;
/** Extra tries for batch entries SQS failed on its side (SenderFault false). */
const SERVER_FAULT_RETRIES = 2;

export interface SqsSessionOptions {
  queue: string;
  queueUrl: string;
  /** Messages the queue held when the pass began: it reads no more. */
  size: number;
  /** Persisted with the job: the same size when the pass is resumed. */
  cursor: string;
  /** Replay jobs only: copies of this job that failed again and came back are not read in the same pass. */
  jobId: string | null;
  checkpointed: ReadonlySet<string>;
  /**
   * A resumed pass: until then, an empty receive while messages are in flight means a crashed pass
   * may still hold them invisible (at most HOLD_SECONDS), so it keeps polling.
   */
  waitForInFlightUntilMs: number | null;
  resolveUrl: (queue: string) => Promise<string>;
  inFlight: () => Promise<number>;
}

/**
 * One pass over an SQS queue. SQS has no peek and no position: messages are received with a
 * visibility timeout of HOLD_SECONDS (extended every EXTEND_EVERY_MS while held), which hides them
 * from every other consumer, and each receive adds 1 to their ApproximateReceiveCount. `remove`
 * deletes them with their receipt handles; `close` makes every message still held visible again at
 * once (ChangeMessageVisibility 0). If the dashboard dies, SQS makes them visible after HOLD_SECONDS.
 */
export class SqsSession implements DlqSession {
  readonly cursor: string;
  private readonly held = new Map<string, string>();
  private readonly seen = new Set<string>();
  private readonly ownReplays = new Set<string>();
  private buffer: Message[] = [];
  private returned = 0;
  private exhausted = false;
  private readonly timer: NodeJS.Timeout;
  private extending: Promise<void> | null = null;

  constructor(
    private readonly sqs: SQSClient,
    private readonly options: SqsSessionOptions,
  ) {
    this.cursor = options.cursor;
    if (options.jobId)
      for (const key of options.checkpointed) this.ownReplays.add(replayId(options.jobId, key));
    this.timer = setInterval(() => {
      this.extending ??= this.extend().finally(() => (this.extending = null));
    }, EXTEND_EVERY_MS);
    this.timer.unref();
  }

  async next(): Promise<DlqRecord | null> {
    for (;;) {
      if (this.returned >= this.options.size) return null;
      const message = this.buffer.shift();
      if (!message) {
        if (this.exhausted || !(await this.receive())) return null;
        continue;
      }
      const record = sqsRecord(message);
      // This job's own copies that failed again: the pass ends where it started (kept held, then released).
      const replay = record.headers[REPLAY_HEADERS.id];
      if (typeof replay === 'string' && this.ownReplays.has(replay)) continue;
      this.returned++;
      if (this.options.jobId) this.ownReplays.add(replayId(this.options.jobId, record.key));
      return record;
    }
  }

  /**
   * Holds what a receive returned: everything received is held (extended, then released by close),
   * and only messages not seen before in this pass are queued to be read.
   */
  private hold(messages: readonly Message[]): void {
    for (const message of messages) {
      const id = message.MessageId;
      const receipt = message.ReceiptHandle;
      if (!id || !receipt) continue;
      // A message that came back (an extension failed) is held again under its new receipt handle...
      this.held.set(id, receipt);
      // ...but never read twice in one pass.
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      this.buffer.push(message);
    }
  }

  /** Fills the buffer; false when the queue has nothing more to give. */
  private async receive(): Promise<boolean> {
    const { queue, queueUrl, waitForInFlightUntilMs } = this.options;
    for (;;) {
      let messages: Message[];
      try {
        ({ Messages: messages = [] } = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: HOLD_SECONDS,
            WaitTimeSeconds: WAIT_SECONDS,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        ));
      } catch (error) {
        throw new DlqBrokerError(`SQS could not receive from ${queue}: ${errorText(error)}`);
      }
      if (messages.length > 0) {
        this.hold(messages);
        return true;
      }
      const waiting =
        waitForInFlightUntilMs !== null &&
        Date.now() < waitForInFlightUntilMs &&
        (await this.options.inFlight()) > this.held.size;
      if (!waiting) {
        this.exhausted = true;
        return false;
      }
    }
  }

  /** Keeps held messages invisible; a failed extension only means the message may come back (then skipped). */
  private extend(): Promise<void> {
    return this.changeVisibility([...this.held.entries()], HOLD_SECONDS);
  }

  /**
   * Best effort, batch by batch: a message whose change failed becomes visible by itself when its
   * current timeout ends (release), or may be received again (extension: held again, never re-read).
   */
  private async changeVisibility(entries: [string, string][], seconds: number): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH_ENTRIES) {
      await this.sqs
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.options.queueUrl,
            Entries: entries.slice(i, i + BATCH_ENTRIES).map(([, receipt], j) => ({
              Id: String(j),
              ReceiptHandle: receipt,
              VisibilityTimeout: seconds,
            })),
          }),
        )
        .catch(() => undefined);
    }
  }

  async publish(target: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const url = await this.options.resolveUrl(target);
    const fifo = target.endsWith('.fifo');
    const entries: SendMessageBatchRequestEntry[] = messages.map((m, i) => {
      const id = m.headers[REPLAY_HEADERS.id];
      return {
        Id: `m${i}`,
        MessageBody: m.body.toString('utf8'),
        MessageAttributes: sqsCopyAttributes(m),
        // FIFO: the original's group keeps its order; the replay id as deduplication id means a copy
        // resent after a crash within SQS's 5-minute window is dropped by SQS itself. (Not the
        // original's deduplication id: a replay within 5 minutes of the original send would be
        // silently dropped as its duplicate, and then deleted from the DLQ.)
        ...(fifo
          ? { MessageGroupId: sqsMessageGroup(m, target), MessageDeduplicationId: id ?? `m${i}` }
          : {}),
      };
    });
    for (const batch of batches(entries)) await this.sendBatch(target, url, batch);
  }

  private async sendBatch(
    target: string,
    url: string,
    entries: SendMessageBatchRequestEntry[],
  ): Promise<void> {
    let pending = entries;
    for (let attempt = 0; ; attempt++) {
      let failed: BatchResultErrorEntry[];
      try {
        ({ Failed: failed = [] } = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: url, Entries: pending }),
        ));
      } catch (error) {
        throw new DlqBrokerError(`SQS did not store the copies to ${target}: ${errorText(error)}`);
      }
      if (failed.length === 0) return;
      const retry = failed.every((f) => f.SenderFault === false) && attempt < SERVER_FAULT_RETRIES;
      if (!retry) {
        const replayIds = new Map(pending.map((e) => [e.Id, e.MessageAttributes]));
        const named = failed.map((f) => {
          const attributes = replayIds.get(f.Id);
          const replay = attributes?.[REPLAY_HEADERS.id]?.StringValue ?? f.Id;
          return `${replay}: ${f.Code ?? 'error'} ${f.Message ?? ''}`.trim();
        });
        throw new DlqBrokerError(
          `SQS refused ${failed.length} of ${pending.length} copies to ${target} (${named.join('; ')})`,
        );
      }
      const again = new Set(failed.map((f) => f.Id));
      pending = pending.filter((e) => again.has(e.Id));
    }
  }

  async remove(records: readonly DlqRecord[]): Promise<void> {
    const entries = records.flatMap((r) => {
      const receipt = this.held.get(r.key);
      return receipt ? [[r.key, receipt] as const] : [];
    });
    const failures: string[] = [];
    for (let i = 0; i < entries.length; i += BATCH_ENTRIES) {
      const chunk = entries.slice(i, i + BATCH_ENTRIES);
      const { Failed = [] } = await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: chunk.map(([, receipt], j) => ({ Id: String(j), ReceiptHandle: receipt })),
        }),
      );
      const failed = new Set(Failed.map((f) => f.Id));
      chunk.forEach(([key], j) => {
        if (!failed.has(String(j))) this.held.delete(key);
      });
      for (const f of Failed)
        failures.push(`${chunk[Number(f.Id)]?.[0]}: ${f.Code ?? 'error'} ${f.Message ?? ''}`);
    }
    if (failures.length > 0) {
      throw new DlqBrokerError(
        `SQS did not delete ${failures.length} replayed messages from ${this.options.queue} (${failures.join('; ')}); their copies were confirmed and checkpointed`,
      );
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    // An extension still running would hide again what is released here.
    await this.extending;
    const held = [...this.held.entries()];
    this.held.clear();
    this.buffer = [];
    // Back at once; what fails comes back by itself within HOLD_SECONDS.
    await this.changeVisibility(held, 0);
  }
}

/** Entries in SQS batches of at most 10 entries and 256 KiB. */
function batches(entries: SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
  const out: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = sqsMessageBytes(entry.MessageBody ?? '', entry.MessageAttributes ?? {});
    if (current.length > 0 && (current.length === BATCH_ENTRIES || bytes + size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
