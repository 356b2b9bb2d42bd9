import { OtlpDecodeError } from '@/lib/model/telemetry';
import { QueueClosedError, QueueFullError } from '@/lib/store/write-queue';
import { IngestError } from './errors';

/**
 * Why an OTLP export was not stored, in terms both transports answer with:
 * the HTTP status (OTLP/HTTP) and, for the retryable ones, how long to wait.
 * OTLP/gRPC maps the same outcome to its status codes (otlp-grpc-server.ts),
 * so an exporter learns the same thing over either.
 */
export interface ExportFailure {
  status: 400 | 401 | 413 | 415 | 429 | 503;
  message: string;
  /** Set for 429 and 503: the exporter should retry after this long; nothing was stored. */
  retryAfterSeconds: number | null;
}

export function exportFailure(error: unknown): ExportFailure {
  if (error instanceof IngestError)
    return {
      status: error.status,
      message: error.message,
      retryAfterSeconds: error.status === 429 ? 1 : null,
    };
  if (error instanceof OtlpDecodeError)
    return { status: 400, message: error.message, retryAfterSeconds: null };
  // Deeply nested attribute values exhaust the stack while decoding: malformed input, not our failure.
  if (error instanceof RangeError)
    return { status: 400, message: `body is too deeply nested: ${error.message}`, retryAfterSeconds: null };
  if (error instanceof QueueFullError)
    return { status: 429, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  // Shutting down (lib/runtime.ts stopRuntime): the exporter retries, against this instance or the next.
  if (error instanceof QueueClosedError)
    return { status: 503, message: 'the dashboard is shutting down; retry later', retryAfterSeconds: 5 };
  console.error('signalbox: OTLP ingest failed', error);
  return { status: 503, message: 'the store could not accept this batch; retry later', retryAfterSeconds: 5 };
}
