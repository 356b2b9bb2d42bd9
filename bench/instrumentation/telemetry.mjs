// The OpenTelemetry set-up every benchmark variant shares (variant.mjs and
// other-brokers-variant.mjs): one place, so the variants of both benchmarks
// measure against exactly the same SDK.
//
// - `bare`: nothing is set up.
// - every other variant: SDK 2.x NodeTracerProvider (AlwaysOn, or AlwaysOff
//   for the `*-sampled-out` variants) with a BatchSpanProcessor into an exporter
//   that drops spans, and a MeterProvider whose periodic reader drops
//   metrics: we measure producing telemetry, not shipping it.
// - `signalbox*`: the package is loaded (SIGNALBOX_INSTRUMENTATION may point
//   at another build of it, e.g. a private build of a working tree) and its
//   MetricProducer is added to the reader, as `register()` does.
// - `contrib`: the contrib instrumentations passed in are registered.
// - `sdk-floor`: SDK only; the benchmark makes the same spans by hand
//   (floor.mjs). `sdk-floor-sampled-out`: the same with AlwaysOffSampler.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

export const VARIANTS = [
  'bare',
  'signalbox',
  'signalbox-sampled-out',
  'contrib',
  'sdk-floor',
  'sdk-floor-sampled-out',
];

/**
 * Sets up telemetry for `variant` before any broker client is loaded.
 * `contribInstrumentations` builds the contrib instrumentations (called only
 * for the `contrib` variant). Returns `{ api, sb }`: the OTel API (undefined
 * for `bare`) and the Signalbox module (only for the signalbox variants).
 */
export async function setUpTelemetry(variant, contribInstrumentations = () => []) {
  if (variant === 'bare') return { api: undefined, sb: undefined };
  const api = require('@opentelemetry/api');
  const {
    NodeTracerProvider,
    BatchSpanProcessor,
    AlwaysOffSampler,
    AlwaysOnSampler,
  } = require('@opentelemetry/sdk-trace-node');
  const {
    MeterProvider,
    PeriodicExportingMetricReader,
    AggregationTemporality,
  } = require('@opentelemetry/sdk-metrics');
  const dropSpans = { export: (_spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve() };
  const dropMetrics = {
    export: (_metrics, done) => done({ code: 0 }),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  };
  const ours = variant === 'signalbox' || variant === 'signalbox-sampled-out';
  const sb = ours
    ? await import(process.env.SIGNALBOX_INSTRUMENTATION ?? '@signalbox/instrumentation')
    : undefined;
  const sampler = variant.endsWith('-sampled-out') ? new AlwaysOffSampler() : new AlwaysOnSampler();
  new NodeTracerProvider({ sampler, spanProcessors: [new BatchSpanProcessor(dropSpans)] }).register();
  api.metrics.setGlobalMeterProvider(
    new MeterProvider({
      readers: [
        new PeriodicExportingMetricReader({
          exporter: dropMetrics,
          exportIntervalMillis: 60_000,
          // What register() wires, and what the README asks SDK users to add.
          ...(sb?.signalboxMetricProducer && { metricProducers: [sb.signalboxMetricProducer()] }),
        }),
      ],
    }),
  );
  if (variant === 'contrib') {
    const { registerInstrumentations } = require('@opentelemetry/instrumentation');
    registerInstrumentations({ instrumentations: contribInstrumentations() });
  }
  return { api, sb };
}

const measure = () => ({ at: performance.now(), cpu: process.cpuUsage() });

/** Starts a measurement; `stop()` returns { wallMs, cpuUs } since the start (cpu = user + system). */
export function startMeasure() {
  const start = measure();
  return {
    stop() {
      const end = measure();
      return {
        wallMs: end.at - start.at,
        cpuUs: end.cpu.user - start.cpu.user + (end.cpu.system - start.cpu.system),
      };
    },
  };
}
