import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  type QueueAttributeName,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import type { BrokerSettings } from '@/lib/config';
import { browseWithSession } from '../dlq-browse-session';
import { DlqAdapterBase } from '../dlq-adapter-base';
import type { KnownDlqNames } from '../dlq-known-names';
import { looksLikeDlq } from '../dlq-names';
import {
  type BrowseResult,
  type DlqQueueInfo,
  type DlqSession,
  type OpenOptions,
  DlqBrokerError,
} from '../dlq-types';
import { errorText } from '../error-text';
import { queueNameOf, sqsAddress } from './connection';
import { redriveTarget } from './dlq-mapping';
import { HOLD_SECONDS, SqsSession } from './dlq-session';

type SqsSettings = NonNullable<BrokerSettings['sqs']>;

/** GetQueueAttributes calls in flight at once while discovering (one per queue). */
const DISCOVER_CONCURRENCY = 8;

/**
 * Amazon SQS dead-letter queues (and SQS-compatible servers: ElasticMQ, LocalStack).
 *
 * Discovery: queues named like a DLQ, queues another queue's RedrivePolicy names as its
 * `deadLetterTargetArn` (source `redrive-policy`, which wins), and the configured ones.
 *
 * What reading does (browse and replay alike): SQS has no peek. A pass receives messages with a
 * visibility timeout of HOLD_SECONDS (30 s, extended while they are held), so for as long as the
 * pass holds them (a browse: the time to read up to the browse limit, usually well under a second)
 * no other consumer of the DLQ gets them; then it sets their visibility to 0 and they are back at
 * once. Each receive adds 1 to the message's ApproximateReceiveCount (shown as a header, and the
 * failure's `attempts` of a redriven message is derived from it), and if the DLQ itself has a
 * RedrivePolicy, those receives count towards its maxReceiveCount. If the dashboard dies while
 * holding messages, SQS makes them visible again after at most HOLD_SECONDS. On a FIFO DLQ a held
 * message also holds back the rest of its message group.
 *
 * Replay deletes a message (DeleteMessageBatch with its receipt handle) only after SendMessageBatch
 * stored every copy and the job checkpointed it.
 */
export class SqsDlqAdapter extends DlqAdapterBase {
  readonly system = 'aws_sqs' as const;
  private client: SQSClient | null = null;
  private readonly urls = new Map<string, string>();

  constructor(
    private readonly settings: SqsSettings,
    configured: KnownDlqNames | readonly string[] = [],
    /** Extra client settings (tests pass static credentials; the dashboard uses the AWS default chain). */
    private readonly clientConfig: Partial<SQSClientConfig> = {},
  ) {
    super(sqsAddress(settings), configured);
  }

  private sqs(): SQSClient {
    this.client ??= new SQSClient({
      endpoint: this.settings.endpoint,
      region: this.settings.region,
      ...this.clientConfig,
    });
    return this.client;
  }

  /** The URL of a queue given by name (or already by URL). */
  private async queueUrl(queue: string): Promise<string> {
    if (/^https?:\/\//.test(queue)) return queue;
    const known = this.urls.get(queue);
    if (known) return known;
    try {
      const { QueueUrl } = await this.sqs().send(new GetQueueUrlCommand({ QueueName: queue }));
      if (!QueueUrl) throw new Error('no QueueUrl in the reply');
      this.urls.set(queue, QueueUrl);
      return QueueUrl;
    } catch (error) {
      if (isMissingQueue(error)) throw new DlqBrokerError(`SQS queue ${queue} does not exist`);
      throw new DlqBrokerError(`SQS could not find queue ${queue}: ${errorText(error)}`);
    }
  }

  /** A queue's attributes, or null when it no longer exists. */
  private async attributes(
    url: string,
    names: QueueAttributeName[],
  ): Promise<Partial<Record<QueueAttributeName, string>> | null> {
    try {
      const { Attributes = {} } = await this.sqs().send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }),
      );
      return Attributes;
    } catch (error) {
      if (isMissingQueue(error)) return null;
      throw error;
    }
  }

  private async listQueues(): Promise<string[]> {
    const urls: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.sqs().send(
        new ListQueuesCommand({
          QueueNamePrefix: this.settings.queueNamePrefix ?? undefined,
          MaxResults: 1000,
          NextToken: token,
        }),
      );
      urls.push(...(page.QueueUrls ?? []));
      token = page.NextToken;
    } while (token);
    return urls;
  }

  async discover(): Promise<DlqQueueInfo[]> {
    const urls = await this.listQueues();
    const queues = new Map<string, Partial<Record<QueueAttributeName, string>>>();
    const read = async (url: string) => {
      const attributes = await this.attributes(url, ['ApproximateNumberOfMessages', 'RedrivePolicy']);
      if (attributes) queues.set(queueNameOf(url), attributes);
    };
    for (let i = 0; i < urls.length; i += DISCOVER_CONCURRENCY) {
      await Promise.all(urls.slice(i, i + DISCOVER_CONCURRENCY).map(read));
    }
    const redriven = new Set<string>();
    for (const attributes of queues.values()) {
      const target = redriveTarget(attributes.RedrivePolicy);
      if (target) redriven.add(target);
    }
    // DLQs a policy or the configuration names that the listing did not return (another prefix).
    for (const name of new Set([...redriven, ...this.configured])) {
      if (queues.has(name)) continue;
      const url = await this.queueUrl(name).catch(() => null);
      if (url) await read(url);
    }
    const found: DlqQueueInfo[] = [];
    for (const [name, attributes] of queues) {
      const source = redriven.has(name)
        ? 'redrive-policy'
        : this.configured.includes(name)
          ? this.configured.source(name)
          : // FIFO queue names must end in .fifo: `orders-dlq.fifo` is named like a DLQ.
            looksLikeDlq(name.replace(/\.fifo$/, ''))
            ? 'name'
            : null;
      if (source) found.push({ system: 'aws_sqs', name, messages: count(attributes), source });
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A browse is no job (jobId null): it has no re-failed copies of its own to skip. */
  override async browse(queue: string, limit: number): Promise<BrowseResult> {
    return browseWithSession(await this.openSession(queue, null, null, new Set()), limit);
  }

  open(queue: string, options: OpenOptions): Promise<DlqSession> {
    return this.openSession(queue, options.jobId, options.cursor, options.checkpointed ?? new Set());
  }

  private async openSession(
    queue: string,
    jobId: string | null,
    cursor: string | null,
    checkpointed: ReadonlySet<string>,
  ): Promise<SqsSession> {
    const queueUrl = await this.queueUrl(queue);
    // The pass reads no more than the queue held when the job began (kept in the cursor for a resume).
    let size = cursorSize(cursor);
    if (size === null) {
      const attributes = await this.attributes(queueUrl, ['ApproximateNumberOfMessages']);
      if (!attributes) throw new DlqBrokerError(`SQS queue ${queue} does not exist`);
      size = count(attributes) ?? 0;
    }
    return new SqsSession(this.sqs(), {
      queue,
      queueUrl,
      size,
      cursor: JSON.stringify({ size }),
      jobId,
      checkpointed,
      waitForInFlightUntilMs: cursor === null ? null : Date.now() + (HOLD_SECONDS + 2) * 1000,
      resolveUrl: (target) => this.queueUrl(target),
      inFlight: async () => {
        const a = await this.attributes(queueUrl, ['ApproximateNumberOfMessagesNotVisible']);
        return Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0) || 0;
      },
    });
  }

  /** PurgeQueue; returns the approximate count read just before (visible, in flight and delayed). */
  async purge(queue: string): Promise<number | null> {
    const url = await this.queueUrl(queue);
    const a = await this.attributes(url, [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateNumberOfMessagesDelayed',
    ]);
    if (!a) throw new DlqBrokerError(`SQS queue ${queue} does not exist`);
    try {
      await this.sqs().send(new PurgeQueueCommand({ QueueUrl: url }));
    } catch (error) {
      if (/PurgeQueueInProgress/.test(`${(error as Error).name} ${errorText(error)}`)) {
        throw new DlqBrokerError(
          `SQS is still purging ${queue} (one purge per queue every 60 seconds): try again in a minute`,
        );
      }
      throw new DlqBrokerError(`SQS could not purge ${queue}: ${errorText(error)}`);
    }
    return (
      Number(a.ApproximateNumberOfMessages ?? 0) +
      Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(a.ApproximateNumberOfMessagesDelayed ?? 0)
    );
  }

  close(): Promise<void> {
    this.client?.destroy();
    this.client = null;
    return Promise.resolve();
  }
}

function count(attributes: Partial<Record<QueueAttributeName, string>>): number | null {
  const value = Number(attributes.ApproximateNumberOfMessages);
  return attributes.ApproximateNumberOfMessages !== undefined && Number.isFinite(value) ? value : null;
}

function cursorSize(cursor: string | null): number | null {
  if (cursor === null) return null;
  try {
    const { size } = JSON.parse(cursor) as { size?: unknown };
    return typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : null;
  } catch {
    return null;
  }
}

/** AWS says QueueDoesNotExist (JSON protocol) or AWS.SimpleQueueService.NonExistentQueue (query). */
function isMissingQueue(error: unknown): boolean {
  const e = error as { name?: unknown; Code?: unknown; message?: unknown };
  return /QueueDoesNotExist|NonExistentQueue/.test(
    `${String(e.name)} ${String(e.Code)} ${String(e.message)}`,
  );
}
