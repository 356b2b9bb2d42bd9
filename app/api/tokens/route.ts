import { authorizeRequest } from '@/lib/auth/guard';
import { recordChange } from '@/lib/auth/record-change';
import { apiTokens } from '@/lib/auth/token-admin';
import { parseBody } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { createTokenBody } from '@/lib/http/schemas/tokens';

export const dynamic = 'force-dynamic';

/** GET /api/tokens (admin) → `{ tokens: [...] }`: every API token, revoked ones too, never a secret. */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'administer');
    return Response.json({ tokens: await (await apiTokens()).list() });
  } catch (error) {
    return errorResponse(error, 'listing API tokens');
  }
}

/**
 * POST /api/tokens (admin) with `{ name, role, systems?, destinations?, expiresInDays? }` → 201
 * `{ token, secret }`. The secret is in this answer only: it is stored hashed.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'administer');
    const body = await parseBody(request, createTokenBody);
    const now = Date.now();
    const { token, secret } = await (
      await apiTokens()
    ).issue({
      name: body.name,
      grant: { role: body.role, systems: body.systems ?? null, destinations: body.destinations ?? null },
      createdBy: principal.name,
      expiresAtMs: now + body.expiresInDays * 86_400_000,
      nowMs: now,
    });
    await recordChange(
      principal,
      'token-create',
      { tokenId: token.id, name: token.name, grant: token.grant, expiresAtMs: token.expiresAtMs },
      now,
    );
    return Response.json({ token, secret }, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error, 'creating the API token');
  }
}
