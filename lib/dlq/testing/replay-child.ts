/*
 * The replay job runner as its own process, for the crash test (replay-crash.int.test.ts): it opens
 * the DuckDB file and the broker, creates the job if it does not exist yet, resumes it otherwise, and
 * runs it to the end. The test kills it with SIGKILL at random points and starts it again.
 * Arguments: <system> <dlq> <jobId> <duckdbFile> <rabbitUrl|kafkaBroker>.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { KafkaDlqAdapter } from '@/lib/brokers/kafka/dlq';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import type { DlqAdapter } from '@/lib/brokers/dlq-types';
import { DuckDbReplayStore } from '../duckdb-replay-store';
import { runReplayJob } from '../runner';
import { unmasked } from '@/lib/masking/testing';

const [system, queue, jobId, file, address] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const instance = await DuckDBInstance.create(file);
const store = await DuckDbReplayStore.create(await instance.connect());
const adapter: DlqAdapter =
  system === 'kafka'
    ? new KafkaDlqAdapter({
        brokers: [address],
        clientId: 'crash-test',
        tls: null,
        sasl: null,
        readMessages: true,
      })
    : new RabbitMqDlqAdapter({ url: address, managementUrl: null, queues: [], tls: null });
let job = await store.getJob(jobId);
if (!job) {
  job = {
    id: jobId,
    queueId: `${system}:${queue}`,
    system,
    queue,
    selection: { all: true },
    target: null,
    ratePerSecond: null,
    maxReplays: 3,
    editedBody: null,
    status: 'queued',
    cursor: null,
    actor: 'crash-test',
    createdAtMs: Date.now(),
    finishedAtMs: null,
    error: null,
    expected: 0,
  };
  await store.createJob(job);
}
process.stdout.write('started\n');
const result = await runReplayJob(job, { store, adapter, masker: unmasked, maxBatch: 200 });
await adapter.close();
process.stdout.write(`${JSON.stringify({ status: result.status, error: result.error })}\n`);
process.exit(result.status === 'done' ? 0 : 1);
