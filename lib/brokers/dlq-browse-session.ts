import type { BrowseResult, DlqRecord, DlqSession } from './dlq-types';

/**
 * Browsing as a replay pass: reads up to `limit` records plus one (to tell whether the DLQ holds
 * more), then closes the pass. Where the broker has no peek (RabbitMQ, SQS) closing hands every
 * record back to the queue; where reading holds nothing (BullMQ, JetStream) it only ends the pass;
 * on Kafka it deletes the pass's throw-away consumer group.
 */
export async function browseWithSession(session: DlqSession, limit: number): Promise<BrowseResult> {
  const records: DlqRecord[] = [];
  try {
    for (let i = 0; i < limit; i++) {
      const record = await session.next();
      if (!record) return { records, truncated: false };
      records.push(record);
    }
    return { records, truncated: (await session.next()) !== null };
  } finally {
    await session.close();
  }
}
