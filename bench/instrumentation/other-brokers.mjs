#!/usr/bin/env node
// Instrumentation overhead for SQS, NATS core, JetStream, Redis Streams, MQTT
// and BullMQ: the same method as run.mjs (fresh process per run, variants
// interleaved per repetition, medians reported), with the message count
// scaled per broker to what it moves in a few seconds here. Contrib has an
// instrumentation only for the AWS SDK, so only SQS has a `contrib` variant.
// Writes results-other-brokers.md next to this file.
//
// Usage: npm run build -w @signalbox/instrumentation && node bench/instrumentation/other-brokers.mjs [repeats=3] [scale=1]
// Or, to benchmark a working tree without rebuilding the shared dist/:
//   npx tsc -p instrumentation/tsconfig.build.json --outDir node_modules/.cache/sbx-bench-dist
//   echo '{"type":"module"}' > node_modules/.cache/sbx-bench-dist/package.json
//   SIGNALBOX_INSTRUMENTATION=$PWD/node_modules/.cache/sbx-bench-dist/index.js node bench/instrumentation/other-brokers.mjs
// Needs ElasticMQ 9324, NATS 4222 (JetStream), Redis 6379, Mosquitto 1883 (npm run brokers).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const repeats = Number(process.argv[2] ?? 3);
const scale = Number(process.argv[3] ?? 1);
const BROKERS = { sqs: 2000, nats: 20000, jetstream: 3000, redis: 10000, mqtt: 5000, bullmq: 3000 };
const variantsOf = (broker) =>
  broker === 'sqs'
    ? ['bare', 'signalbox', 'signalbox-sampled-out', 'contrib']
    : ['bare', 'signalbox', 'signalbox-sampled-out'];
const script = fileURLToPath(new URL('./other-brokers-variant.mjs', import.meta.url));

const runs = [];
for (let r = 1; r <= repeats; r++) {
  for (const [broker, count] of Object.entries(BROKERS)) {
    const messages = Math.max(100, Math.round(count * scale));
    for (const variant of variantsOf(broker)) {
      const out = execFileSync(process.execPath, [script, broker, variant, String(messages)], {
        encoding: 'utf8',
        timeout: 600_000,
      });
      const run = JSON.parse(out.trim().split('\n').at(-1));
      runs.push(run);
      console.log(
        `repeat ${r} ${broker.padEnd(9)} ${variant.padEnd(22)} ${Math.round((run.messages / run.wallMs) * 1000)} msg/s  ${(run.cpuUs / run.messages).toFixed(1)} µs CPU/msg`,
      );
    }
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const sh = (cmd) => {
  try {
    return execFileSync('bash', ['-c', cmd], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown';
const lines = [
  '# Instrumentation overhead, other brokers: results',
  '',
  `Date: ${new Date().toISOString()}  `,
  process.env.SIGNALBOX_INSTRUMENTATION
    ? `Command: \`SIGNALBOX_INSTRUMENTATION=${process.env.SIGNALBOX_INSTRUMENTATION} node bench/instrumentation/other-brokers.mjs ${repeats} ${scale}\` (that path: a build of the package, see other-brokers.mjs)  `
    : `Command: \`node bench/instrumentation/other-brokers.mjs ${repeats} ${scale}\` (after \`npm run build -w @signalbox/instrumentation\`)  `,
  `Machine: ${cpuModel}, nproc ${sh('nproc')}, memory ${sh("free -h | awk '/Mem:/ {print $2}'")}, Node ${process.version}, load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}  `,
  `Repetitions: ${repeats}; figures are medians. Producer and consumer in one process; spans to a BatchSpanProcessor with an exporter that drops them; metrics to a MeterProvider whose exporter drops them. The machine is shared with other work: compare variants of one run, not runs of different days.`,
  '',
  'Workloads: SQS SendMessageBatch ×10 → 2 consumers ReceiveMessage ×10 + processSqsMessage + DeleteMessageBatch; NATS publish → callback subscription; JetStream publish (100 in flight) → consume({ callback }) + ack; Redis XADD (100 in flight) → XREADGROUP COUNT 100 + processRedisStreamEntry + XACK; MQTT 5 publishAsync QoS 1 (100 in flight) → message listener; BullMQ addBulk ×100 → Worker (concurrency 50) with the wrapped processor.',
  '',
  '| broker | messages | variant | msg/s | CPU µs/msg | added CPU µs/msg vs bare |',
  '| --- | ---: | --- | ---: | ---: | ---: |',
];
for (const broker of Object.keys(BROKERS)) {
  const rows = variantsOf(broker).map((variant) => {
    const mine = runs.filter((r) => r.broker === broker && r.variant === variant);
    return {
      variant,
      messages: mine[0]?.messages ?? 0,
      rate: median(mine.map((r) => (r.messages / r.wallMs) * 1000)),
      cpu: median(mine.map((r) => r.cpuUs / r.messages)),
    };
  });
  const bare = rows.find((row) => row.variant === 'bare')?.cpu ?? 0;
  for (const row of rows) {
    const added = row.variant === 'bare' ? '—' : (row.cpu - bare).toFixed(1);
    lines.push(
      `| ${broker} | ${row.messages} | ${row.variant} | ${Math.round(row.rate)} | ${row.cpu.toFixed(1)} | ${added} |`,
    );
  }
}
lines.push('', '## Raw runs', '', '| broker | variant | msg/s | CPU µs/msg |', '| --- | --- | ---: | ---: |');
for (const run of runs) {
  lines.push(
    `| ${run.broker} | ${run.variant} | ${Math.round((run.messages / run.wallMs) * 1000)} | ${(run.cpuUs / run.messages).toFixed(1)} |`,
  );
}
writeFileSync(fileURLToPath(new URL('./results-other-brokers.md', import.meta.url)), `${lines.join('\n')}\n`);
console.log('wrote bench/instrumentation/results-other-brokers.md');
