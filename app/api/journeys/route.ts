import { type JourneyQuery, getJourney } from '@/lib/analytics/journeys';
import { parseQuery } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { journeyQuery } from '@/lib/http/schemas/journeys';
import { getStore, masker } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/journeys?traceId=…|messageId=…|conversationId=… — a message's
 * journey hop by hop across linked traces; 404 with a hint when nothing matches.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const { traceId, messageId, conversationId } = parseQuery(request, journeyQuery);
    const query: JourneyQuery =
      traceId !== undefined
        ? { traceId }
        : messageId !== undefined
          ? { messageId }
          : { conversationId: conversationId! };
    return Response.json(await getJourney(await getStore(), query, masker()));
  } catch (error) {
    return errorResponse(error, 'journey query');
  }
}
