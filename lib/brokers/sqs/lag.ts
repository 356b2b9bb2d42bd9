import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  type QueueAttributeName,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import type { BrokerSettings } from '@/lib/config';
import type { BrokerAdapter, GroupReading, PollContext } from '../lag-types';
import { queueNameOf, sqsAddress } from './connection';

type SqsSettings = NonNullable<BrokerSettings['sqs']>;

const ATTRIBUTES: QueueAttributeName[] = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
];

/**
 * SQS queue backlogs, for every queue ListQueues returns (narrowed by SIGNALBOX_SQS_QUEUE_PREFIX and
 * the include/exclude patterns). A queue is its own group.
 *
 * - lagMessages = ApproximateNumberOfMessages (visible, waiting); in-flight (NotVisible) and delayed
 *   counts are details. All three are approximate by SQS's own definition (eventually consistent).
 * - lagSeconds: unknown. The SQS API has no oldest-message age: AWS publishes it only as the
 *   CloudWatch metric ApproximateAgeOfOldestMessage (not read here; ElasticMQ serves no CloudWatch at
 *   all), and peeking with ReceiveMessage would raise the message's receive count, which counts
 *   towards the queue's maxReceiveCount and can push it into the dead-letter queue.
 * - consumers and position: unknown (SQS does not track consumers or a consumed counter); the status
 *   rules fall back to whether the backlog shrinks.
 */
export class SqsLagAdapter implements BrokerAdapter {
  readonly system = 'aws_sqs' as const;
  readonly address: string;
  private client: SQSClient | null = null;

  constructor(
    private readonly settings: SqsSettings,
    private readonly include: (queue: string) => boolean,
    /** Extra client settings (tests pass static credentials; the dashboard uses the AWS default chain). */
    private readonly clientConfig: Partial<SQSClientConfig> = {},
  ) {
    this.address = sqsAddress(settings);
  }

  private sqs(): SQSClient {
    this.client ??= new SQSClient({
      endpoint: this.settings.endpoint,
      region: this.settings.region,
      // The poller retries on its own schedule.
      maxAttempts: 1,
      ...this.clientConfig,
    });
    return this.client;
  }

  async readLag({ signal }: PollContext): Promise<GroupReading[]> {
    const sqs = this.sqs();
    const urls: string[] = [];
    let token: string | undefined;
    do {
      const page = await sqs.send(
        new ListQueuesCommand({
          QueueNamePrefix: this.settings.queueNamePrefix ?? undefined,
          MaxResults: 1000,
          NextToken: token,
        }),
        { abortSignal: signal },
      );
      urls.push(...(page.QueueUrls ?? []));
      token = page.NextToken;
    } while (token);

    const included = urls.filter((url) => this.include(queueNameOf(url))).sort();
    return Promise.all(
      included.map(async (url) => {
        const { Attributes: a = {} } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ATTRIBUTES }),
          { abortSignal: signal },
        );
        const count = (name: string) => {
          const value = Number(a[name as QueueAttributeName]);
          return Number.isFinite(value) ? value : null;
        };
        const visible = count('ApproximateNumberOfMessages') ?? 0;
        const name = queueNameOf(url);
        return {
          system: 'aws_sqs' as const,
          group: name,
          destination: name,
          consumers: null,
          partitions: [
            {
              partition: '',
              lagMessages: visible,
              lagSeconds: visible === 0 ? 0 : null,
              lagSecondsSource: 'none' as const,
              position: null,
              endPosition: null,
            },
          ],
          details: {
            visible,
            inFlight: count('ApproximateNumberOfMessagesNotVisible'),
            delayed: count('ApproximateNumberOfMessagesDelayed'),
          },
        };
      }),
    );
  }

  close(): Promise<void> {
    this.client?.destroy();
    this.client = null;
    return Promise.resolve();
  }
}
