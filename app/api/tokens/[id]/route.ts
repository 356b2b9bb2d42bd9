import { authorizeRequest } from '@/lib/auth/guard';
import { recordChange } from '@/lib/auth/record-change';
import { apiTokens } from '@/lib/auth/token-admin';
import { NotFoundError } from '@/lib/http/errors';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/** DELETE /api/tokens/{id} (admin) → the token, revoked: refused from its next use on. */
export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'administer');
    const id = decodeSegment((await params).id, 'id');
    const now = Date.now();
    const token = await (await apiTokens()).revoke(id, principal.name, now);
    if (!token) throw new NotFoundError(`there is no API token ${id}`);
    await recordChange(principal, 'token-revoke', { tokenId: token.id, name: token.name }, now);
    return Response.json({ token });
  } catch (error) {
    return errorResponse(error, 'revoking the API token');
  }
}
