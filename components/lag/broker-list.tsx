import type { BrokerState } from '@/lib/lag/types';
import styles from './lag.module.css';
import { systemLabel } from './lag-table';

/** Each configured broker with whether the last poll could read it; a broker that is down shows its error. */
export function BrokerList({ brokers }: { brokers: readonly BrokerState[] }) {
  return (
    <ul className={styles.brokers}>
      {brokers.map((b) => (
        <li
          key={`${b.system}|${b.address}`}
          className={styles.broker}
          data-reachable={b.reachable === null ? 'pending' : String(b.reachable)}
        >
          <span>
            <span className={styles.brokerName}>{systemLabel(b.system)}</span> <code>{b.address}</code>
          </span>
          {b.reachable === null ? (
            <span className="muted">first poll in progress</span>
          ) : b.reachable ? (
            <span className="muted">reachable</span>
          ) : (
            <span className={styles.brokerError}>
              unreachable: {b.error}
              {b.lastSuccessAt ? ` (last read ${new Date(b.lastSuccessAt).toLocaleTimeString('en-GB')})` : ''}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
