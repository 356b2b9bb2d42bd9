/** What to do when no messaging spans arrived in the chosen window. */
export function EmptyFlows({ range }: { range: string }) {
  return (
    <section className="panel empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No messages in the last {range}</h2>
      <p>
        Signalbox draws flows from messaging spans. Point any OpenTelemetry SDK&apos;s OTLP/HTTP exporter at
        this dashboard:
      </p>
      <pre>
        <code>{`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://localhost:3000/v1/traces
OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf   # or http/json
OTEL_SERVICE_NAME=checkout`}</code>
      </pre>
      <p>
        Spans need <code>messaging.system</code> and <code>messaging.destination.name</code>; Node services
        get them from <code>@signalbox/instrumentation</code>. Try a wider time range if data is older.
      </p>
    </section>
  );
}
