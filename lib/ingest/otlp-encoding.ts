import { IngestError } from './errors';
import { ExportTraceServiceResponse, RpcStatus } from './otlp-proto-schema';

/** The two OTLP/HTTP encodings (https://opentelemetry.io/docs/specs/otlp/#otlphttp). */
export type OtlpEncoding = 'protobuf' | 'json';

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
 * A successful export response in the request's encoding. Spans we could not
 * keep are reported as a partial success, as the OTLP spec asks, so the
 * exporter's logs say so instead of staying silent.
 */
export function exportResponse(
  encoding: OtlpEncoding,
  rejectedSpans: number,
  errorMessage: string,
): Response {
  const partialSuccess = rejectedSpans > 0 ? { rejectedSpans, errorMessage } : undefined;
  if (encoding === 'json') return Response.json(partialSuccess ? { partialSuccess } : {});
  const message = ExportTraceServiceResponse.create(partialSuccess ? { partialSuccess } : {});
  return new Response(Buffer.from(ExportTraceServiceResponse.encode(message).finish()), {
    headers: { 'content-type': MIME.protobuf },
  });
}

/** An error response: a google.rpc.Status in the request's encoding (JSON when unknown). */
export function errorResponse(
  encoding: OtlpEncoding | null,
  status: number,
  message: string,
  headers = {},
): Response {
  const rpcCode = status === 429 || status === 503 ? 14 /* UNAVAILABLE */ : 3; /* INVALID_ARGUMENT */
  if (encoding === 'protobuf') {
    const body = RpcStatus.encode(RpcStatus.create({ code: rpcCode, message })).finish();
    return new Response(Buffer.from(body), {
      status,
      headers: { ...headers, 'content-type': MIME.protobuf },
    });
  }
  return Response.json({ code: rpcCode, message }, { status, headers });
}
