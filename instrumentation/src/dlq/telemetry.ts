import { context, metrics, SpanKind, trace, type Attributes, type Span } from '@opentelemetry/api';
import { instrumentsForProvider } from '../metrics/instruments.js';
import { metricSeries } from '../metrics/series.js';
import { INSTRUMENTATION_NAME } from '../options.js';
import { ATTR_ERROR_TYPE, ATTR_MESSAGING_DESTINATION_NAME, ATTR_MESSAGING_SYSTEM } from '../semconv.js';
import { guarded, recordError, startMessagingSpan } from '../spans.js';
import { VERSION } from '../version.js';
import type { DeadLetterRecord } from './headers.js';
import type { DeadLetterOptions } from './prepare.js';

/*
 * Every deadLetter helper runs its broker write inside a short CLIENT span
 * `dead_letter {original destination}` (operation type `settle`: dead-lettering
 * is how the original message is finally disposed of, the name Azure Service
 * Bus uses in the messaging conventions), and counts
 * `signalbox.messaging.dead_letters` once the broker accepted the copy
 * (PATHWAY.md). A client wrapped by our instrumentation adds its own `send`
 * span as a child.
 */

export const ATTR_DLQ_DESTINATION = 'signalbox.dlq.destination';
export const ATTR_DLQ_REASON = 'signalbox.dlq.reason';
export const ATTR_DLQ_ATTEMPTS = 'signalbox.dlq.attempts';
export const ATTR_DLQ_ID = 'signalbox.dlq.id';

function startSpan(options: DeadLetterOptions, record: DeadLetterRecord, dlq: string): Span | undefined {
  return guarded(
    'start dead_letter span',
    () => {
      const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
        INSTRUMENTATION_NAME,
        VERSION,
      );
      const span = startMessagingSpan(
        tracer,
        { system: record.system, destination: record.destination, operationName: 'dead_letter' },
        'settle',
        SpanKind.CLIENT,
        context.active(),
        {
          attributes: {
            [ATTR_ERROR_TYPE]: record.errorType ?? '_OTHER',
            [ATTR_DLQ_DESTINATION]: dlq,
            [ATTR_DLQ_REASON]: record.reason,
            [ATTR_DLQ_ATTEMPTS]: record.attempts,
            [ATTR_DLQ_ID]: record.id,
          },
        },
      );
      // The failure itself, so a trace shows why the message was dead-lettered.
      if (options.error instanceof Error) span.recordException(options.error);
      return span;
    },
    undefined,
  );
}

function countDeadLetter(options: DeadLetterOptions, record: DeadLetterRecord): void {
  guarded('count dead letter', () => {
    const attributes: Attributes = {
      [ATTR_MESSAGING_SYSTEM]: record.system,
      [ATTR_MESSAGING_DESTINATION_NAME]: record.destination,
      [ATTR_ERROR_TYPE]: record.errorType ?? '_OTHER',
    };
    // Looked up per call: the global provider may be registered after the first dead letter.
    instrumentsForProvider(options.meterProvider ?? metrics.getMeterProvider()).deadLetters.add(
      1,
      metricSeries(attributes),
    );
  });
}

/**
 * Runs `write` (the broker call that stores the dead-letter copy) inside the
 * `dead_letter` span and counts it on success. Broker errors are recorded and
 * rethrown unchanged: the caller must not settle the original then.
 */
export async function withDeadLetterTelemetry<T>(
  options: DeadLetterOptions,
  record: DeadLetterRecord,
  dlq: string,
  write: () => Promise<T>,
): Promise<T> {
  const span = startSpan(options, record, dlq);
  const ctx = span ? trace.setSpan(context.active(), span) : context.active();
  let result: T;
  try {
    result = await context.with(ctx, write);
  } catch (err) {
    if (span) {
      recordError(span, err);
      guarded('end dead_letter span', () => span.end());
    }
    throw err;
  }
  countDeadLetter(options, record);
  if (span) guarded('end dead_letter span', () => span.end());
  return result;
}
