import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { BROKERS } from '@/lib/testing/brokers';
import { waitFor } from './support';

export const SQS_ENDPOINT = `http://${BROKERS.sqs.host}:${BROKERS.sqs.port}`;
/** ElasticMQ accepts any credentials; the dashboard takes them from the AWS default chain. */
export const SQS_CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'x' };
export const SQS_REGION = 'us-east-1';

/** Queues a test creates on ElasticMQ, read the way a test checks them, and deleted by `removeAll`. */
export function sqsTestQueues() {
  const client = new SQSClient({ endpoint: SQS_ENDPOINT, region: SQS_REGION, credentials: SQS_CREDENTIALS });
  const urls: Record<string, string> = {};
  const url = (name: string) => urls[name] ?? '';

  const attributes = async (name: string) =>
    (
      await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url(name),
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'QueueArn',
          ],
        }),
      )
    ).Attributes ?? {};
  const visible = async (name: string) => Number((await attributes(name)).ApproximateNumberOfMessages);

  return {
    client,
    url,
    async create(name: string, attrs?: Record<string, string>): Promise<string> {
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attrs }));
      urls[name] = QueueUrl ?? '';
      return urls[name];
    },
    arn: async (name: string) => (await attributes(name)).QueueArn ?? '',
    visible,
    inFlight: async (name: string) => Number((await attributes(name)).ApproximateNumberOfMessagesNotVisible),
    untilVisible: (name: string, count: number) =>
      waitFor(async () => ((await visible(name)) === count ? true : undefined), `${count} in ${name}`),
    /** One receive (long poll 1 s) with every attribute. */
    async receive(name: string, visibilityTimeout?: number): Promise<Message[]> {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: url(name),
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
          ...(visibilityTimeout === undefined ? {} : { VisibilityTimeout: visibilityTimeout }),
        }),
      );
      return Messages;
    },
    async removeAll(): Promise<void> {
      for (const queueUrl of Object.values(urls))
        await client.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
      client.destroy();
    },
  };
}
