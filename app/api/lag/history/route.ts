import { parseTimeRange } from '@/lib/analytics/time-range';
import { intParam } from '@/lib/http/query';
import { errorResponse } from '@/lib/http/respond';
import { getLagPoller } from '@/lib/runtime';
import { historyView, parseGroupKey, stepFor } from '@/lib/lag/views';

export const dynamic = 'force-dynamic';

const MAX_POINTS = 240;

/**
 * GET /api/lag/history?from=1h&to=now[&system=&destination=&group=][&points=120] — lag over time for
 * sparklines and charts: `{ from, to, stepMs, groups: [{ system, destination, group, points: [{ tsMs,
 * lagMessages, lagSeconds }] }] }`, each point the worst poll of its step; with a group, also
 * `partitions: [{ partition, points }]`.
 */
export async function GET(request: Request): Promise<Response> {
  const search = new URL(request.url).searchParams;
  const params = Object.fromEntries(search);
  try {
    const range = parseTimeRange(params.from, params.to);
    const key = parseGroupKey(params);
    const points = intParam(search, 'points', { min: 2, max: 2000, fallback: MAX_POINTS });
    const poller = await getLagPoller();
    const sinceMs = Math.floor(range.fromUs / 1000);
    const untilMs = Math.ceil(range.toUs / 1000);
    const stepMs = stepFor(untilMs - sinceMs, points, poller.intervalMs);
    const view = await historyView(poller.history, { sinceMs, untilMs, stepMs }, key);
    return Response.json({ from: range.from, to: range.to, ...view });
  } catch (error) {
    return errorResponse(error, 'reading lag history');
  }
}
