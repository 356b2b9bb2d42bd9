import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from '.';

const parseBrokerConfig = (env: Record<string, string>, readFile?: (path: string) => string) =>
  loadConfig(env, readFile).brokers;

const files = (contents: Record<string, string>) => (path: string) => {
  const content = contents[path];
  if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return content;
};

describe('the broker and lag settings', () => {
  it('polls nothing when no broker is configured, with the documented defaults', () => {
    const config = parseBrokerConfig({});
    expect([config.kafka, config.rabbitmq, config.nats, config.redis, config.bullmq, config.sqs]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(config.lag).toEqual({
      pollIntervalMs: 10_000,
      timeoutMs: 5000,
      retentionMs: 168 * 3_600_000,
      thresholds: {
        windowMs: 600_000,
        minSamples: 3,
        stuckAfterMs: 120_000,
        warnLagSeconds: 300,
        trendWindowMs: 120_000,
      },
    });
  });

  it('reads every broker from the environment', () => {
    const config = parseBrokerConfig({
      SIGNALBOX_KAFKA_BROKERS: '127.0.0.1:9092, kafka-2:9093',
      SIGNALBOX_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      SIGNALBOX_KAFKA_SASL_USERNAME: 'me',
      SIGNALBOX_KAFKA_SASL_PASSWORD: 'secret',
      SIGNALBOX_RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      SIGNALBOX_RABBITMQ_QUEUES: 'payments,refunds',
      SIGNALBOX_NATS_URL: 'nats://127.0.0.1:4222',
      SIGNALBOX_REDIS_URL: 'redis://127.0.0.1:6379/0',
      SIGNALBOX_SQS_ENDPOINT: 'http://127.0.0.1:9324',
      SIGNALBOX_LAG_EXCLUDE: 'test-*',
      SIGNALBOX_LAG_WARN_SECONDS: '0',
    });
    expect(config.kafka).toMatchObject({
      brokers: ['127.0.0.1:9092', 'kafka-2:9093'],
      sasl: { mechanism: 'scram-sha-512', username: 'me', password: 'secret' },
      tls: null,
      readMessages: true,
    });
    expect(config.rabbitmq).toMatchObject({
      queues: ['payments', 'refunds'],
      managementUrl: null,
      tls: null,
    });
    expect(config.nats?.servers).toEqual(['nats://127.0.0.1:4222']);
    // BullMQ lives on Redis: the same server unless SIGNALBOX_BULLMQ_URL says otherwise.
    expect(config.bullmq).toEqual({ url: 'redis://127.0.0.1:6379/0', prefix: 'bull', tls: null });
    expect(config.sqs).toEqual({
      endpoint: 'http://127.0.0.1:9324',
      region: 'us-east-1',
      queueNamePrefix: null,
    });
    expect(config.filter).toEqual({ include: [], exclude: ['test-*'] });
    expect(config.lag.thresholds.warnLagSeconds).toBeNull();
  });

  it('takes the SQS region from AWS_REGION or the endpoint host', () => {
    expect(
      parseBrokerConfig({ SIGNALBOX_SQS_ENDPOINT: 'http://x:1', AWS_REGION: 'eu-west-3' }).sqs?.region,
    ).toBe('eu-west-3');
    expect(
      parseBrokerConfig({ SIGNALBOX_SQS_ENDPOINT: 'https://sqs.ap-south-1.amazonaws.com' }).sqs?.region,
    ).toBe('ap-south-1');
  });

  it('names the key, the value and what is expected', () => {
    expect(() => parseBrokerConfig({ SIGNALBOX_KAFKA_BROKERS: 'localhost' })).toThrow(
      'SIGNALBOX_KAFKA_BROKERS="localhost": expected host:port[,host:port...]',
    );
    expect(() => parseBrokerConfig({ SIGNALBOX_REDIS_URL: 'http://x' })).toThrow(
      'SIGNALBOX_REDIS_URL="http://x": expected a URL starting with redis:// or rediss://',
    );
    expect(() => parseBrokerConfig({ SIGNALBOX_LAG_POLL_INTERVAL_MS: '10' })).toThrow(
      /SIGNALBOX_LAG_POLL_INTERVAL_MS="10"/,
    );
    expect(() => parseBrokerConfig({ SIGNALBOX_KAFKA_TLS: 'maybe' })).toThrow(
      'SIGNALBOX_KAFKA_TLS="maybe": expected true or false',
    );
    expect(() =>
      parseBrokerConfig({ SIGNALBOX_KAFKA_BROKERS: 'k:1', SIGNALBOX_KAFKA_SASL_MECHANISM: 'plain' }),
    ).toThrow('also set SIGNALBOX_KAFKA_SASL_USERNAME and SIGNALBOX_KAFKA_SASL_PASSWORD');
  });

  it('never prints a password it rejects', () => {
    try {
      parseBrokerConfig({ SIGNALBOX_KAFKA_SASL_PASSWORD: 'x', SIGNALBOX_KAFKA_SASL_MECHANISM: 'nope' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(String(error)).not.toContain('"x"');
    }
  });

  it('reads the config file, with the environment winning, and names the file in errors', () => {
    const read = files({
      '/etc/sb.json': JSON.stringify({
        SIGNALBOX_KAFKA_BROKERS: ['a:1', 'b:2'],
        SIGNALBOX_LAG_POLL_INTERVAL_MS: 2000,
        SIGNALBOX_KAFKA_READ_MESSAGES: false,
        SIGNALBOX_NATS_URL: 'nats://file:4222',
      }),
      '/etc/bad.json': JSON.stringify({ SIGNALBOX_NATS_URL: 'ftp://x' }),
      '/etc/broken.json': '{',
    });
    const config = parseBrokerConfig(
      { SIGNALBOX_CONFIG_FILE: '/etc/sb.json', SIGNALBOX_NATS_URL: 'nats://env:4222' },
      read,
    );
    expect(config.kafka?.brokers).toEqual(['a:1', 'b:2']);
    expect(config.kafka?.readMessages).toBe(false);
    expect(config.lag.pollIntervalMs).toBe(2000);
    expect(config.nats?.servers).toEqual(['nats://env:4222']);
    expect(() => parseBrokerConfig({ SIGNALBOX_CONFIG_FILE: '/etc/bad.json' }, read)).toThrow(
      'SIGNALBOX_NATS_URL (in /etc/bad.json)="ftp://x"',
    );
    expect(() => parseBrokerConfig({ SIGNALBOX_CONFIG_FILE: '/etc/broken.json' }, read)).toThrow(
      /SIGNALBOX_CONFIG_FILE="\/etc\/broken.json": cannot read it as JSON/,
    );
    expect(() => parseBrokerConfig({ SIGNALBOX_CONFIG_FILE: '/nope.json' }, read)).toThrow(/ENOENT/);
  });

  it('reads TLS material from files and turns TLS on for amqps/rediss URLs', () => {
    const read = files({ '/ca.pem': 'CA' });
    const config = parseBrokerConfig(
      {
        SIGNALBOX_RABBITMQ_URL: 'amqps://u:p@mq:5671',
        SIGNALBOX_RABBITMQ_TLS_CA_FILE: '/ca.pem',
        SIGNALBOX_REDIS_URL: 'rediss://r:6380',
        SIGNALBOX_REDIS_TLS_REJECT_UNAUTHORIZED: 'false',
      },
      read,
    );
    expect(config.rabbitmq?.tls).toEqual({
      ca: 'CA',
      cert: undefined,
      key: undefined,
      rejectUnauthorized: true,
    });
    expect(config.redis?.tls).toMatchObject({ rejectUnauthorized: false });
    expect(() =>
      parseBrokerConfig(
        { SIGNALBOX_KAFKA_BROKERS: 'k:1', SIGNALBOX_KAFKA_TLS: 'true', SIGNALBOX_KAFKA_TLS_CA_FILE: '/x' },
        read,
      ),
    ).toThrow('SIGNALBOX_KAFKA_TLS_CA_FILE="/x": cannot read it');
  });
});

it('redactUrl drops credentials', () => {
  expect(redactUrl('amqp://guest:secret@127.0.0.1:5672/vh')).toBe('amqp://127.0.0.1:5672/vh');
});
