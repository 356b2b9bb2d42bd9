import type { LagStatus } from '@/lib/lag/types';
import styles from './lag.module.css';

const MEANING: Record<LagStatus, string> = {
  OK: 'consuming, or nothing waits',
  WARN: 'consuming, but the lag keeps rising or the oldest message waits too long',
  REWIND: 'the consumer position went backwards',
  STALL: 'messages wait and nothing is consumed, though consumers are attached (or unknown)',
  STOP: 'messages wait and no consumer is attached',
  ERR: 'the broker could not be read; these are the last known figures',
};

/** A group's status as a word (never colour alone), with what it means and why on hover. */
export function StatusBadge({ status, reason }: { status: LagStatus; reason?: string }) {
  return (
    <span
      className={styles.badge}
      data-status={status}
      title={reason ? `${MEANING[status]}: ${reason}` : MEANING[status]}
    >
      {status}
    </span>
  );
}
