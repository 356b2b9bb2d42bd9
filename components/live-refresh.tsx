'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/** Re-renders the page's server components every few seconds, with a pause toggle. */
export function LiveRefresh({ intervalMs = 5000 }: { intervalMs?: number }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [paused, intervalMs, router]);
  return (
    <button type="button" className="button" aria-pressed={!paused} onClick={() => setPaused((p) => !p)}>
      <span aria-hidden="true" className={paused ? 'dot dot-paused' : 'dot dot-live'} />
      {paused ? 'Paused' : 'Live'}
    </button>
  );
}
