import 'server-only';
import type { AuditAction } from '@/lib/audit/audit-entry';
import { getAuditLog } from '@/lib/runtime';
import { type Principal, actorOf } from './principal';

/**
 * Writes a change that concerns no dead-letter queue (API tokens, backups, alert silences) to the
 * audit log, in the name of whoever made it.
 */
export async function recordChange(
  principal: Principal,
  action: AuditAction,
  detail: Record<string, unknown>,
  atMs = Date.now(),
): Promise<void> {
  await (
    await getAuditLog()
  ).append({ atMs, actor: actorOf(principal), action, queueId: '', jobId: null, detail });
}
