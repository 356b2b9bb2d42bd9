import type { TelemetryStore } from '@/lib/store/types';
import { checkBearer } from './auth';
import { exportFailure } from './export-failure';
import { BodyBudget, decodeContentEncoding, readBody } from './http-body';
import { decodeMetrics } from './ingest-metrics';
import { countRequest, ingestStats } from './ingest-stats';
import { decodeTraces, messagingSpansOf } from './ingest-traces';
import {
  type OtlpEncoding,
  type OtlpHttpResponse,
  type OtlpSignal,
  encodingOf,
  errorResponse,
  exportResponse,
} from './otlp-encoding';

/** An OTLP/HTTP request, independent of the server that received it. */
export interface OtlpHttpRequest {
  contentType: string | null;
  contentEncoding: string | null;
  contentLength: string | null;
  authorization: string | null;
  body: AsyncIterable<Uint8Array> | null;
}

export interface ReceiverOptions {
  store: () => Promise<TelemetryStore>;
  maxBodyBytes: number;
  maxInflightBytes: number;
  token: string | null;
}

/**
 * One OTLP/HTTP export, for traces or metrics, wherever it arrived (the
 * dashboard's /v1/* routes or the :4318 listener): authorize, check the
 * content type, read (bounded) and decompress (bounded), decode and validate
 * the whole body, and answer 2xx only once what Signalbox keeps is durable.
 * Any malformed part rejects the whole request before anything is written.
 *
 * Status codes follow the OTLP/HTTP spec: 400 malformed (not retryable),
 * 401 bad token, 413 too large, 415 wrong type, 429 + Retry-After when the
 * write queue or the in-flight byte budget is full, 503 + Retry-After when the
 * store failed: the last two tell exporters to retry, so nothing is lost.
 */
export async function receiveOtlp(
  signal: OtlpSignal,
  request: OtlpHttpRequest,
  options: ReceiverOptions,
): Promise<OtlpHttpResponse> {
  let encoding: OtlpEncoding | null = null;
  const budget = new BodyBudget(options.maxInflightBytes);
  let response: OtlpHttpResponse;
  try {
    checkBearer(request.authorization, options.token);
    encoding = encodingOf(request.contentType);
    const raw = await readBody(request.body, request.contentLength, options.maxBodyBytes, budget);
    const body = await decodeContentEncoding(raw, request.contentEncoding, options.maxBodyBytes, budget);
    await storeExport(signal, body, encoding, options);
    response = exportResponse(signal, encoding);
  } catch (error) {
    response = failure(error, encoding);
  } finally {
    budget.release();
  }
  countRequest(signal, response.status);
  return response;
}

/** Decodes one export body and stores what Signalbox keeps; resolves once that is durable. */
export async function storeExport(
  signal: OtlpSignal,
  body: Uint8Array,
  encoding: OtlpEncoding,
  options: ReceiverOptions,
): Promise<void> {
  const stats = ingestStats();
  if (signal === 'traces') {
    const decoded = decodeTraces(body, encoding);
    const spans = messagingSpansOf(decoded);
    stats.spansReceived += decoded.length;
    await (await options.store()).appendSpans(spans);
    stats.spansStored += spans.length;
  } else {
    const points = decodeMetrics(body, encoding);
    stats.pointsReceived += points.length;
    const { kept } = await (await options.store()).appendMetrics(points);
    stats.pointsStored += kept;
  }
}

function failure(error: unknown, encoding: OtlpEncoding | null): OtlpHttpResponse {
  const { status, message, retryAfterSeconds } = exportFailure(error);
  const headers: Record<string, string> =
    retryAfterSeconds !== null
      ? { 'retry-after': String(retryAfterSeconds) }
      : status === 401
        ? { 'www-authenticate': 'Bearer' }
        : {};
  return errorResponse(encoding, status, message, headers);
}
