import { afterEach, describe, expect, it, vi } from 'vitest';
import { exitOnBadConfig } from './config-check';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('exitOnBadConfig', () => {
  it('stops start-up on a bad broker or DLQ setting, naming every bad key', () => {
    vi.stubEnv('SIGNALBOX_KAFKA_BROKERS', 'kafka-without-port');
    vi.stubEnv('SIGNALBOX_DLQ_QUEUES', 'payments.dlq');
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    exitOnBadConfig();
    expect(exit).toHaveBeenCalledWith(1);
    const message = String(printed.mock.calls[0]?.[0]);
    expect(message).toMatch(/SIGNALBOX_KAFKA_BROKERS.*host:port/);
    expect(message).toMatch(/SIGNALBOX_DLQ_QUEUES.*system:name/);
  });

  it('lets a valid configuration through', () => {
    vi.stubEnv('SIGNALBOX_KAFKA_BROKERS', '127.0.0.1:9092');
    vi.stubEnv('SIGNALBOX_DLQ_QUEUES', 'rabbitmq:payments.dlq');
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    exitOnBadConfig();
    expect(exit).not.toHaveBeenCalled();
  });
});
