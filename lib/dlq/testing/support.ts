import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { KafkaSettings } from '@/lib/config';
import { BROKERS } from '@/lib/testing/brokers';

export const KAFKA_SETTINGS: KafkaSettings = {
  brokers: [`${BROKERS.kafka.host}:${BROKERS.kafka.port}`],
  clientId: 'signalbox-dlq-test',
  tls: null,
  sasl: null,
  readMessages: true,
};

export const RABBIT_URL = `amqp://guest:guest@${BROKERS.rabbitmq.host}:${BROKERS.rabbitmq.port}`;

export const rabbitSettings = (queues: string[] = []) => ({
  url: RABBIT_URL,
  managementUrl: null,
  queues,
  tls: null,
});

/** A unique name per run, so parallel runs by other engineers never share a topic or queue. */
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A path for a DuckDB file in a fresh temporary folder (for a child process to open). */
export function tempDbPath(): { file: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-dlq-'));
  return {
    file: path.join(dir, 'dlq.duckdb'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A real DuckDB file in a temporary folder. */
export async function tempDuckDb(): Promise<{
  connection: DuckDBConnection;
  file: string;
  /** Another connection to the same instance (closed with it). */
  connect: () => Promise<DuckDBConnection>;
  close: () => void;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-dlq-'));
  const file = path.join(dir, 'dlq.duckdb');
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  const others: DuckDBConnection[] = [];
  return {
    connection,
    file,
    connect: async () => {
      const other = await instance.connect();
      others.push(other);
      return other;
    },
    close: () => {
      for (const other of others) other.closeSync();
      connection.closeSync();
      instance.closeSync();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined. */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
