import { createHash } from 'node:crypto';
import type { AuditEntry, ChainCheck, ChainedAuditEntry } from './audit-entry';

/** The link before the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The bytes a row's hash covers: every field, in a fixed order, as JSON (so
 * no field can be shifted into another), after the previous row's hash.
 */
function canonical(seq: number, prevHash: string, e: AuditEntry): string {
  return JSON.stringify([
    seq,
    prevHash,
    e.atMs,
    e.actor.name,
    e.actor.subject,
    e.actor.idp,
    e.actor.tokenId,
    e.action,
    e.queueId,
    e.jobId,
    e.detail,
  ]);
}

export function chainHash(seq: number, prevHash: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(canonical(seq, prevHash, entry))
    .digest('hex');
}

export function chained(seq: number, prevHash: string, entry: AuditEntry): ChainedAuditEntry {
  return { ...entry, seq, prevHash, hash: chainHash(seq, prevHash, entry) };
}

/**
 * Walks the rows oldest first. A changed field breaks that row's hash; a
 * removed or inserted row breaks the sequence or the link to the row before.
 * Removing rows at the end leaves a valid, shorter chain: compare headHash
 * with one noted earlier (or an export) to detect that.
 */
export async function verifyChain(rows: AsyncIterable<ChainedAuditEntry>): Promise<ChainCheck> {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let count = 0;
  for await (const row of rows) {
    const broken = (reason: string): ChainCheck => ({
      ok: false,
      rows: count,
      headHash: prev,
      brokenAt: { seq: row.seq, reason },
    });
    if (row.seq !== expectedSeq)
      return broken(`expected row ${expectedSeq} here: a row was removed or inserted`);
    if (row.prevHash !== prev)
      return broken('its link does not match the row before: a row was removed or changed');
    if (chainHash(row.seq, row.prevHash, row) !== row.hash)
      return broken('its content does not match its hash: the row was edited');
    prev = row.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, rows: count, headHash: prev, brokenAt: null };
}
