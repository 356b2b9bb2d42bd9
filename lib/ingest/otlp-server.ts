import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OtlpSignal } from './otlp-encoding';
import { type ReceiverOptions, receiveOtlp } from './receiver';

export interface OtlpServer {
  port: number;
  /**
   * Stops accepting connections and waits for requests in flight to be
   * answered (their batches are then in the store's write queue or stored),
   * cutting whatever is still open after `graceMs`.
   */
  close(graceMs?: number): Promise<void>;
}

const PATHS: Record<string, OtlpSignal> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics' };

function send(
  res: http.ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Uint8Array | string,
) {
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * A plain node:http OTLP/HTTP listener (the standard port is 4318), so
 * `OTEL_EXPORTER_OTLP_ENDPOINT=http://host:4318` works unchanged. It calls the
 * same receiver as the dashboard's /v1/* routes, in the same process and on
 * the same store. Resolves null, after a clear warning, when the port is
 * taken: the dashboard keeps running and still receives OTLP on its own port.
 */
export function startOtlpServer(
  options: ReceiverOptions & { host: string; port: number },
): Promise<OtlpServer | null> {
  let closing = false;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const signal = PATHS[path];
    if (!signal) {
      send(res, 404, { 'content-type': 'text/plain' }, 'OTLP/HTTP: POST to /v1/traces or /v1/metrics\n');
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, { allow: 'POST', 'content-type': 'text/plain' }, 'OTLP/HTTP takes POST\n');
      return;
    }
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    };
    receiveOtlp(
      signal,
      {
        contentType: header('content-type'),
        contentEncoding: header('content-encoding'),
        contentLength: header('content-length'),
        authorization: header('authorization'),
        body: req,
      },
      options,
    )
      .then((response) => {
        // Unread bytes of a refused body: drain them so the connection can be reused.
        if (!req.complete) req.resume();
        // While closing, an answer ends its connection, so keep-alive cannot hold shutdown open.
        if (closing) res.shouldKeepAlive = false;
        send(res, response.status, response.headers, response.body);
      })
      .catch((error: unknown) => {
        console.error('signalbox: OTLP listener failed to answer', error);
        if (!res.headersSent) send(res, 500, { 'content-type': 'text/plain' }, 'internal error\n');
        else res.destroy();
      });
  });
  // Exporters keep connections open between batches (the SDK's default agent is keep-alive).
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      console.warn(
        `signalbox: cannot listen for OTLP on ${options.host}:${options.port} (${error.code ?? error.message}); ` +
          'OTLP is still received on the dashboard port at /v1/traces and /v1/metrics. ' +
          'Set SIGNALBOX_OTLP_PORT to another port, or to off.',
      );
      resolve(null);
    });
    server.listen(options.port, options.host, () => {
      server.removeAllListeners('error');
      server.on('error', (error) => console.error('signalbox: OTLP listener error', error));
      resolve({
        port: (server.address() as AddressInfo).port,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            closing = true;
            const cut = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(cut);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
