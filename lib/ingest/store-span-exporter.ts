import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TelemetryStore } from '@/lib/store/types';
import { messagingSpansOf } from './ingest-traces';
import { decodeTracesProtobuf } from './otlp-proto';

/**
 * Exports the dashboard's own spans (a DLQ replay's `send` span) into its own store, through the
 * same OTLP protobuf decoding every service's telemetry takes: the replay then shows in journeys
 * and flows like any producer, linked to the failed message's trace, without a network hop to
 * itself. The SDK serializes with its own OTLP serializer, so nothing here re-implements the format.
 */
export class StoreSpanExporter implements SpanExporter {
  private pending = new Set<Promise<void>>();

  constructor(private readonly store: () => Promise<TelemetryStore>) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const done = this.write(spans).then(
      () => resultCallback({ code: ExportResultCode.SUCCESS }),
      (error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  private async write(spans: ReadableSpan[]): Promise<void> {
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    if (!body) throw new Error('the OTLP serializer returned nothing');
    const rows = messagingSpansOf(decodeTracesProtobuf(body));
    if (rows.length > 0) await (await this.store()).appendSpans(rows);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pending);
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }
}
