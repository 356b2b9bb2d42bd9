import { searchId } from '@/lib/analytics/journeys';
import { BadRequestError } from '@/lib/http/errors';
import { param } from '@/lib/http/query';
import { errorResponse } from '@/lib/http/respond';
import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/search?q=<trace id, message id or conversation id> — every way the id matches, each with its journey link. */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  try {
    const q = param(params, 'q');
    if (q === null) throw new BadRequestError('q is required: a trace id, message id or conversation id');
    return Response.json({ q, matches: await searchId(await getStore(), q) });
  } catch (error) {
    return errorResponse(error, 'search');
  }
}
