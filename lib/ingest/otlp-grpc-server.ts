import * as grpc from '@grpc/grpc-js';
import { checkBearer } from './auth';
import { type ExportFailure, exportFailure } from './export-failure';
import { BodyBudget } from './http-body';
import { countRequest } from './ingest-stats';
import { type OtlpSignal, exportResponse } from './otlp-encoding';
import { RetryInfo, RpcStatus } from './otlp-proto-schema';
import type { OtlpServer } from './otlp-server';
import { type ReceiverOptions, storeExport } from './receiver';

/** The two OTLP/gRPC services, by their full method paths (opentelemetry-proto collector v1). */
const METHODS: Record<OtlpSignal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
};

/**
 * One Export method whose request stays raw bytes: they go to the same
 * protobuf decoder as OTLP/HTTP's, so both transports decode, validate and
 * store identically.
 */
function exportMethod(signal: OtlpSignal): grpc.ServiceDefinition {
  const raw = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    Export: {
      path: METHODS[signal],
      requestStream: false,
      responseStream: false,
      requestSerialize: raw,
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: raw,
      responseDeserialize: (bytes: Buffer) => bytes,
    },
  };
}

const GRPC_CODE: Record<ExportFailure['status'], grpc.status> = {
  400: grpc.status.INVALID_ARGUMENT,
  415: grpc.status.INVALID_ARGUMENT,
  401: grpc.status.UNAUTHENTICATED,
  413: grpc.status.RESOURCE_EXHAUSTED,
  // Overload: RESOURCE_EXHAUSTED with RetryInfo is what the OTLP spec makes retryable.
  429: grpc.status.RESOURCE_EXHAUSTED,
  503: grpc.status.UNAVAILABLE,
};

/**
 * The gRPC status of a failed export. A retryable one carries a
 * google.rpc.RetryInfo in `grpc-status-details-bin`, the detail OTLP/gRPC
 * exporters read to know how long to back off (HTTP's Retry-After).
 */
function grpcError(failure: ExportFailure): Partial<grpc.StatusObject> {
  const code = GRPC_CODE[failure.status];
  const metadata = new grpc.Metadata();
  if (failure.retryAfterSeconds !== null) {
    const retryInfo = RetryInfo.encode(
      RetryInfo.create({ retryDelay: { seconds: failure.retryAfterSeconds, nanos: 0 } }),
    ).finish();
    const status = RpcStatus.create({
      code,
      message: failure.message,
      details: [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: retryInfo }],
    });
    metadata.set('grpc-status-details-bin', Buffer.from(RpcStatus.encode(status).finish()));
  }
  return { code, details: failure.message, metadata };
}

function exportHandler(
  signal: OtlpSignal,
  options: ReceiverOptions,
): grpc.handleUnaryCall<Buffer, Uint8Array> {
  return (call, callback) => {
    const budget = new BodyBudget(options.maxInflightBytes);
    const authorization = call.metadata.get('authorization')[0];
    (async () => {
      checkBearer(typeof authorization === 'string' ? authorization : null, options.token);
      budget.take(call.request.byteLength);
      await storeExport(signal, call.request, 'protobuf', options);
    })().then(
      () => {
        budget.release();
        countRequest(signal, 200);
        callback(null, exportResponse(signal, 'protobuf').body);
      },
      (error: unknown) => {
        budget.release();
        const failure = exportFailure(error);
        countRequest(signal, failure.status);
        callback(grpcError(failure));
      },
    );
  };
}

/**
 * The OTLP/gRPC listener (the standard port is 4317): what the OpenTelemetry
 * Collector's `otlp` exporter and the Python and Go SDKs send by default.
 * Same store, same validation and same outcomes as OTLP/HTTP: gzip is taken
 * (grpc-js inflates it), a message over SIGNALBOX_OTLP_MAX_BODY_BYTES is
 * refused with RESOURCE_EXHAUSTED, bad data with INVALID_ARGUMENT, a full
 * write queue with RESOURCE_EXHAUSTED + RetryInfo, a store that failed or is
 * closing with UNAVAILABLE + RetryInfo. Resolves null, after a warning, when
 * the port is taken: the dashboard keeps running.
 */
export function startOtlpGrpcServer(
  options: ReceiverOptions & { host: string; port: number },
): Promise<OtlpServer | null> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxBodyBytes,
    // Exporters keep their channel between batches; drop it only when idle for long.
    'grpc.max_connection_idle_ms': 5 * 60_000,
  });
  server.addService(exportMethod('traces'), { Export: exportHandler('traces', options) });
  server.addService(exportMethod('metrics'), { Export: exportHandler('metrics', options) });
  const address = options.host.includes(':')
    ? `[${options.host}]:${options.port}`
    : `${options.host}:${options.port}`;
  return new Promise((resolve) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (error) {
        console.warn(
          `signalbox: cannot listen for OTLP/gRPC on ${address} (${error.message}); ` +
            'OTLP/HTTP is still received. Set SIGNALBOX_OTLP_GRPC_PORT to another port, or to off.',
        );
        server.forceShutdown();
        resolve(null);
        return;
      }
      resolve({
        port,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            // Calls in flight are answered (their batches are then stored or refused); then it stops.
            const cut = setTimeout(() => server.forceShutdown(), graceMs);
            server.tryShutdown(() => {
              clearTimeout(cut);
              done();
            });
          }),
      });
    });
  });
}
