import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../lib/testing/brokers.js';
import { AUTO_MORE_SCENARIO, SETUP_MORE_TRACING } from './support/auto-more-scenario.js';
import { uniqueName } from './support/brokers.js';
import { buildPackage, runScript, SPANS_TO_JSON, writeScript, type ChildSpan } from './support/child.js';

const gate = await brokerGate('sqs', 'nats', 'redis', 'mqtt');

const SIGNALBOX = '@signalbox/instrumentation';

interface ChildResult {
  spans: ChildSpan[];
  stillPatched: string[];
}

const cjsApp = (dist: (file: string) => string) => `'use strict';
${SETUP_MORE_TRACING}
${AUTO_MORE_SCENARIO}
${SPANS_TO_JSON}
const { exporter, instrumentations } = setupTracing({
  sdk: require('@opentelemetry/sdk-trace-node'),
  instrumentation: require('@opentelemetry/instrumentation'),
  signalbox: require(${JSON.stringify(dist('auto/index.js'))}),
  contribAws: require('@opentelemetry/instrumentation-aws-sdk'),
  which: process.env.WHICH,
});
// Required only now, as an application's own requires would be after a --require preload.
const clients = {
  sqsSdk: require('@aws-sdk/client-sqs'),
  nats: require('@nats-io/transport-node'),
  jetstreamApi: require('@nats-io/jetstream'),
  Redis: require('ioredis'),
  mqtt: require('mqtt'),
  bullmq: require('bullmq'),
  BullMQOtel: require('bullmq-otel').BullMQOtel,
  signalbox: require(${JSON.stringify(dist('index.js'))}),
};
let patched = [];
if (process.env.WHICH === 'disabled') {
  for (const i of instrumentations) i.disable();
  patched = stillPatched(clients);
}
scenario(clients).then(
  () => { console.log(JSON.stringify({ spans: JSON.parse(spansToJson(exporter.getFinishedSpans())), stillPatched: patched })); process.exit(0); },
  (err) => { console.error(err); process.exit(1); },
);
`;

// Loaded with --import before the application: the import-in-the-middle hook, then the instrumentations.
const esmSetup = (url: (file: string) => string) => `
import { register } from 'node:module';
import * as sdk from '@opentelemetry/sdk-trace-node';
import * as instrumentation from '@opentelemetry/instrumentation';
import * as contribAws from '@opentelemetry/instrumentation-aws-sdk';
import * as signalbox from ${JSON.stringify(url('auto/index.js'))};
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
${SETUP_MORE_TRACING}
globalThis.__exporter = setupTracing({ sdk, instrumentation, signalbox, contribAws, which: process.env.WHICH }).exporter;
`;

// A plain ESM application: static imports, no knowledge of instrumentation.
const esmApp = (url: (file: string) => string) => `
import * as sqsSdk from '@aws-sdk/client-sqs';
import * as nats from '@nats-io/transport-node';
import * as jetstreamApi from '@nats-io/jetstream';
import Redis from 'ioredis';
import mqtt from 'mqtt';
import * as bullmq from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import * as signalbox from ${JSON.stringify(url('index.js'))};
${AUTO_MORE_SCENARIO}
${SPANS_TO_JSON}
await scenario({ sqsSdk, nats, jetstreamApi, Redis, mqtt, bullmq, BullMQOtel, signalbox });
console.log(JSON.stringify({ spans: JSON.parse(spansToJson(globalThis.__exporter.getFinishedSpans())), stillPatched: [] }));
process.exit(0);
`;

function names() {
  const id = randomUUID().replaceAll('-', '');
  return {
    TEST_SQS_QUEUE: uniqueName('auto-sqs').slice(0, 80),
    TEST_NATS_SUBJECT: `sbx.auto.${id}.orders`,
    TEST_JS_STREAM: `SBX_AUTO_${id}`,
    TEST_JS_SUBJECT: `sbx.autojs.${id}.orders`,
    TEST_STREAM: uniqueName('auto-stream'),
    TEST_MQTT_TOPIC: `sbx/auto/${id}/orders`,
    TEST_BULLMQ_QUEUE: uniqueName('auto-bull'),
    TEST_BULLMQ_OTEL_QUEUE: uniqueName('auto-bull-otel'),
  };
}
type Names = ReturnType<typeof names>;

const linkTo = (span: ChildSpan) => ({ traceId: span.traceId, spanId: span.spanId });

/** One Signalbox span per operation, the context carried across each broker, the semconv attributes. */
function expectTracesAcrossBrokers(spans: ChildSpan[], env: Names) {
  const ours = spans.filter((s) => s.scope === SIGNALBOX);
  const one = (name: string, kind: SpanKind, system: string, destination: string) => {
    const found = ours.filter((s) => s.name === name);
    expect(
      found.map((s) => s.name),
      `exactly one "${name}" span`,
    ).toEqual([name]);
    const span = found[0] as ChildSpan;
    expect(span.kind, name).toBe(kind);
    expect(span.attributes['messaging.system'], name).toBe(system);
    expect(span.attributes['messaging.destination.name'], name).toBe(destination);
    return span;
  };

  // SQS: receive and process linked to the send (parentMode 'link', the default).
  const q = env.TEST_SQS_QUEUE;
  const sqsSend = one(`send ${q}`, SpanKind.PRODUCER, 'aws_sqs', q);
  expect(sqsSend.attributes['messaging.operation.type']).toBe('send');
  expect(sqsSend.attributes['messaging.message.id']).toEqual(expect.any(String));
  expect(one(`receive ${q}`, SpanKind.CLIENT, 'aws_sqs', q).links).toEqual([linkTo(sqsSend)]);
  const sqsProcess = one(`process ${q}`, SpanKind.CONSUMER, 'aws_sqs', q);
  expect(sqsProcess.links).toEqual([linkTo(sqsSend)]);
  expect(sqsProcess.attributes['messaging.operation.type']).toBe('process');
  one(`delete ${q}`, SpanKind.CLIENT, 'aws_sqs', q);

  // NATS core, with headers made by the captured nats-core factory.
  const s = env.TEST_NATS_SUBJECT;
  const natsSend = one(`send ${s}`, SpanKind.PRODUCER, 'nats', s);
  expect(one(`process ${s}`, SpanKind.CONSUMER, 'nats', s).links).toEqual([linkTo(natsSend)]);
  // JetStream: built on the original connection, so no spans for its API or pull subjects.
  const j = env.TEST_JS_SUBJECT;
  const jsSend = one(`send ${j}`, SpanKind.PRODUCER, 'nats', j);
  const jsProcess = one(`process ${j}`, SpanKind.CONSUMER, 'nats', j);
  expect(jsProcess.links).toEqual([linkTo(jsSend)]);
  expect(jsProcess.attributes['messaging.consumer.group.name']).toBe('auto');
  const jsAck = one(`ack ${j}`, SpanKind.CLIENT, 'nats', j);
  expect(jsAck.parentSpanId).toBe(jsProcess.spanId);
  expect(ours.filter((x) => x.name.includes('$JS')).map((x) => x.name)).toEqual([]);

  // Redis Streams.
  const k = env.TEST_STREAM;
  const xadd = one(`send ${k}`, SpanKind.PRODUCER, 'redis', k);
  const xread = one(`receive ${k}`, SpanKind.CLIENT, 'redis', k);
  expect(xread.links).toEqual([linkTo(xadd)]);
  expect(xread.attributes['messaging.consumer.group.name']).toBe('auto-group');
  expect(one(`process ${k}`, SpanKind.CONSUMER, 'redis', k).links).toEqual([linkTo(xadd)]);
  one(`ack ${k}`, SpanKind.CLIENT, 'redis', k);

  // MQTT 5: context in user properties.
  const t = env.TEST_MQTT_TOPIC;
  const mqttSend = one(`send ${t}`, SpanKind.PRODUCER, 'mqtt', t);
  expect(one(`process ${t}`, SpanKind.CONSUMER, 'mqtt', t).links).toEqual([linkTo(mqttSend)]);

  // BullMQ.
  const b = env.TEST_BULLMQ_QUEUE;
  const add = one(`send ${b}`, SpanKind.PRODUCER, 'bullmq', b);
  expect(add.attributes['bullmq.job.name']).toBe('order');
  const job = one(`process ${b}`, SpanKind.CONSUMER, 'bullmq', b);
  expect(job.links).toEqual([linkTo(add)]);
  expect(job.attributes['messaging.message.id']).toBe(add.attributes['messaging.message.id']);

  // A queue and worker on bullmq-otel are traced by BullMQ alone: no span of ours, one trace.
  const o = env.TEST_BULLMQ_OTEL_QUEUE;
  expect(ours.filter((x) => x.name.includes(o)).map((x) => x.name)).toEqual([]);
  const otel = (kind: number) =>
    spans.filter((x) => x.scope === 'bullmq-otel-app' && x.name.includes(o) && x.kind === kind);
  const [otelAdd, ...moreAdds] = otel(SpanKind.PRODUCER);
  const [otelProcess, ...moreProcesses] = otel(SpanKind.CONSUMER);
  expect([moreAdds, moreProcesses]).toEqual([[], []]);
  expect(otelProcess?.traceId).toBe(otelAdd?.traceId);
}

/** Spans of contrib's aws-sdk instrumentation for the SQS message operations on our queue. */
const contribSqsMessageSpans = (spans: ChildSpan[]) =>
  spans.filter(
    (s) =>
      s.scope === '@opentelemetry/instrumentation-aws-sdk' &&
      ['SendMessage', 'ReceiveMessage', 'DeleteMessage'].includes(String(s.attributes['rpc.method'])),
  );

describe.skipIf(gate.skip)(
  'auto-instrumentation of SQS, NATS, Redis Streams, MQTT, BullMQ (real brokers)',
  () => {
    let build: Awaited<ReturnType<typeof buildPackage>>;
    const runCjs = (which: string, env = names()) =>
      runScript<ChildResult>(build.dir, `more-${which.replace(',', '-')}.cjs`, cjsApp(build.file), [], {
        ...env,
        WHICH: which,
      });

    beforeAll(async () => {
      build = await buildPackage();
    }, 180_000);
    afterAll(() => build?.cleanup());

    it('traces every broker for an app loaded with require (CommonJS)', async () => {
      const env = names();
      const { spans } = await runCjs('signalbox', env);
      expectTracesAcrossBrokers(spans, env);
    }, 120_000);

    it('traces every broker for an app loaded with import (ESM, import-in-the-middle hook)', async () => {
      const env = names();
      const setupFile = await writeScript(build.dir, 'more-esm-setup.mjs', esmSetup(build.url));
      const { spans } = await runScript<ChildResult>(
        build.dir,
        'more-app.mjs',
        esmApp(build.url),
        ['--import', setupFile],
        {
          ...env,
          WHICH: 'signalbox',
        },
      );
      expectTracesAcrossBrokers(spans, env);
    }, 120_000);

    it('registered twice, patches once: still exactly one span per operation', async () => {
      const env = names();
      const { spans } = await runCjs('signalbox,signalbox', env);
      expectTracesAcrossBrokers(spans, env);
    }, 120_000);

    it('disable() unpatches: no Signalbox patch left, no spans, and the app still works', async () => {
      const { spans, stillPatched } = await runCjs('disabled');
      expect(stillPatched).toEqual([]);
      expect(spans.filter((s) => s.scope === SIGNALBOX).map((s) => s.name)).toEqual([]);
      // bullmq-otel still traces its own queue: the exporter was live all along.
      expect(spans.some((s) => s.scope === 'bullmq-otel-app')).toBe(true);
    }, 120_000);

    it('control: with only contrib aws-sdk registered, contrib does trace the SQS messages (so the test below can fail)', async () => {
      const { spans } = await runCjs('contrib');
      expect(spans.filter((s) => s.scope === SIGNALBOX)).toEqual([]);
      expect(contribSqsMessageSpans(spans).map((s) => s.attributes['rpc.method'])).toEqual(
        expect.arrayContaining(['SendMessage', 'ReceiveMessage', 'DeleteMessage']),
      );
    }, 120_000);

    it.each([['contrib,signalbox'], ['signalbox,contrib']])(
      'with contrib aws-sdk also registered (%s): no double spans for SQS messages',
      async (which) => {
        const env = names();
        const { spans } = await runCjs(which, env);
        expectTracesAcrossBrokers(spans, env);
        expect(contribSqsMessageSpans(spans).map((s) => `${s.scope}: ${s.name}`)).toEqual([]);
      },
      120_000,
    );
  },
);
