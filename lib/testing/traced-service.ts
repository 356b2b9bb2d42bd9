import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type Sampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { metricsRecorder, metricsToProtobuf, toProtobuf } from './otlp-fixtures';

/**
 * One service of a test pipeline: its own tracer provider (in-memory spans) and
 * meter provider, to hand to the instrumentation as `options`, and `exportTo`,
 * which posts what it recorded to the dashboard's OTLP routes as protobuf, as an
 * SDK's exporters would.
 */
export function tracedService(name: string, opts: { sampler?: Sampler; exponential?: boolean } = {}) {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': name }),
    ...(opts.sampler && { sampler: opts.sampler }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const metrics = metricsRecorder(name, 'cumulative', opts.exponential ?? false);
  return {
    name,
    exporter,
    metrics,
    options: { tracerProvider, meterProvider: metrics.meterProvider },
    /** Posts the finished spans (when any) and the metrics; returns the HTTP statuses. */
    async exportTo(routes: { traces: OtlpRoute; metrics: OtlpRoute }): Promise<number[]> {
      const spans = exporter.getFinishedSpans();
      const statuses: number[] = [];
      if (spans.length > 0) statuses.push(await postOtlp(routes.traces, toProtobuf(spans)));
      statuses.push(await postOtlp(routes.metrics, metricsToProtobuf(await metrics.collect())));
      return statuses;
    },
  };
}

export type TracedService = ReturnType<typeof tracedService>;
type OtlpRoute = { POST: (request: Request) => Promise<Response> };

/** POSTs an OTLP protobuf body to a route handler; returns the status. */
export async function postOtlp(route: OtlpRoute, body: Uint8Array): Promise<number> {
  const response = await route.POST(
    new Request('http://localhost/v1/otlp', {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from(body),
    }),
  );
  return response.status;
}
