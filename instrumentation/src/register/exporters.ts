import { createRequire } from 'node:module';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Where `register()` sends traces. */
export type ExporterKind = 'otlp' | 'zipkin' | 'jaeger-legacy';

export const EXPORTER_KINDS: readonly ExporterKind[] = ['otlp', 'zipkin', 'jaeger-legacy'];

// The Zipkin and Jaeger exporters are optional peer dependencies: loaded only
// when asked for, with a message that says how to install a missing one.
const require = createRequire(import.meta.url);

function load<T>(pkg: string, exporter: ExporterKind): T {
  try {
    return require(pkg) as T;
  } catch (err) {
    throw new Error(
      `@signalbox/instrumentation: exporter '${exporter}' needs the package ${pkg}, which could not be loaded ` +
        `(${err instanceof Error ? err.message : String(err)}). Install it: npm install ${pkg}`,
      { cause: err },
    );
  }
}

/**
 * The Zipkin exporter. Without `endpoint` it honours
 * OTEL_EXPORTER_ZIPKIN_ENDPOINT, else http://localhost:9411/api/v2/spans.
 */
export function zipkinExporter(endpoint: string | undefined, serviceName: string): SpanExporter {
  const { ZipkinExporter } = load<{
    ZipkinExporter: new (config: { url?: string; serviceName?: string }) => SpanExporter;
  }>('@opentelemetry/exporter-zipkin', 'zipkin');
  return new ZipkinExporter({ ...(endpoint && { url: endpoint }), serviceName });
}

/**
 * The deprecated Jaeger Thrift exporter, for collectors that predate OTLP
 * (Jaeger ingests OTLP natively since 1.35; prefer `exporter: 'otlp'`).
 * `endpoint` is the collector's HTTP URL (`http://host:14268/api/traces`) or
 * an agent as `udp://host:port` (default: the exporter's own environment
 * variables, OTEL_EXPORTER_JAEGER_*, else the agent at localhost:6832).
 */
export function jaegerLegacyExporter(endpoint: string | undefined): SpanExporter {
  const { JaegerExporter } = load<{
    JaegerExporter: new (config: { endpoint?: string; host?: string; port?: number }) => SpanExporter;
  }>('@opentelemetry/exporter-jaeger', 'jaeger-legacy');
  if (endpoint === undefined) return new JaegerExporter({});
  const url = new URL(endpoint);
  if (url.protocol === 'udp:') {
    const port = Number(url.port);
    return new JaegerExporter({ host: url.hostname, ...(port > 0 && { port }) });
  }
  return new JaegerExporter({ endpoint });
}
