import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A real SDK tracer whose finished spans the test reads (not registered globally). */
export function testTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return {
    tracer: provider.getTracer('test'),
    spans: () => exporter.getFinishedSpans(),
    shutdown: () => provider.shutdown(),
  };
}

export const ORIGINAL_TRACE = '0af7651916cd43dd8448eb211c80319c';
export const ORIGINAL_TRACEPARENT = `00-${ORIGINAL_TRACE}-b7ad6b7169203331-01`;

/** A realistic processing error with its own class, as the demo and users throw them. */
export class OrderValidationError extends Error {
  override name = 'OrderValidationError';
}
