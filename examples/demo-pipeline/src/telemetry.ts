import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK, metrics } from '@opentelemetry/sdk-node';

/**
 * Starts the OpenTelemetry Node SDK exporting traces and metrics over
 * OTLP/HTTP protobuf. Where they go follows the standard variables
 * (OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://localhost:3000 for the Signalbox
 * dashboard). Metrics carry the pathway latencies, which stay exact however
 * many traces a sampler drops.
 */
export function startTelemetry(serviceName: string): NodeSDK {
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: new OTLPTraceExporter(),
    metricReaders: [
      new metrics.PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter(),
        exportIntervalMillis: Number(process.env.OTEL_METRIC_EXPORT_INTERVAL ?? 10_000),
      }),
    ],
    logRecordProcessors: [],
  });
  sdk.start();
  return sdk;
}
