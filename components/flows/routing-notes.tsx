import type { FlowGraph } from '@/lib/analytics/flows';

/**
 * Under the graph: the destinations RabbitMQ's bindings route nowhere (the
 * node's badge, spelled out, for readers who do not hover), and whether the
 * bindings were read at all, since routes then come from telemetry alone.
 */
export function RoutingNotes({ graph }: { graph: FlowGraph }) {
  const unroutable = graph.nodes.filter((node) => node.unroutable);
  const bindings = graph.rabbitmqBindings;
  if (unroutable.length === 0 && !bindings) return null;
  return (
    <div className="routing-notes">
      {unroutable.map((node) => (
        <p key={node.id} className="notice notice-warn" role="status">
          <strong>Unroutable:</strong> messages published to <code title={node.name}>{node.name}</code> are
          dropped: {node.unroutable}.
        </p>
      ))}
      {bindings?.state === 'unavailable' ? (
        <p className="muted">
          RabbitMQ’s bindings could not be read from the management API ({bindings.reason}): its routes are
          inferred from telemetry alone, without exchange types, dead-letter or alternate routes.
        </p>
      ) : null}
      {bindings?.state === 'read' ? (
        <p className="muted">
          RabbitMQ routes follow the management API’s bindings (read {bindings.readAt.slice(11, 19)} UTC);
          dashed edges are dead-letter and alternate-exchange routes.
        </p>
      ) : null}
    </div>
  );
}
