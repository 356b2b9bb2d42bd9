import { TimeRangeError, parseTimeRange } from '@/lib/analytics/time-range';
import { BrokerConfigError } from '@/lib/brokers/config';
import { getLagPoller } from '@/lib/lag';
import { LagQueryError, historyView, parseGroupKey, stepFor } from '@/lib/lag/views';

export const dynamic = 'force-dynamic';

const MAX_POINTS = 240;

/**
 * GET /api/lag/history?from=1h&to=now[&system=&destination=&group=][&points=120] — lag over time for
 * sparklines and charts: `{ from, to, stepMs, groups: [{ system, destination, group, points: [{ tsMs,
 * lagMessages, lagSeconds }] }] }`, each point the worst poll of its step; with a group, also
 * `partitions: [{ partition, points }]`.
 */
export async function GET(request: Request): Promise<Response> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  try {
    const range = parseTimeRange(params.from, params.to);
    const key = parseGroupKey(params);
    const points = params.points === undefined ? MAX_POINTS : Number(params.points);
    if (!Number.isInteger(points) || points < 2 || points > 2000) {
      throw new LagQueryError('points must be a whole number from 2 to 2000');
    }
    const poller = await getLagPoller();
    const sinceMs = Math.floor(range.fromUs / 1000);
    const untilMs = Math.ceil(range.toUs / 1000);
    const stepMs = stepFor(untilMs - sinceMs, points, poller.intervalMs);
    const view = await historyView(poller.history, { sinceMs, untilMs, stepMs }, key);
    return Response.json({ from: range.from, to: range.to, ...view });
  } catch (error) {
    if (error instanceof TimeRangeError || error instanceof LagQueryError) {
      return Response.json({ error: error.message }, { status: 400 });
    }
    if (error instanceof BrokerConfigError) return Response.json({ error: error.message }, { status: 503 });
    console.error('lag history failed', error);
    return Response.json({ error: 'reading lag history failed; see the dashboard log' }, { status: 500 });
  }
}
