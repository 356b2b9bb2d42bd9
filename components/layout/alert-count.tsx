'use client';

import { useEffect, useState } from 'react';

const POLL_MS = 30_000;

/**
 * The number of alerts firing, beside the Alerts link: read from /api/alerts
 * when the page loads and every 30 s, so a page left open shows a new alert.
 * Nothing shows while none fire, or when the reader may not see alerts.
 */
export function AlertCount() {
  const [firing, setFiring] = useState(0);
  useEffect(() => {
    let stopped = false;
    const read = async () => {
      try {
        const response = await fetch('/api/alerts', { cache: 'no-store' });
        if (!response.ok) return;
        const { alerts } = (await response.json()) as { alerts: { phase: string }[] };
        if (!stopped) setFiring(alerts.filter((a) => a.phase === 'firing').length);
      } catch {
        // The next poll tries again.
      }
    };
    void read();
    const timer = setInterval(() => void read(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  if (firing === 0) return null;
  return (
    <span
      className="nav-count"
      aria-label={`${firing} firing`}
      title={`${firing} alert${firing === 1 ? '' : 's'} firing`}
    >
      {firing}
    </span>
  );
}
