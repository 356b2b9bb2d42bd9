import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';

export const ORIGINAL_TRACE = '0af7651916cd43dd8448eb211c80319c';
export const ORIGINAL_TRACEPARENT = `00-${ORIGINAL_TRACE}-b7ad6b7169203331-01`;

/** A real SDK tracer whose finished spans the test reads (not registered globally). */
export function testTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const spans = () => exporter.getFinishedSpans();
  return {
    tracer: provider.getTracer('test'),
    spans,
    /**
     * Checks a replayed copy's trace context: a trace of its own (not the original's), started by the
     * replay's `send <target>` span, which links to the original trace (ORIGINAL_TRACE) and nothing else.
     */
    expectReplayLinkedToOriginal: (traceparent: unknown, target: string) => {
      const traceId = String(traceparent).split('-')[1];
      expect(traceId).not.toBe(ORIGINAL_TRACE);
      const send = spans().find((s) => s.name === `send ${target}` && s.spanContext().traceId === traceId);
      expect(send?.links.map((l) => l.context.traceId)).toEqual([ORIGINAL_TRACE]);
    },
    shutdown: () => provider.shutdown(),
  };
}

/** A realistic processing error with its own class, as the demo and users throw them. */
export class OrderValidationError extends Error {
  override name = 'OrderValidationError';
}
