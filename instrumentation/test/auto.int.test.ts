import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../lib/testing/brokers.js';
import { AUTO_SCENARIO, SETUP_TRACING } from './support/auto-scenario.js';
import { uniqueName } from './support/brokers.js';
import { buildPackage, runScript, SPANS_TO_JSON, writeScript, type ChildSpan } from './support/child.js';

const gate = await brokerGate('kafka', 'rabbitmq');

const cjsApp = (autoFile: string) => `'use strict';
${SETUP_TRACING}
${AUTO_SCENARIO}
${SPANS_TO_JSON}
const exporter = setupTracing({
  sdk: require('@opentelemetry/sdk-trace-node'),
  instrumentation: require('@opentelemetry/instrumentation'),
  signalbox: require(${JSON.stringify(autoFile)}),
  contrib: {
    kafkajs: require('@opentelemetry/instrumentation-kafkajs'),
    amqplib: require('@opentelemetry/instrumentation-amqplib'),
  },
  which: process.env.WHICH,
});
// Required only now, as an application's own imports would be after a --require preload.
const amqp = require('amqplib');
const callbackApi = require('amqplib/callback_api');
const { Kafka, logLevel } = require('kafkajs');
scenario({ amqp, callbackApi, Kafka, logLevel }).then(
  () => { console.log(spansToJson(exporter.getFinishedSpans())); process.exit(0); },
  (err) => { console.error(err); process.exit(1); },
);
`;

// Loaded with --import before the application: registers the ESM loader hook
// (import-in-the-middle) and the instrumentations.
const esmSetup = (autoUrl: string) => `
import { register } from 'node:module';
import * as sdk from '@opentelemetry/sdk-trace-node';
import * as instrumentation from '@opentelemetry/instrumentation';
import * as kafkajs from '@opentelemetry/instrumentation-kafkajs';
import * as amqplib from '@opentelemetry/instrumentation-amqplib';
import * as signalbox from ${JSON.stringify(autoUrl)};
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
${SETUP_TRACING}
globalThis.__exporter = setupTracing({ sdk, instrumentation, signalbox, contrib: { kafkajs, amqplib }, which: process.env.WHICH });
`;

// A plain ESM application: static imports, no knowledge of instrumentation.
const esmApp = `
import amqp from 'amqplib';
import callbackApi from 'amqplib/callback_api';
import kafkajs from 'kafkajs';
${AUTO_SCENARIO}
${SPANS_TO_JSON}
await scenario({ amqp, callbackApi, Kafka: kafkajs.Kafka, logLevel: kafkajs.logLevel });
console.log(spansToJson(globalThis.__exporter.getFinishedSpans()));
process.exit(0);
`;

const names = () => ({
  TEST_QUEUE: uniqueName('auto-q'),
  TEST_CB_QUEUE: uniqueName('auto-cbq'),
  TEST_TOPIC: uniqueName('auto-topic'),
  TEST_GROUP: uniqueName('auto-group'),
});

/** What every variant must show: one Signalbox span per operation, and context carried across. */
function expectSignalboxSpans(spans: ChildSpan[], env: ReturnType<typeof names>) {
  const ours = spans.filter((s) => s.scope === '@signalbox/instrumentation');
  const one = (name: string) => {
    const found = ours.filter((s) => s.name === name);
    expect(
      found.map((s) => s.name),
      `exactly one "${name}" span`,
    ).toEqual([name]);
    return found[0] as ChildSpan;
  };
  // amqplib promise API.
  const send = one(`send ${env.TEST_QUEUE}`);
  const processed = one(`process ${env.TEST_QUEUE}`);
  const ack = one(`ack ${env.TEST_QUEUE}`);
  expect(send.kind).toBe(SpanKind.PRODUCER);
  expect(processed.kind).toBe(SpanKind.CONSUMER);
  expect(processed.links).toEqual([{ traceId: send.traceId, spanId: send.spanId }]);
  expect(ack.kind).toBe(SpanKind.CLIENT);
  expect(ack.parentSpanId).toBe(processed.spanId);
  // amqplib callback API on a confirm channel: send, get (receive), ack.
  const cbSend = one(`send ${env.TEST_CB_QUEUE}`);
  const received = one(`receive ${env.TEST_CB_QUEUE}`);
  one(`ack ${env.TEST_CB_QUEUE}`);
  expect(received.kind).toBe(SpanKind.CLIENT);
  expect(received.links).toEqual([{ traceId: cbSend.traceId, spanId: cbSend.spanId }]);
  // kafkajs.
  const kSend = one(`send ${env.TEST_TOPIC}`);
  const kProcess = one(`process ${env.TEST_TOPIC}`);
  expect(kProcess.attributes['messaging.consumer.group.name']).toBe(env.TEST_GROUP);
  expect(kProcess.links).toEqual([{ traceId: kSend.traceId, spanId: kSend.spanId }]);
  return ours;
}

describe.skipIf(gate.skip)('auto-instrumentation in a child process (real brokers)', () => {
  let build: Awaited<ReturnType<typeof buildPackage>>;

  beforeAll(async () => {
    build = await buildPackage();
  }, 180_000);
  afterAll(() => build?.cleanup());

  it('instruments kafkajs and amqplib loaded with require (CommonJS)', async () => {
    const env = names();
    const spans = await runScript<ChildSpan[]>(
      build.dir,
      'app.cjs',
      cjsApp(build.file('auto/index.js')),
      [],
      {
        ...env,
        WHICH: 'signalbox',
      },
    );
    expectSignalboxSpans(spans, env);
  }, 120_000);

  it('instruments kafkajs and amqplib loaded with import (ESM, import-in-the-middle hook)', async () => {
    const env = names();
    const setupFile = await writeScript(build.dir, 'esm-setup.mjs', esmSetup(build.url('auto/index.js')));
    const spans = await runScript<ChildSpan[]>(build.dir, 'app.mjs', esmApp, ['--import', setupFile], {
      ...env,
      WHICH: 'signalbox',
    });
    expectSignalboxSpans(spans, env);
  }, 120_000);

  it('control: with only contrib registered, contrib does trace these clients (so the test below can fail)', async () => {
    const env = names();
    const spans = await runScript<ChildSpan[]>(
      build.dir,
      'contrib.cjs',
      cjsApp(build.file('auto/index.js')),
      [],
      {
        ...env,
        WHICH: 'contrib',
      },
    );
    expect(spans.filter((s) => s.scope === '@signalbox/instrumentation')).toEqual([]);
    const scopes = new Set(
      spans
        .filter((s) => s.name.includes(env.TEST_QUEUE) || s.name.includes(env.TEST_TOPIC))
        .map((s) => s.scope),
    );
    expect([...scopes].sort()).toEqual([
      '@opentelemetry/instrumentation-amqplib',
      '@opentelemetry/instrumentation-kafkajs',
    ]);
  }, 120_000);

  it.each([['contrib,signalbox'], ['signalbox,contrib']])(
    'with the contrib kafkajs and amqplib instrumentations also registered (%s): no double spans',
    async (which) => {
      const env = names();
      const spans = await runScript<ChildSpan[]>(
        build.dir,
        'coexist.cjs',
        cjsApp(build.file('auto/index.js')),
        [],
        {
          ...env,
          WHICH: which,
        },
      );
      expectSignalboxSpans(spans, env);
      // Contrib patched the same clients, but on the objects we instrument it is bypassed:
      // none of its spans for our destinations.
      const contribForOurs = spans.filter(
        (s) =>
          s.scope !== '@signalbox/instrumentation' &&
          [env.TEST_QUEUE, env.TEST_CB_QUEUE, env.TEST_TOPIC].some((n) => s.name.includes(n)),
      );
      expect(contribForOurs.map((s) => `${s.scope}: ${s.name}`)).toEqual([]);
    },
    120_000,
  );
});
