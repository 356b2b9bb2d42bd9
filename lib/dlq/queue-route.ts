import 'server-only';
import { authorizeRequest, dlqResource } from '@/lib/auth/guard';
import type { Action, Principal } from '@/lib/auth/principal';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';
import type { DlqServices } from '.';
import { getDlqServices } from '@/lib/runtime';

/** What a handler of one queue's route is given: the checked request, and the services on demand. */
export interface QueueCall<Segments> {
  request: Request;
  /** The queue's id (`system:name`), decoded. */
  id: string;
  segments: Segments;
  principal: Principal;
  /** Opened only when called: a refused or malformed request touches no store and no broker. */
  dlq: () => Promise<DlqServices>;
}

/**
 * A route under /api/dlq/{id}: decodes the id, authorizes `action` on that
 * queue, then runs `handle`; any error becomes the answer `errorResponse`
 * gives (what failed: `what`).
 */
export function queueRoute<Segments extends { id: string }>(
  action: Action,
  what: string,
  handle: (call: QueueCall<Segments>) => Promise<Response>,
) {
  return async (request: Request, { params }: { params: Promise<Segments> }): Promise<Response> => {
    try {
      const segments = await params;
      const id = decodeSegment(segments.id, 'id');
      const principal = await authorizeRequest(request, action, dlqResource(id));
      return await handle({ request, id, segments, principal, dlq: getDlqServices });
    } catch (error) {
      return errorResponse(error, what);
    }
  };
}
