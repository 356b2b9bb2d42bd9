import { createHash, timingSafeEqual } from 'node:crypto';
import { IngestError } from './errors';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Checks `Authorization: Bearer <token>` when an ingest token is configured.
 * Both sides are hashed first so the comparison is constant-time and takes
 * the same time whatever the length of what was sent.
 */
export function checkBearer(authorization: string | null, token: string | null): void {
  if (token === null) return;
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  const sent = match?.[1]?.trim() ?? '';
  if (!timingSafeEqual(digest(sent), digest(token)) || sent === '') {
    throw new IngestError(
      401,
      'missing or wrong ingest token: send "Authorization: Bearer <SIGNALBOX_INGEST_TOKEN>" (OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <token>")',
    );
  }
}
