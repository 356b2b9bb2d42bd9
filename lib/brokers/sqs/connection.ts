import type { BrokerSettings } from '@/lib/config';

type SqsSettings = NonNullable<BrokerSettings['sqs']>;

/** Where the queues are, for messages and display. */
export const sqsAddress = (settings: SqsSettings) => `${settings.endpoint} (${settings.region})`;

/** The queue name is the last path segment of its URL. */
export const queueNameOf = (url: string) => decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
