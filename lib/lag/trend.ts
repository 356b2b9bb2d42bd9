import type { GroupSeriesPoint, LagTrend } from './types';

/**
 * Least-squares slope of y over x; null with fewer than two points or no spread in x. x is
 * centred on its mean first so that epoch milliseconds do not swamp the sums in floating point.
 */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - meanX) * (p.y - meanY);
    sxx += (p.x - meanX) ** 2;
  }
  return sxx === 0 ? null : sxy / sxx;
}

/**
 * The lag's trend over a group's series (messages per second, least squares over every point given,
 * so one noisy poll does not flip it). "flat" when the fitted change over the whole span is under one
 * message: the lag is then steady to within what can be counted.
 */
export function lagTrend(series: readonly GroupSeriesPoint[]): LagTrend {
  const slope = leastSquaresSlope(series.map((p) => ({ x: p.tsMs / 1000, y: p.lagMessages })));
  if (slope === null) return { direction: 'unknown', messagesPerSecond: null };
  const spanSeconds = (series.at(-1)!.tsMs - series[0]!.tsMs) / 1000;
  const rounded = Math.round(slope * 1000) / 1000;
  if (Math.abs(slope * spanSeconds) < 1) return { direction: 'flat', messagesPerSecond: rounded };
  return { direction: slope > 0 ? 'growing' : 'shrinking', messagesPerSecond: rounded };
}

/**
 * Time to drain: the current lag divided by the net drain rate (the negated trend). 0 when nothing
 * waits; null ("never, at this rate") when the lag is not shrinking.
 */
export function etaSeconds(lagMessages: number, trend: LagTrend): number | null {
  if (lagMessages === 0) return 0;
  if (trend.direction !== 'shrinking' || trend.messagesPerSecond === null) return null;
  return Math.round(lagMessages / -trend.messagesPerSecond);
}
