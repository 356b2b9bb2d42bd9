import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RabbitTopology } from '@/lib/model/rabbitmq-topology';
import { type ConfigSource, loadConfig } from '@/lib/config';
import { TOPOLOGY_TTL_MS, forgetRabbitTopology, rabbitTopology } from './topology-cache';

const env = {
  SIGNALBOX_RABBITMQ_URL: 'amqp://127.0.0.1:5672',
  SIGNALBOX_RABBITMQ_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:15672',
};
/** The RabbitMQ settings as the runtime reads them: parsed from `source`, throwing on a bad value. */
const settings = (source: ConfigSource) => () => loadConfig(source).brokers.rabbitmq;
const empty: RabbitTopology = { exchanges: [], bindings: [], queues: [] };

describe('rabbitTopology', () => {
  afterEach(forgetRabbitTopology);

  it('is nothing, without asking, when no management API is configured', async () => {
    const fetch = vi.fn();
    expect(
      await rabbitTopology(settings({ SIGNALBOX_RABBITMQ_URL: env.SIGNALBOX_RABBITMQ_URL }), Date.now, fetch),
    ).toEqual({
      topology: null,
      status: null,
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('reads once per TTL', async () => {
    let clock = 1_000_000;
    const fetch = vi.fn().mockResolvedValue(empty);
    const read = () => rabbitTopology(settings(env), () => clock, fetch);
    expect(await read()).toEqual({
      topology: empty,
      status: { state: 'read', readAt: new Date(1_000_000).toISOString() },
    });
    clock += TOPOLOGY_TTL_MS - 1;
    await read();
    expect(fetch).toHaveBeenCalledTimes(1);
    clock += 1;
    await read();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('turns a failure into a status, remembered for the TTL too', async () => {
    const fetch = vi.fn().mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:15672'));
    const read = () => rabbitTopology(settings(env), () => 0, fetch);
    expect(await read()).toEqual({
      topology: null,
      status: { state: 'unavailable', reason: 'connect ECONNREFUSED 127.0.0.1:15672' },
    });
    await read();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('reports bad settings as a status instead of failing the page', async () => {
    const read = await rabbitTopology(
      settings({ ...env, SIGNALBOX_RABBITMQ_MANAGEMENT_URL: 'ftp://x' }),
      Date.now,
      vi.fn(),
    );
    expect(read.topology).toBeNull();
    expect(read.status).toMatchObject({
      state: 'unavailable',
      reason: expect.stringMatching(/MANAGEMENT_URL/) as string,
    });
  });
});
