import { describe, expect, it } from 'vitest';
import type { AuditEntry, ChainedAuditEntry } from './audit-entry';
import { GENESIS_HASH, chained, verifyChain } from './hash-chain';

const entry = (n: number): AuditEntry => ({
  atMs: 1_700_000_000_000 + n,
  actor: { name: 'Omar Operator', subject: 'sub-1', idp: 'keycloak', tokenId: null },
  action: 'replay',
  queueId: 'rabbitmq:payments.dlq',
  jobId: `job-${n}`,
  detail: { expected: n },
});

function chainOf(count: number): ChainedAuditEntry[] {
  const rows: ChainedAuditEntry[] = [];
  for (let i = 1; i <= count; i++) rows.push(chained(i, rows.at(-1)?.hash ?? GENESIS_HASH, entry(i)));
  return rows;
}

const each = (rows: ChainedAuditEntry[]): AsyncIterable<ChainedAuditEntry> => ({
  [Symbol.asyncIterator]: () => {
    const it = rows[Symbol.iterator]();
    return { next: () => Promise.resolve(it.next()) };
  },
});

describe('the audit hash chain', () => {
  it('verifies an untouched log and reports its head', async () => {
    const rows = chainOf(4);
    expect(await verifyChain(each(rows))).toEqual({
      ok: true,
      rows: 4,
      headHash: rows[3]!.hash,
      brokenAt: null,
    });
  });

  it('finds an edited field, a removed row and a re-hashed forgery', async () => {
    const edited = chainOf(4);
    edited[1] = { ...edited[1]!, actor: { ...edited[1]!.actor, name: 'Someone Else' } };
    expect((await verifyChain(each(edited))).brokenAt).toEqual({
      seq: 2,
      reason: 'its content does not match its hash: the row was edited',
    });

    const removed = chainOf(4).filter((r) => r.seq !== 3);
    expect((await verifyChain(each(removed))).brokenAt?.seq).toBe(4);

    // Recomputing the edited row's own hash does not help: the next row links to the old one.
    const forged = chainOf(4);
    forged[1] = chained(2, forged[0]!.hash, { ...entry(2), detail: { expected: 999 } });
    expect((await verifyChain(each(forged))).brokenAt).toEqual({
      seq: 3,
      reason: 'its link does not match the row before: a row was removed or changed',
    });
  });
});
