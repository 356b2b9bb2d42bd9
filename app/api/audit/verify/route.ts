import { authorizeRequest } from '@/lib/auth/guard';
import { errorResponse } from '@/lib/http/respond';
import { getAuditLog } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/audit/verify (admin) → `{ ok, rows, headHash, brokenAt }`: whether every row still
 * matches its hash and links to the one before.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'administer');
    return Response.json(await (await getAuditLog()).verify());
  } catch (error) {
    return errorResponse(error, 'verifying the audit log');
  }
}
