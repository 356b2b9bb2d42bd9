import { authorizeRequest } from '@/lib/auth/guard';
import { searchId } from '@/lib/analytics/journeys';
import { parseQuery } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { searchQuery } from '@/lib/http/schemas/journeys';
import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/search?q=<trace id, message id or conversation id> — every way the id matches, each with its journey link. */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const { q } = parseQuery(request, searchQuery);
    return Response.json({ q, matches: await searchId(await getStore(), q) });
  } catch (error) {
    return errorResponse(error, 'search');
  }
}
