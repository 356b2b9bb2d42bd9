import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('startRuntime', () => {
  it('stops start-up on a bad setting before opening anything, naming every bad key', async () => {
    vi.stubEnv('SIGNALBOX_KAFKA_BROKERS', 'kafka-without-port');
    vi.stubEnv('SIGNALBOX_DLQ_QUEUES', 'payments.dlq');
    // The data folder must not even be created: nothing opens on a bad configuration.
    vi.stubEnv('SIGNALBOX_DATA_DIR', '/nonexistent/signalbox-must-not-open');
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { startRuntime, getStore } = await import('./runtime');
    await startRuntime();
    expect(exit).toHaveBeenCalledWith(1);
    const message = String(printed.mock.calls[0]?.[0]);
    expect(message).toMatch(/SIGNALBOX_KAFKA_BROKERS.*host:port/);
    expect(message).toMatch(/SIGNALBOX_DLQ_QUEUES.*system:name/);
    await expect(getStore()).rejects.toThrow(/SIGNALBOX_KAFKA_BROKERS/);
  }, 60_000);

  it('refuses to listen beyond loopback without SIGNALBOX_AUTH=none, saying what to set', async () => {
    vi.stubEnv('HOSTNAME', '0.0.0.0');
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { startRuntime } = await import('./runtime');
    await startRuntime();
    expect(exit).toHaveBeenCalledWith(1);
    expect(String(printed.mock.calls[0]?.[0])).toMatch(
      /0\.0\.0\.0.*SIGNALBOX_AUTH=oidc.*set SIGNALBOX_AUTH=none/,
    );
  }, 60_000);
});
