import { diag, trace, type MeterProvider, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { VERSION } from './version.js';

/**
 * How a consumer's "process" span relates to the producer's creation context
 * carried in the message headers.
 *
 * - `'link'` (default): the process span is a child of whatever context is
 *   active when the message is handed to the handler, and links to the
 *   producer's context. This is the spec's default: it is the only structure
 *   that also works for batches and for processing inside another span.
 * - `'parent'`: the process span is a child of the producer's context (one
 *   trace end to end), with no link.
 * - `'parent+ambient-link'`: child of the producer's context, plus a link to
 *   the ambient span when one is active, so that context is not lost.
 *
 * When a message carries no valid producer context, every mode falls back to
 * the ambient context as parent.
 */
export type ParentMode = 'link' | 'parent' | 'parent+ambient-link';

/** Options shared by every broker wrapper. */
export interface MessagingInstrumentationOptions {
  /** Tracer provider to use; defaults to the globally registered one. */
  tracerProvider?: TracerProvider;
  /**
   * Meter provider to use; defaults to the globally registered one (looked up
   * at each operation, so an SDK started after wrapping is still picked up).
   */
  meterProvider?: MeterProvider;
  /** How process spans relate to the producer's context. Defaults to `'link'`. */
  parentMode?: ParentMode;
  /**
   * The broker address to report as `server.address` / `server.port`. Broker
   * clients do not expose which node served a call, so it is only set when
   * you pass it.
   */
  server?: { address: string; port?: number };
  /**
   * This service's name, used in the pathway hash (PATHWAY.md). Defaults to
   * `OTEL_SERVICE_NAME`, else `unknown_service:node` as the OTel resource does.
   * Set it when your SDK names the service in code rather than in the environment.
   */
  serviceName?: string;
  /**
   * Batch sends (more than one message per call) get a `create` span per
   * message, whose context goes into that message, plus one CLIENT `send`
   * span linking to them, as the conventions ask. `false` skips the create
   * spans: one PRODUCER `send` span whose context goes into every message.
   * Defaults to `true`.
   */
  batchCreateSpans?: boolean;
  /**
   * Write and read the `signalbox-pathway` header and record the latency
   * metrics built on it (PATHWAY.md). Defaults to `true`.
   */
  pathway?: boolean;
}

export const DEFAULT_PARENT_MODE: ParentMode = 'link';

/** Name under which all our spans are reported (the instrumentation scope). */
export const INSTRUMENTATION_NAME = '@signalbox/instrumentation';

/** Options with defaults applied, as the broker wrappers consume them. */
export interface ResolvedOptions {
  tracer: Tracer;
  parentMode: ParentMode;
  server: { address: string; port?: number } | undefined;
}

const PARENT_MODES: readonly ParentMode[] = ['link', 'parent', 'parent+ambient-link'];

export function resolveOptions(options: MessagingInstrumentationOptions = {}): ResolvedOptions {
  // Falling back to the global provider at wrap time is safe even if the SDK is
  // registered later: the global provider is a proxy that delegates once set.
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  // A typo from plain-JS callers must not silently change the trace shape in
  // an unexpected way; the documented default is the safe choice.
  let parentMode = options.parentMode ?? DEFAULT_PARENT_MODE;
  if (!PARENT_MODES.includes(parentMode)) {
    diag.warn(
      `${INSTRUMENTATION_NAME}: unknown parentMode ${JSON.stringify(parentMode)}; using '${DEFAULT_PARENT_MODE}'. Valid values: ${PARENT_MODES.join(', ')}.`,
    );
    parentMode = DEFAULT_PARENT_MODE;
  }
  return {
    tracer: provider.getTracer(INSTRUMENTATION_NAME, VERSION),
    parentMode,
    server: options.server,
  };
}
