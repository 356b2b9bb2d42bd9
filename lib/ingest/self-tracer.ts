import type { Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TelemetryStore } from '@/lib/store/types';
import { StoreSpanExporter } from './store-span-exporter';

/** The service name the dashboard's own spans carry (replays appear under it in flows and journeys). */
export const DASHBOARD_SERVICE = 'signalbox-dashboard';

/**
 * A tracer for the spans the dashboard itself starts, recorded into its own store. It is not
 * registered globally: a host app's or Next's own OpenTelemetry set-up stays untouched, and these
 * spans never depend on one being there. Batched, so a replay never waits on a store write.
 */
export function createSelfTracer(store: () => Promise<TelemetryStore>): {
  tracer: Tracer;
  shutdown: () => Promise<void>;
  forceFlush: () => Promise<void>;
} {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': DASHBOARD_SERVICE }),
    spanProcessors: [new BatchSpanProcessor(new StoreSpanExporter(store), { scheduledDelayMillis: 1000 })],
  });
  return {
    tracer: provider.getTracer('signalbox-dashboard'),
    shutdown: () => provider.shutdown(),
    forceFlush: () => provider.forceFlush(),
  };
}
