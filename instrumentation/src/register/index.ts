/*
 * Entry point `@signalbox/instrumentation/register`: one call that starts the
 * OpenTelemetry Node SDK (traces and metrics) with the Signalbox
 * auto-instrumentations. Needs @opentelemetry/sdk-node and
 * @opentelemetry/instrumentation (optional peer dependencies of the package).
 */
import { diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { signalboxInstrumentations } from '../auto/index.js';
import { guarded } from '../spans.js';
import type { SignalboxInstrumentationConfig } from '../auto/base.js';
import { signalboxMetricProducer } from '../metrics/producer.js';
import { EXPORTER_KINDS, jaegerLegacyExporter, zipkinExporter, type ExporterKind } from './exporters.js';

export type { ExporterKind } from './exporters.js';

/** Options for {@link register}. Standard OTEL_* environment variables take precedence. */
export interface RegisterOptions extends Omit<SignalboxInstrumentationConfig, 'enabled' | 'serviceName'> {
  /** `service.name`; OTEL_SERVICE_NAME wins when set. */
  serviceName?: string;
  /**
   * Where traces go (and, with `otlp`, metrics): for `otlp` the base URL
   * (default `http://localhost:4318`, the OTLP/HTTP default, i.e. the
   * dashboard's ingest when it runs locally); for `zipkin` the spans URL; for
   * `jaeger-legacy` a collector URL or `udp://host:port` agent.
   * OTEL_EXPORTER_OTLP_ENDPOINT (and the per-signal variants) win when set.
   */
  endpoint?: string;
  /** Trace exporter. Default `otlp` (OTLP/HTTP protobuf unless OTEL_EXPORTER_OTLP_PROTOCOL says otherwise). */
  exporter?: ExporterKind;
  /** More instrumentations to register alongside ours (HTTP, databases, ...). */
  instrumentations?: Instrumentation[];
}

/** What {@link register} started. */
export interface Registration {
  sdk: NodeSDK;
  /** Flushes and stops tracing and metrics; call it before the process exits. */
  shutdown(): Promise<void>;
}

function effectiveServiceName(option: string | undefined): string {
  return process.env.OTEL_SERVICE_NAME?.trim() || option?.trim() || 'unknown_service:node';
}

/**
 * Adds the Signalbox MetricProducer to the metric readers the NodeSDK built
 * from OTEL_METRICS_EXPORTER, so this package's metrics are aggregated
 * in-process (see ../metrics/producer.ts). NodeSDK has no option for
 * producers on the readers it builds itself, so this reaches its reader list
 * (`_meterProviderConfig.readers`, each reader's `_metricProducers`); when
 * that shape is not there (another SDK version), nothing is attached and the
 * metrics go through the API Meter as before: slower, never lost.
 */
function attachMetricProducer(sdk: NodeSDK): void {
  guarded('attach the Signalbox metric producer', () => {
    const config = (sdk as unknown as { _meterProviderConfig?: { readers?: unknown[] } })
      ._meterProviderConfig;
    const readers = (config?.readers ?? []) as { _metricProducers?: unknown }[];
    if (readers.length === 0 || !readers.every((reader) => Array.isArray(reader._metricProducers))) return;
    const producer = signalboxMetricProducer();
    for (const reader of readers) (reader._metricProducers as unknown[]).push(producer);
  });
}

/**
 * Starts the OpenTelemetry Node SDK with the Signalbox auto-instrumentations
 * for kafkajs and amqplib, OTLP metrics, and the chosen trace exporter. Call
 * it once, before the broker clients are imported (or load it with
 * `node --import`), so the auto-instrumentations can patch them. Every
 * standard OTEL_* variable applies (OTEL_TRACES_SAMPLER, OTEL_PROPAGATORS,
 * OTEL_RESOURCE_ATTRIBUTES, OTEL_METRIC_EXPORT_INTERVAL, OTEL_SDK_DISABLED, ...).
 */
export function register(options: RegisterOptions = {}): Registration {
  const {
    serviceName: serviceOption,
    endpoint,
    exporter = 'otlp',
    instrumentations = [],
    ...config
  } = options;
  if (!EXPORTER_KINDS.includes(exporter)) {
    throw new Error(
      `@signalbox/instrumentation register(): unknown exporter ${JSON.stringify(exporter)}; use one of ${EXPORTER_KINDS.join(', ')}.`,
    );
  }
  const serviceName = effectiveServiceName(serviceOption);

  // OTLP endpoints: the NodeSDK builds its OTLP exporters from the
  // environment, which is what makes every OTEL_EXPORTER_OTLP_* variable
  // (protocol, headers, per-signal endpoints, compression, timeouts) work.
  // The `endpoint` option is therefore applied as the default value of that
  // variable, never over one the operator set.
  if (endpoint !== undefined && exporter === 'otlp' && !process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
  }
  const traceExporter =
    exporter === 'zipkin'
      ? zipkinExporter(endpoint, serviceName)
      : exporter === 'jaeger-legacy'
        ? jaegerLegacyExporter(endpoint)
        : undefined;
  if (exporter === 'jaeger-legacy') {
    diag.warn(
      '@signalbox/instrumentation: the Jaeger Thrift exporter is deprecated upstream; Jaeger ≥ 1.35 ingests OTLP, use exporter: "otlp".',
    );
  }

  const sdk = new NodeSDK({
    serviceName,
    ...(traceExporter && { traceExporter }),
    instrumentations: [...signalboxInstrumentations({ ...config, serviceName }), ...instrumentations],
  });
  attachMetricProducer(sdk);
  sdk.start();
  return { sdk, shutdown: () => sdk.shutdown() };
}
