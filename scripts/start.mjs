#!/usr/bin/env node
// `npm start`: builds the dashboard, starts it on its embedded DuckDB store,
// and runs the demo pipeline (checkout → Kafka → billing → RabbitMQ → notifier)
// on whichever local brokers are reachable.
//
// Flags: --no-build (use the existing build), --no-demo (dashboard only).
// Env: PORT (default 3000), SIGNALBOX_HOST (default 127.0.0.1),
// SIGNALBOX_DATA_DIR (default ./data), plus the dashboard's own settings (see
// .env.example).
//
// The dashboard runs as Next's standalone server (.next/standalone/server.js,
// `output: 'standalone'` in next.config.js) through scripts/serve.mjs, which
// adds direct HTTPS: the same server the Docker image runs; `next start` would
// warn that it does not go with standalone output.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const port = Number(process.env.PORT ?? 3000);
// Loopback unless asked: there is no sign-in yet (the dashboard refuses other
// addresses without SIGNALBOX_AUTH=none, lib/config/auth.ts).
const host = process.env.SIGNALBOX_HOST || '127.0.0.1';
// Where this machine reaches the dashboard: a wildcard address listens on loopback too.
const localHost = ['0.0.0.0', '::', '[::]'].includes(host) ? '127.0.0.1' : host;
// SIGNALBOX_TLS_CERT_FILE and _KEY_FILE: the dashboard serves HTTPS itself (scripts/serve.mjs).
const tlsCert = process.env.SIGNALBOX_TLS_CERT_FILE && path.resolve(process.env.SIGNALBOX_TLS_CERT_FILE);
const dashboardUrl = `${tlsCert ? 'https' : 'http'}://${localHost.includes(':') ? `[${localHost}]` : localHost}:${port}`;
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const children = [];

const say = (message) => console.log(`[signalbox] ${message}`);

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, env, stdio: 'inherit', ...options });
  return result.status === 0;
}

function canConnect(host, portNumber, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: portNumber });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Starts a long-running child whose output is prefixed with its name. */
function startChild(name, command, commandArgs, extraEnv = {}) {
  const child = spawn(command, commandArgs, {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream, target) => {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) target.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) say(`${name} exited (${signal ?? `code ${code}`})`);
    if (name === 'dashboard' && !stopping) shutdown(code ?? 1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  // Children get some seconds to flush telemetry (the dashboard: to store what it
  // accepted, lib/runtime.ts stopRuntime); then nothing is left behind.
  setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(code);
  }, 15_000).unref();
  Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve())),
    ),
  ).then(() => process.exit(code));
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

/** Whether /api/health answers 200. Over HTTPS the certificate is not checked: this asks our own child. */
function healthy() {
  const url = `${dashboardUrl}/api/health`;
  if (!tlsCert) return fetch(url).then((response) => response.ok);
  return new Promise((resolve, reject) =>
    https
      .get(url, { rejectUnauthorized: false }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      })
      .on('error', reject),
  );
}

async function waitForDashboard(timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await healthy()) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return false;
}

const BROKERS = {
  kafka: {
    host: '127.0.0.1',
    port: 9092,
    // Kafka is not a Debian package: our script fetches it from Maven Central (needs java and mvn).
    autoStart: () => run('bash', ['scripts/brokers/kafka.sh', 'start']),
    howTo: 'npm run brokers (or: bash scripts/brokers/kafka.sh start, or docker compose up -d kafka)',
  },
  rabbitmq: {
    host: '127.0.0.1',
    port: 5672,
    autoStart: null,
    howTo: 'rabbitmq-server -detached (or: docker compose up -d rabbitmq)',
  },
};

async function brokerUp(name) {
  const broker = BROKERS[name];
  if (await canConnect(broker.host, broker.port)) return true;
  if (broker.autoStart && process.env.SIGNALBOX_DEMO_START_BROKERS !== '0') {
    say(
      `${name} is not running on ${broker.host}:${broker.port}; starting it (the first time downloads it, about a minute)`,
    );
    if (broker.autoStart() && (await canConnect(broker.host, broker.port))) return true;
  }
  say(`${name} is not reachable on ${broker.host}:${broker.port}; start it with: ${broker.howTo}`);
  return false;
}

async function startDemo() {
  const [kafka, rabbitmq] = await Promise.all([brokerUp('kafka'), brokerUp('rabbitmq')]);
  const demoEnv = {
    OTEL_EXPORTER_OTLP_ENDPOINT: dashboardUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    // Export spans every second and metrics every 5 s so the demo shows up quickly.
    OTEL_BSP_SCHEDULE_DELAY: '1000',
    OTEL_METRIC_EXPORT_INTERVAL: '5000',
    // Over HTTPS the demo trusts the dashboard's certificate, as a service of yours would be told to.
    ...(tlsCert && { NODE_EXTRA_CA_CERTS: tlsCert }),
  };
  const service = (name) =>
    startChild(name, process.execPath, [`examples/demo-pipeline/dist/${name}.js`], demoEnv);
  if (kafka) service('checkout');
  if (kafka) service('auditor');
  if (kafka && rabbitmq) service('billing');
  if (rabbitmq) service('notifier');
  if (rabbitmq) service('mailer');
  if (rabbitmq) service('ledger');
  if (!kafka || !rabbitmq) {
    say(
      'the demo runs partly: checkout needs Kafka, billing needs Kafka and RabbitMQ, notifier, mailer and ledger need RabbitMQ',
    );
  }
}

if (!args.has('--no-build')) {
  say('building the instrumentation package, the demo and the dashboard ...');
  if (!run('npm', ['run', 'build', '--workspaces', '--if-present']) || !run('npx', ['next', 'build'])) {
    say('the build failed; see the errors above');
    process.exit(1);
  }
}

/**
 * Next's standalone server serves .next/static only from its own folder
 * (Next leaves copying it to the deployment); refreshed on every start so a
 * rebuild is never served with the previous build's assets.
 */
function prepareStandalone() {
  const standalone = path.join(root, '.next/standalone');
  if (!fs.existsSync(path.join(standalone, 'server.js'))) {
    say('there is no standalone build in .next/standalone; run without --no-build (or: npm run build)');
    process.exit(1);
  }
  fs.rmSync(path.join(standalone, '.next/static'), { recursive: true, force: true });
  fs.cpSync(path.join(root, '.next/static'), path.join(standalone, '.next/static'), { recursive: true });
  if (fs.existsSync(path.join(root, 'public')))
    fs.cpSync(path.join(root, 'public'), path.join(standalone, 'public'), { recursive: true });
  // The entry that adds direct HTTPS to server.js, as the Docker image has it.
  fs.copyFileSync(path.join(root, 'scripts/serve.mjs'), path.join(standalone, 'serve.mjs'));
  return path.join(standalone, 'serve.mjs');
}

/**
 * server.js changes its working directory to .next/standalone: settings that
 * are paths are made absolute here, against this folder as before.
 */
function absolutePaths() {
  const paths = { SIGNALBOX_DATA_DIR: path.resolve(root, process.env.SIGNALBOX_DATA_DIR || 'data') };
  for (const [key, value] of Object.entries(process.env))
    if (/^SIGNALBOX_\w*_FILE$/.test(key) && value) paths[key] = path.resolve(root, value);
  return paths;
}

say(`starting the dashboard on ${host}:${port} ...`);
const demo = !args.has('--no-demo') && process.env.SIGNALBOX_DEMO !== '0';
// With the demo, the dashboard reads the demo's brokers for lag and dead
// letters unless the user configured brokers of their own.
const demoBrokers = demo
  ? {
      SIGNALBOX_KAFKA_BROKERS: process.env.SIGNALBOX_KAFKA_BROKERS ?? '127.0.0.1:9092',
      SIGNALBOX_RABBITMQ_URL: process.env.SIGNALBOX_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
      SIGNALBOX_RABBITMQ_QUEUES: process.env.SIGNALBOX_RABBITMQ_QUEUES ?? 'payments,payments.dlq',
      // The management API's bindings give the Flows page exchange types and routes
      // telemetry alone cannot show (scripts/brokers/ensure-all.sh enables the plugin).
      SIGNALBOX_RABBITMQ_MANAGEMENT_URL:
        process.env.SIGNALBOX_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672',
      // Archive mode, so the demo's DLQ page shows dead letters kept after a replay or purge.
      SIGNALBOX_DLQ_ARCHIVE_INTERVAL_SECONDS: process.env.SIGNALBOX_DLQ_ARCHIVE_INTERVAL_SECONDS ?? '30',
      // Example alert rules, so the Alerts page shows the demo's dead letters and any lag.
      SIGNALBOX_ALERT_RULES_FILE:
        process.env.SIGNALBOX_ALERT_RULES_FILE ?? path.join(root, 'examples/alert-rules.yaml'),
    }
  : {};
startChild('dashboard', process.execPath, [prepareStandalone()], {
  ...demoBrokers,
  ...absolutePaths(),
  PORT: String(port),
  // server.js binds HOSTNAME (a shell's HOSTNAME is this machine's name: never used as is).
  HOSTNAME: host,
  // lib/runtime.ts handles SIGTERM/SIGINT: it drains the store before exiting, which Next's handler would not wait for.
  NEXT_MANUAL_SIG_HANDLE: 'true',
});
if (!(await waitForDashboard())) {
  say(`the dashboard did not answer ${dashboardUrl}/api/health within 60 s; see its log above`);
  shutdown(1);
} else {
  if (demo) await startDemo();
  say(
    `ready: open ${dashboardUrl}/flows   (send OTLP to ${dashboardUrl}/v1/traces; Ctrl-C stops everything)`,
  );
}
