import { redactJourney } from '@/lib/analytics/journey-redaction';
import { authorizeRequest } from '@/lib/auth/guard';
import { allows } from '@/lib/auth/principal';
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
    const principal = await authorizeRequest(request, 'view');
    const { traceId, messageId, conversationId } = parseQuery(request, journeyQuery);
    const query: JourneyQuery =
      traceId !== undefined
        ? { traceId }
        : messageId !== undefined
          ? { messageId }
          : { conversationId: conversationId! };
    const journey = await getJourney(await getStore(), query, masker());
    return Response.json(redactJourney(journey, (resource) => allows(principal, 'read', resource)));
  } catch (error) {
    return errorResponse(error, 'journey query');
  }
}
