#!/usr/bin/env node
// Instrumentation overhead benchmark: for each broker client (kafkajs,
// amqplib), produce and consume N messages in one process with no
// instrumentation ("bare"), with Signalbox's wrappers, with Signalbox and
// traces sampled out (AlwaysOffSampler; metrics still recorded), and with the
// contrib instrumentation (@opentelemetry/instrumentation-kafkajs / -amqplib).
// The `sdk-floor` variants make the same spans by hand with no
// instrumentation (floor.mjs): what the SDK itself costs for them.
// Every run is a fresh process (variant.mjs); variants are interleaved within
// each repetition so background load hits them alike; the median of the
// repetitions is reported. Writes results.md next to this file.
//
// Usage: npm run build -w @signalbox/instrumentation && node bench/instrumentation/run.mjs [messages=20000] [repeats=3]
// Needs Kafka on 127.0.0.1:9092 and RabbitMQ on 127.0.0.1:5672 (npm run brokers).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { VARIANTS } from './telemetry.mjs';

const messages = Number(process.argv[2] ?? 20_000);
const repeats = Number(process.argv[3] ?? 3);
const BROKERS = ['amqplib', 'kafkajs'];
const variantScript = fileURLToPath(new URL('./variant.mjs', import.meta.url));

const runs = [];
for (let r = 1; r <= repeats; r++) {
  for (const broker of BROKERS) {
    for (const variant of VARIANTS) {
      const out = execFileSync(process.execPath, [variantScript, broker, variant, String(messages)], {
        encoding: 'utf8',
        timeout: 600_000,
      });
      const run = JSON.parse(out.trim().split('\n').at(-1));
      runs.push(run);
      const cpu = run.cpuUs / run.messages;
      console.log(
        `repeat ${r} ${broker.padEnd(8)} ${variant.padEnd(22)} ${Math.round((run.messages / run.wallMs) * 1000)} msg/s  ${cpu.toFixed(1)} µs CPU/msg`,
      );
    }
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const summary = {};
for (const broker of BROKERS) {
  summary[broker] = {};
  for (const variant of VARIANTS) {
    const mine = runs.filter((r) => r.broker === broker && r.variant === variant);
    summary[broker][variant] = {
      rate: median(mine.map((r) => (r.messages / r.wallMs) * 1000)),
      cpu: median(mine.map((r) => r.cpuUs / r.messages)),
    };
  }
}

const sh = (cmd) => {
  try {
    return execFileSync('bash', ['-c', cmd], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown';
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
const lines = [
  '# Instrumentation overhead: results',
  '',
  `Date: ${new Date().toISOString()}  `,
  `Command: \`node bench/instrumentation/run.mjs ${messages} ${repeats}\` (after \`npm run build -w @signalbox/instrumentation\`)  `,
  `Machine: ${cpuModel}, nproc ${sh('nproc')}, memory ${sh("free -h | awk '/Mem:/ {print $2}'")}, Node ${process.version}, load average at the end ${load}  `,
  `Messages per run: ${messages}; repetitions: ${repeats}; figures are medians. Producer and consumer in one process; spans to a BatchSpanProcessor with an exporter that drops them; metrics to a MeterProvider whose exporter drops them (Signalbox variants: with signalboxMetricProducer() on its reader, as register() sets it up). \`sdk-floor\`: the same spans made by hand around the bare client (bench/instrumentation/floor.mjs), no metrics, no pathway header; \`sdk-floor-sampled-out\`: the same with AlwaysOffSampler.`,
  '',
];
for (const broker of BROKERS) {
  const s = summary[broker];
  const added = (v) => s[v].cpu - s.bare.cpu;
  lines.push(
    `## ${broker}`,
    '',
    '| variant | msg/s | CPU µs/msg | added CPU µs/msg vs bare |',
    '| --- | ---: | ---: | ---: |',
  );
  for (const variant of VARIANTS) {
    lines.push(
      `| ${variant} | ${Math.round(s[variant].rate)} | ${s[variant].cpu.toFixed(1)} | ${variant === 'bare' ? '—' : added(variant).toFixed(1)} |`,
    );
  }
  const ratio = added('signalbox') / added('contrib');
  lines.push(
    '',
    `Signalbox traced adds ${added('signalbox').toFixed(1)} µs/msg, contrib adds ${added('contrib').toFixed(1)} µs/msg: ratio ${ratio.toFixed(2)} (target ≤ 0.33). Sampled out, Signalbox adds ${added('signalbox-sampled-out').toFixed(1)} µs/msg (target ≤ 3).`,
    `The SDK alone, for the same spans: ${added('sdk-floor').toFixed(1)} µs/msg traced, ${added('sdk-floor-sampled-out').toFixed(1)} µs/msg sampled out; Signalbox above that floor: ${(added('signalbox') - added('sdk-floor')).toFixed(1)} traced, ${(added('signalbox-sampled-out') - added('sdk-floor-sampled-out')).toFixed(1)} sampled out.`,
    '',
  );
}
lines.push('## Raw runs', '', '| broker | variant | msg/s | CPU µs/msg |', '| --- | --- | ---: | ---: |');
for (const run of runs) {
  lines.push(
    `| ${run.broker} | ${run.variant} | ${Math.round((run.messages / run.wallMs) * 1000)} | ${(run.cpuUs / run.messages).toFixed(1)} |`,
  );
}
writeFileSync(fileURLToPath(new URL('./results.md', import.meta.url)), `${lines.join('\n')}\n`);
console.log(lines.slice(0, 30).join('\n'));
