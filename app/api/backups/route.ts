import { authorizeRequest } from '@/lib/auth/guard';
import { recordChange } from '@/lib/auth/record-change';
import { errorResponse } from '@/lib/http/respond';
import { getBackups } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/backups (admin) → `{ dir, backups: [{ name, bytes, createdAtMs }] }`, newest first. */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'administer');
    const backups = await getBackups();
    return Response.json({ dir: backups.dir, backups: await backups.list() });
  } catch (error) {
    return errorResponse(error, 'listing backups');
  }
}

/**
 * POST /api/backups (admin) → 201 `{ backup: { name, bytes, createdAtMs, tables, tookMs } }`: a copy
 * of the running store, as of one commit, in SIGNALBOX_BACKUP_DIR. Ingest goes on meanwhile. 409
 * while another backup is being taken.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'administer');
    const backup = await (await getBackups()).take();
    await recordChange(principal, 'backup', { name: backup.name, bytes: backup.bytes }, backup.createdAtMs);
    return Response.json({ backup }, { status: 201 });
  } catch (error) {
    return errorResponse(error, 'taking a backup');
  }
}
