import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '.';

describe('loadConfig', () => {
  it('names every bad key of every section in one message', () => {
    const bad = () =>
      loadConfig({
        SIGNALBOX_KAFKA_BROKERS: 'kafka-without-port',
        SIGNALBOX_DLQ_QUEUES: 'payments.dlq',
        SIGNALBOX_OTLP_PORT: 'many',
      });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/SIGNALBOX_KAFKA_BROKERS.*host:port/);
    expect(bad).toThrow(/SIGNALBOX_DLQ_QUEUES.*system:name/);
    expect(bad).toThrow(/SIGNALBOX_OTLP_PORT="many"/);
  });

  it('takes any key from the config file, the environment winning, and hides secrets', () => {
    const file = JSON.stringify({
      SIGNALBOX_RETENTION_HOURS: 24,
      SIGNALBOX_DLQ_MAX_REPLAYS: 5,
      SIGNALBOX_OPERATOR_TOKEN: 'too-short',
    });
    const read = () => file;
    const env = { SIGNALBOX_CONFIG_FILE: '/etc/sb.json', SIGNALBOX_DLQ_MAX_REPLAYS: '7' };
    expect(() => loadConfig(env, read)).toThrow(
      'SIGNALBOX_OPERATOR_TOKEN (in /etc/sb.json)=(hidden): use at least 16 characters',
    );
    expect(() => loadConfig(env, read)).not.toThrow(/too-short/);
    const config = loadConfig({ ...env, SIGNALBOX_OPERATOR_TOKEN: 'x'.repeat(20) }, read);
    expect(config.store.retentionHours).toBe(24);
    expect(config.dlq).toMatchObject({ maxReplays: 7, operatorToken: 'x'.repeat(20) });
  });

  it('lets a valid configuration through', () => {
    const config = loadConfig({
      SIGNALBOX_KAFKA_BROKERS: '127.0.0.1:9092',
      SIGNALBOX_DLQ_QUEUES: 'rabbitmq:payments.dlq',
    });
    expect(config.brokers.kafka?.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.dlq.queues).toEqual([{ system: 'rabbitmq', name: 'payments.dlq' }]);
  });
});
