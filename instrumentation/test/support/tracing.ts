import { context, propagation, trace, type SpanContext } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * A real SDK set up the way applications do it: NodeTracerProvider.register()
 * installs the AsyncLocalStorage context manager and the W3C trace-context +
 * baggage propagator globally, so the code under test runs against the same
 * globals it meets in production. Vitest isolates test files, so each file
 * gets its own globals.
 */
export function setupTracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  return {
    exporter,
    provider,
    tracer: provider.getTracer('test'),
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

export const sameSpan = (a: SpanContext | undefined, b: SpanContext | undefined) =>
  a !== undefined && b !== undefined && a.traceId === b.traceId && a.spanId === b.spanId;

/** Polls until `find` returns something, for spans that end asynchronously. */
export async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
