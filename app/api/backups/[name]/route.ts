import fs from 'node:fs';
import { Readable } from 'node:stream';
import { authorizeRequest } from '@/lib/auth/guard';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';
import { getBackups } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/backups/{name} (admin) → the backup file, for an operator who cannot reach the data
 * volume. It holds everything the store does, archived payloads too: admin only, never cached.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ name: string }> },
): Promise<Response> {
  try {
    await authorizeRequest(request, 'administer');
    const name = decodeSegment((await params).name, 'name');
    const file = await (await getBackups()).pathOf(name);
    const { size } = await fs.promises.stat(file);
    const body = Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(size),
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    return errorResponse(error, 'reading the backup');
  }
}
