import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Starts the OpenTelemetry Node SDK exporting traces over OTLP/HTTP protobuf.
 * Where they go follows the standard variables (OTEL_EXPORTER_OTLP_ENDPOINT,
 * e.g. http://localhost:3000 for the Signalbox dashboard).
 */
export function startTelemetry(serviceName: string): NodeSDK {
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: new OTLPTraceExporter(),
    // The demo exports traces only; no metrics reader, no log processors.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return sdk;
}
