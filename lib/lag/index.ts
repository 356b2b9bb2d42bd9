import 'server-only';

export type * from './types';
export { DuckDbLagHistory, groupKeyId, type LagHistory } from './history';
export { lagByFlowEdge, lagHref, type EdgeLag } from './flows';
export { lagHotSpots, type LagHotSpots } from './hotspots';
export { lagMetrics } from './prometheus';
export { type LagPoller, startLagPolling } from './poller';
