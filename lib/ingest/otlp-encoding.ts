import { IngestError } from './errors';
import { ExportMetricsServiceResponse, ExportTraceServiceResponse, RpcStatus } from './otlp-proto-schema';

/** The two OTLP/HTTP encodings (https://opentelemetry.io/docs/specs/otlp/#otlphttp). */
export type OtlpEncoding = 'protobuf' | 'json';
export type OtlpSignal = 'traces' | 'metrics';

/** A transport-neutral HTTP response (the Next routes and the :4318 listener both send it). */
export interface OtlpHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export function encodingOf(contentType: string | null): OtlpEncoding {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'application/x-protobuf' || mime === 'application/protobuf') return 'protobuf';
  if (mime === 'application/json') return 'json';
  throw new IngestError(
    415,
    `unsupported Content-Type "${mime || '(none)'}"; OTLP/HTTP takes application/x-protobuf or application/json`,
  );
}

const MIME: Record<OtlpEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/**
 * A successful export response in the request's encoding. Everything decoded
 * is accepted (what Signalbox does not keep is dropped by design, not
 * rejected), so there is never a partial success to report.
 */
export function exportResponse(signal: OtlpSignal, encoding: OtlpEncoding): OtlpHttpResponse {
  if (encoding === 'json') {
    return { status: 200, headers: { 'content-type': MIME.json }, body: Buffer.from('{}') };
  }
  const type = signal === 'traces' ? ExportTraceServiceResponse : ExportMetricsServiceResponse;
  return {
    status: 200,
    headers: { 'content-type': MIME.protobuf },
    body: type.encode(type.create({})).finish(),
  };
}

/** An error response: a google.rpc.Status in the request's encoding (JSON when unknown). */
export function errorResponse(
  encoding: OtlpEncoding | null,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): OtlpHttpResponse {
  const rpcCode =
    status === 429 || status === 503
      ? 14 /* UNAVAILABLE */
      : status === 401
        ? 16 /* UNAUTHENTICATED */
        : 3; /* INVALID_ARGUMENT */
  if (encoding === 'protobuf') {
    return {
      status,
      headers: { ...headers, 'content-type': MIME.protobuf },
      body: RpcStatus.encode(RpcStatus.create({ code: rpcCode, message })).finish(),
    };
  }
  return {
    status,
    headers: { ...headers, 'content-type': MIME.json },
    body: Buffer.from(JSON.stringify({ code: rpcCode, message })),
  };
}

/** Adapts a transport-neutral response to the web Response the Next routes return. */
export function toWebResponse(response: OtlpHttpResponse): Response {
  return new Response(Buffer.from(response.body), { status: response.status, headers: response.headers });
}
