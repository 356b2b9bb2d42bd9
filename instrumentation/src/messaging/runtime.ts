import { metrics, type Meter, type MeterProvider } from '@opentelemetry/api';
import { instrumentsForProvider, type MessagingInstruments } from '../metrics/instruments.js';
import { localMetricsWired } from '../metrics/producer-state.js';
import {
  INSTRUMENTATION_NAME,
  resolveOptions,
  type MessagingInstrumentationOptions,
  type ResolvedOptions,
} from '../options.js';
import { VERSION } from '../version.js';
import { RouteCache } from './routes.js';
import { semconvStability, type SemconvStability } from './stability.js';

/**
 * Everything the messaging operations need, resolved once per wrapped client
 * (see `resolveRuntime`). Broker adapters pass it to beginSend, beginProcess,
 * beginReceive and recordSettle unchanged.
 */
export interface MessagingRuntime extends ResolvedOptions {
  /** The Meter (global or from options), looked up per use so a late SDK start is seen. */
  readonly meter: Meter;
  /**
   * Where metrics are recorded: the local aggregation when a Signalbox
   * MetricProducer is registered on the global provider, else the instruments
   * of {@link MessagingRuntime.meter} (created once per Meter).
   */
  readonly instruments: MessagingInstruments;
  /** Span names, attributes and metric series per route, built once. */
  readonly routes: RouteCache;
  readonly semconv: SemconvStability;
  /** `service.name` as used in the pathway hash. */
  readonly serviceName: string;
  /** Emit create spans per message for batch sends. */
  readonly batchCreateSpans: boolean;
  /** Write/read the pathway header and record its metrics. */
  readonly pathway: boolean;
  /** Wall clock in Unix ms (pathway timestamps); replaceable in tests. */
  readonly now: () => number;
}

const DEFAULT_SERVICE_NAME = 'unknown_service:node';

function defaultServiceName(): string {
  const fromEnv = typeof process === 'undefined' ? undefined : process.env.OTEL_SERVICE_NAME?.trim();
  return fromEnv || DEFAULT_SERVICE_NAME;
}

/**
 * Resolves wrapper options into a {@link MessagingRuntime}. Call it once when
 * a client is wrapped, never per message.
 */
export function resolveRuntime(options: MessagingInstrumentationOptions = {}): MessagingRuntime {
  const resolved = resolveOptions(options);
  // The metrics API has no proxy provider (unlike traces): a wrapper created
  // before the SDK registers its MeterProvider would record into the no-op
  // meter forever. So the provider (option, else global) is re-read on each
  // use; that is a property read, and the Meter and its instruments stay
  // cached until the provider changes (auto-instrumentation's
  // setMeterProvider swaps it through a getter on the options).
  let provider: MeterProvider | undefined;
  let meter: Meter | undefined;
  const currentMeter = (): Meter => {
    const current = options.meterProvider ?? metrics.getMeterProvider();
    if (current !== provider || meter === undefined) {
      provider = current;
      meter = current.getMeter(INSTRUMENTATION_NAME, VERSION);
    }
    return meter;
  };
  // Read several times per message: cached until the provider or the
  // producer registration changes.
  let instrumentsProvider: MeterProvider | undefined;
  let instrumentsWired = false;
  let instruments: MessagingInstruments | undefined;
  const currentInstruments = (): MessagingInstruments => {
    const current = options.meterProvider ?? metrics.getMeterProvider();
    const wired = localMetricsWired();
    if (instruments === undefined || current !== instrumentsProvider || wired !== instrumentsWired) {
      instrumentsProvider = current;
      instrumentsWired = wired;
      instruments = instrumentsForProvider(current);
    }
    return instruments;
  };
  const semconv = semconvStability();
  return {
    ...resolved,
    get meter() {
      return currentMeter();
    },
    get instruments() {
      return currentInstruments();
    },
    routes: new RouteCache(),
    semconv,
    serviceName: options.serviceName?.trim() || defaultServiceName(),
    batchCreateSpans: options.batchCreateSpans ?? true,
    pathway: options.pathway ?? true,
    now: Date.now,
  };
}
