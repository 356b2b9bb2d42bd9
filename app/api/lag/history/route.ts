import { authorizeRequest } from '@/lib/auth/guard';
import { parseTimeRange } from '@/lib/analytics/time-range';
import { parseQuery } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { lagHistoryQuery } from '@/lib/http/schemas/lag';
import { getLagPoller } from '@/lib/runtime';
import { historyView, parseGroupKey, stepFor } from '@/lib/lag/views';

export const dynamic = 'force-dynamic';

/**
 * GET /api/lag/history?from=1h&to=now[&system=&destination=&group=][&points=120] — lag over time for
 * sparklines and charts: `{ from, to, stepMs, groups: [{ system, destination, group, points: [{ tsMs,
 * lagMessages, lagSeconds }] }] }`, each point the worst poll of its step; with a group, also
 * `partitions: [{ partition, points }]`.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const query = parseQuery(request, lagHistoryQuery);
    const range = parseTimeRange(query.from, query.to);
    const key = parseGroupKey(query);
    const poller = await getLagPoller();
    const sinceMs = Math.floor(range.fromUs / 1000);
    const untilMs = Math.ceil(range.toUs / 1000);
    const stepMs = stepFor(untilMs - sinceMs, query.points, poller.intervalMs);
    const view = await historyView(poller.history, { sinceMs, untilMs, stepMs }, key);
    return Response.json({ from: range.from, to: range.to, ...view });
  } catch (error) {
    return errorResponse(error, 'reading lag history');
  }
}
