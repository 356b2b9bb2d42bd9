import { z } from 'zod';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from '@/lib/lag/status';
import type { NameFilter } from '@/lib/brokers/patterns';
import { ConfigError } from './errors';
import { bool, list, url } from './fields';
import { section } from './section';
import type { ConfigSource, MergedSource } from './source';
import { type TlsSettings, readTls, tlsKeys } from './tls';

/**
 * Broker and lag settings. Every key is optional; a broker without its address
 * is simply not polled.
 */

const hostPorts = list.refine(
  (items) => items.length > 0 && items.every((i) => /^[^\s:]+:\d{1,5}$/.test(i)),
  {
    error: 'expected host:port[,host:port...]',
  },
);

const ms = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  SIGNALBOX_KAFKA_BROKERS: hostPorts.optional(),
  SIGNALBOX_KAFKA_CLIENT_ID: z.string().min(1).default('signalbox-dashboard'),
  SIGNALBOX_KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  SIGNALBOX_KAFKA_SASL_USERNAME: z.string().optional(),
  SIGNALBOX_KAFKA_SASL_PASSWORD: z.string().optional(),
  SIGNALBOX_KAFKA_READ_MESSAGES: bool.default(true),
  ...tlsKeys('SIGNALBOX_KAFKA'),
  SIGNALBOX_RABBITMQ_URL: url(['amqp', 'amqps']).optional(),
  SIGNALBOX_RABBITMQ_MANAGEMENT_URL: url(['http', 'https']).optional(),
  SIGNALBOX_RABBITMQ_QUEUES: list.optional(),
  ...tlsKeys('SIGNALBOX_RABBITMQ'),
  SIGNALBOX_NATS_URL: list
    .refine(
      (items) =>
        items.length > 0 && items.every((i) => /^(nats|tls|wss?):\/\/[^\s]+$|^[^\s:/]+:\d+$/.test(i)),
      {
        error: 'expected nats://host:port[,nats://host:port...]',
      },
    )
    .optional(),
  SIGNALBOX_NATS_USER: z.string().optional(),
  SIGNALBOX_NATS_PASSWORD: z.string().optional(),
  SIGNALBOX_NATS_TOKEN: z.string().optional(),
  ...tlsKeys('SIGNALBOX_NATS'),
  SIGNALBOX_REDIS_URL: url(['redis', 'rediss']).optional(),
  ...tlsKeys('SIGNALBOX_REDIS'),
  SIGNALBOX_BULLMQ_URL: url(['redis', 'rediss']).optional(),
  SIGNALBOX_BULLMQ_PREFIX: z.string().min(1).default('bull'),
  SIGNALBOX_SQS_ENDPOINT: url(['http', 'https']).optional(),
  SIGNALBOX_SQS_REGION: z.string().min(1).optional(),
  SIGNALBOX_SQS_QUEUE_PREFIX: z.string().min(1).optional(),
  SIGNALBOX_MQTT_URL: url(['mqtt', 'mqtts', 'ws', 'wss']).optional(),
  SIGNALBOX_LAG_INCLUDE: list.default([]),
  SIGNALBOX_LAG_EXCLUDE: list.default([]),
  SIGNALBOX_LAG_POLL_INTERVAL_MS: ms(1000, 3_600_000, 10_000),
  SIGNALBOX_LAG_TIMEOUT_MS: ms(100, 600_000, 5000),
  SIGNALBOX_LAG_WINDOW_MS: ms(1000, 86_400_000, DEFAULT_THRESHOLDS.windowMs),
  SIGNALBOX_LAG_STUCK_AFTER_MS: ms(0, 86_400_000, DEFAULT_THRESHOLDS.stuckAfterMs),
  SIGNALBOX_LAG_WARN_SECONDS: z.coerce
    .number()
    .min(0)
    .default(DEFAULT_THRESHOLDS.warnLagSeconds ?? 0),
  SIGNALBOX_LAG_TREND_WINDOW_MS: ms(1000, 86_400_000, DEFAULT_THRESHOLDS.trendWindowMs),
  SIGNALBOX_LAG_RETENTION_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 366)
    .default(168),
});

type Raw = z.infer<typeof schema>;

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  tls: TlsSettings | null;
  sasl: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | null;
  /** Read the oldest unconsumed record per lagging partition for its time (needs READ on the topics). */
  readMessages: boolean;
}

export interface BrokerSettings {
  kafka: KafkaSettings | null;
  rabbitmq: { url: string; managementUrl: string | null; queues: string[]; tls: TlsSettings | null } | null;
  nats: {
    servers: string[];
    user?: string;
    password?: string;
    token?: string;
    tls: TlsSettings | null;
  } | null;
  redis: { url: string; tls: TlsSettings | null } | null;
  bullmq: { url: string; prefix: string; tls: TlsSettings | null } | null;
  sqs: { endpoint: string; region: string; queueNamePrefix: string | null } | null;
  /** Parsed for the features that use MQTT; MQTT itself exposes no consumer positions to read lag from. */
  mqtt: { url: string } | null;
  filter: NameFilter;
  lag: {
    pollIntervalMs: number;
    timeoutMs: number;
    retentionMs: number;
    thresholds: StatusThresholds;
  };
}

/** The region SQS runs in: the key, then AWS_REGION/AWS_DEFAULT_REGION, then the endpoint's host name. */
function sqsRegion(raw: Raw, env: ConfigSource, endpoint: string): string {
  return (
    raw.SIGNALBOX_SQS_REGION ??
    env.AWS_REGION ??
    env.AWS_DEFAULT_REGION ??
    /sqs[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(new URL(endpoint).hostname)?.[1] ??
    // Local SQS-compatible servers (ElasticMQ, LocalStack) accept any region.
    'us-east-1'
  );
}

export const brokersSection = section(schema, (raw, source: MergedSource): BrokerSettings => {
  let sasl: KafkaSettings['sasl'] = null;
  if (raw.SIGNALBOX_KAFKA_SASL_MECHANISM) {
    if (!raw.SIGNALBOX_KAFKA_SASL_USERNAME || raw.SIGNALBOX_KAFKA_SASL_PASSWORD === undefined) {
      throw new ConfigError(
        `${source.where('SIGNALBOX_KAFKA_SASL_MECHANISM')} is set: also set SIGNALBOX_KAFKA_SASL_USERNAME and SIGNALBOX_KAFKA_SASL_PASSWORD.`,
      );
    }
    sasl = {
      mechanism: raw.SIGNALBOX_KAFKA_SASL_MECHANISM,
      username: raw.SIGNALBOX_KAFKA_SASL_USERNAME,
      password: raw.SIGNALBOX_KAFKA_SASL_PASSWORD,
    };
  }
  const tlsFor = (prefix: string, on: boolean) => readTls(raw, prefix, on, source);
  const rabbitUrl = raw.SIGNALBOX_RABBITMQ_URL;
  const natsServers = raw.SIGNALBOX_NATS_URL;
  const redisUrl = raw.SIGNALBOX_REDIS_URL;
  const bullUrl = raw.SIGNALBOX_BULLMQ_URL ?? redisUrl;
  const sqsEndpoint = raw.SIGNALBOX_SQS_ENDPOINT;

  return {
    kafka: raw.SIGNALBOX_KAFKA_BROKERS
      ? {
          brokers: raw.SIGNALBOX_KAFKA_BROKERS,
          clientId: raw.SIGNALBOX_KAFKA_CLIENT_ID,
          tls: tlsFor('SIGNALBOX_KAFKA', false),
          sasl,
          readMessages: raw.SIGNALBOX_KAFKA_READ_MESSAGES,
        }
      : null,
    rabbitmq: rabbitUrl
      ? {
          url: rabbitUrl,
          managementUrl: raw.SIGNALBOX_RABBITMQ_MANAGEMENT_URL ?? null,
          queues: raw.SIGNALBOX_RABBITMQ_QUEUES ?? [],
          tls: tlsFor('SIGNALBOX_RABBITMQ', rabbitUrl.startsWith('amqps:')),
        }
      : null,
    nats: natsServers
      ? {
          servers: natsServers,
          user: raw.SIGNALBOX_NATS_USER,
          password: raw.SIGNALBOX_NATS_PASSWORD,
          token: raw.SIGNALBOX_NATS_TOKEN,
          tls: tlsFor(
            'SIGNALBOX_NATS',
            natsServers.some((s) => s.startsWith('tls:')),
          ),
        }
      : null,
    redis: redisUrl
      ? { url: redisUrl, tls: tlsFor('SIGNALBOX_REDIS', redisUrl.startsWith('rediss:')) }
      : null,
    bullmq: bullUrl
      ? {
          url: bullUrl,
          prefix: raw.SIGNALBOX_BULLMQ_PREFIX,
          tls: tlsFor('SIGNALBOX_REDIS', bullUrl.startsWith('rediss:')),
        }
      : null,
    sqs: sqsEndpoint
      ? {
          endpoint: sqsEndpoint,
          region: sqsRegion(raw, source.values, sqsEndpoint),
          queueNamePrefix: raw.SIGNALBOX_SQS_QUEUE_PREFIX ?? null,
        }
      : null,
    mqtt: raw.SIGNALBOX_MQTT_URL ? { url: raw.SIGNALBOX_MQTT_URL } : null,
    filter: { include: raw.SIGNALBOX_LAG_INCLUDE, exclude: raw.SIGNALBOX_LAG_EXCLUDE },
    lag: {
      pollIntervalMs: raw.SIGNALBOX_LAG_POLL_INTERVAL_MS,
      timeoutMs: raw.SIGNALBOX_LAG_TIMEOUT_MS,
      retentionMs: raw.SIGNALBOX_LAG_RETENTION_HOURS * 3_600_000,
      thresholds: {
        windowMs: raw.SIGNALBOX_LAG_WINDOW_MS,
        minSamples: DEFAULT_THRESHOLDS.minSamples,
        stuckAfterMs: raw.SIGNALBOX_LAG_STUCK_AFTER_MS,
        warnLagSeconds: raw.SIGNALBOX_LAG_WARN_SECONDS === 0 ? null : raw.SIGNALBOX_LAG_WARN_SECONDS,
        trendWindowMs: raw.SIGNALBOX_LAG_TREND_WINDOW_MS,
      },
    },
  };
});

/** A URL for display: without user name and password. */
export function redactUrl(value: string): string {
  try {
    const u = new URL(value);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return value.replace(/\/\/[^@/]*@/, '//');
  }
}
