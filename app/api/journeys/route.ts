import { type JourneyQuery, getJourney } from '@/lib/analytics/journeys';
import { BadRequestError } from '@/lib/http/errors';
import { param } from '@/lib/http/query';
import { errorResponse } from '@/lib/http/respond';
import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/journeys?traceId=…|messageId=…|conversationId=… — a message's
 * journey hop by hop across linked traces; 404 with a hint when nothing matches.
 */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  try {
    const traceId = param(params, 'traceId');
    const messageId = param(params, 'messageId');
    const conversationId = param(params, 'conversationId');
    const given = [traceId, messageId, conversationId].filter((v) => v !== null).length;
    if (given !== 1) throw new BadRequestError('give exactly one of traceId, messageId or conversationId');
    if (traceId !== null && !/^[0-9a-fA-F]{32}$/.test(traceId)) {
      throw new BadRequestError(
        'traceId must be 32 hex characters; for any other id use messageId or GET /api/search?q=',
      );
    }
    const query: JourneyQuery =
      traceId !== null
        ? { traceId }
        : messageId !== null
          ? { messageId }
          : { conversationId: conversationId! };
    return Response.json(await getJourney(await getStore(), query));
  } catch (error) {
    return errorResponse(error, 'journey query');
  }
}
