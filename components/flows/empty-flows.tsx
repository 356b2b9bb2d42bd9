import { headers } from 'next/headers';
import { config } from '@/lib/runtime';

/**
 * Where exporters should send, as this browser reached the dashboard: the standard OTLP port when it
 * listens (so the SDKs' OTEL_EXPORTER_OTLP_ENDPOINT works as is), else the dashboard's own port.
 */
async function exporterSettings(): Promise<string> {
  const host = (await headers()).get('host') ?? 'localhost:3000';
  const { otlpPort } = config().ingest;
  if (otlpPort !== null) {
    // The host without the dashboard's port (an IPv6 address keeps its brackets).
    return `OTEL_EXPORTER_OTLP_ENDPOINT=http://${new URL(`http://${host}`).hostname}:${otlpPort}`;
  }
  return `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://${host}/v1/traces`;
}

/** What to do when no messaging spans arrived in the chosen window. */
export async function EmptyFlows({ range }: { range: string }) {
  return (
    <section className="panel empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No messages in the last {range}</h2>
      <p>
        Signalbox draws flows from messaging spans. Point any OpenTelemetry SDK&apos;s OTLP/HTTP exporter at
        this dashboard:
      </p>
      <pre>
        <code>{`${await exporterSettings()}
OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf   # or http/json
OTEL_SERVICE_NAME=checkout`}</code>
      </pre>
      <p>
        Spans need <code>messaging.system</code> and <code>messaging.destination.name</code>; Node services
        get them from <code>@signalbox/instrumentation</code>. Try a wider time range if data is older.
      </p>
    </section>
  );
}
