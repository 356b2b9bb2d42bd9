import { authorizeRequest } from '@/lib/auth/guard';
import { recordChange } from '@/lib/auth/record-change';
import { NotFoundError } from '@/lib/http/errors';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';
import { getAlerts } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** DELETE /api/alerts/silences/{id} (operator) → the silence, ended now: notifications resume. */
export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'change');
    const id = decodeSegment((await params).id, 'id');
    const now = Date.now();
    const silence = await (await getAlerts()).store.expireSilence(id, principal.name, now);
    if (!silence) throw new NotFoundError(`there is no running silence ${id}`);
    await recordChange(principal, 'alert-unsilence', { id }, now);
    return Response.json({ silence });
  } catch (error) {
    return errorResponse(error, 'ending the silence');
  }
}
