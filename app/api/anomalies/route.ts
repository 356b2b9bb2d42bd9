import { getAnomalies } from '@/lib/analytics/anomalies';
import { errorResponse } from '@/lib/http/respond';
import { parseTimeRange } from '@/lib/analytics/time-range';
import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/anomalies?from=1h&to=now — duplicates, out-of-order processing, retries and redeliveries per consumer. */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  try {
    const range = parseTimeRange(params.get('from'), params.get('to'));
    return Response.json(await getAnomalies(await getStore(), range));
  } catch (error) {
    return errorResponse(error, 'anomalies query');
  }
}
