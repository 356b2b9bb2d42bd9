import type { Actor } from '@/lib/audit/audit-entry';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { REPLAY_HEADERS } from '@signalbox/instrumentation';
import { expect } from 'vitest';
import type { KafkaSettings } from '@/lib/config';
import { BROKERS } from '@/lib/testing/brokers';
import type { DlqFilter } from '../filter';
import type { DlqService, JobView } from '../service';

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

/** Someone the tests act as: a name, vouched for by nobody (the service takes identities as given). */
export function testActor(name: string): Actor {
  return { name, subject: null, idp: 'test', tokenId: null };
}

/** Starts a replay job (not a dry run), waits until the service is idle and returns the finished job. */
export async function replayToEnd(
  service: DlqService,
  id: string,
  body: unknown,
  actor: string,
): Promise<JobView> {
  const job = (await service.replay(id, body, testActor(actor))) as JobView;
  await service.idle();
  return service.job(job.id);
}

/**
 * Waits for the copy of a dead letter that failed again after its replay: the first message
 * matching `filter` (other than `except`) whose replay count is 1.
 */
export function refailedCopy(service: DlqService, id: string, filter: DlqFilter = {}, except?: string) {
  return waitFor(async () => {
    const m = (await service.messages(id, filter)).messages.find((x) => x.id !== except);
    return m?.failure.replay?.count === 1 ? m : undefined;
  }, 'the re-failed copy');
}

/**
 * A message that fails again after its one allowed replay is poison: replays `request` (all of `id`
 * by default), waits for the copy that fails again (refailedCopy's `filter` and `except`), replays
 * that copy and expects the job to send nothing and count it as poison. Returns the copy and the job.
 */
export async function expectPoisonOnSecondReplay(
  service: DlqService,
  id: string,
  {
    request = { all: true },
    filter = {},
    except,
  }: { request?: object; filter?: DlqFilter; except?: string } = {},
) {
  await service.replay(id, request, testActor('bob'));
  await service.idle();
  const copy = await refailedCopy(service, id, filter, except);
  const job = await replayToEnd(service, id, { messageIds: [copy.id] }, 'bob');
  expect(job).toMatchObject({ status: 'done', counts: { replayed: 0, poison: 1 } });
  return { copy, job };
}

/**
 * A dry run of replaying all of `id`: two messages to `target`, none poison or skipped, the
 * dead-letter error header and the old traceparent removed, the replay headers added; no job made.
 */
export async function expectDryRunOfTwo(service: DlqService, id: string, target: string): Promise<void> {
  const dry = await service.replay(id, { all: true, dryRun: true }, testActor('test'));
  expect(dry).toMatchObject({ dryRun: true, messages: 2, targets: { [target]: 2 }, poison: 0, skipped: 0 });
  if (!('dryRun' in dry)) throw new Error('expected a dry run');
  expect(dry.headerDiff.removed).toEqual(expect.arrayContaining(['signalbox-dlq-error-type', 'traceparent']));
  expect(Object.keys(dry.headerDiff.added)).toEqual(
    expect.arrayContaining([REPLAY_HEADERS.id, REPLAY_HEADERS.count]),
  );
  expect(await service.store.listJobs(10)).toEqual([]);
}
