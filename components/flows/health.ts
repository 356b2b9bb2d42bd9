import type { FlowEdge } from '@/lib/analytics/flows';

export type Health = 'ok' | 'warn' | 'bad';

/** Error-rate thresholds for colouring edges; the same everywhere an edge is shown. */
export function edgeHealth(edge: Pick<FlowEdge, 'messages' | 'errors'>): Health {
  const errorRate = edge.messages === 0 ? 0 : edge.errors / edge.messages;
  if (errorRate >= 0.05) return 'bad';
  if (errorRate >= 0.01) return 'warn';
  return 'ok';
}
