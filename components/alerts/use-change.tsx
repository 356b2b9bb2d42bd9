'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorOf, operatorFetch } from '@/components/dlq/operator-fetch';

/** One change to the alerts, then the page again; the API's reason shows beside the button on failure. */
export function useChange() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Resolves true when the change was made. */
  const run = async (url: string, init: { method: string; body?: unknown }): Promise<boolean> => {
    setError(null);
    setBusy(true);
    try {
      const response = await operatorFetch(url, init);
      if (!response.ok) {
        setError(await errorOf(response));
        return false;
      }
      router.refresh();
      return true;
    } catch (failure) {
      setError((failure as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const shown = error ? (
    <span className="error-text" role="alert">
      {' '}
      {error}
    </span>
  ) : null;
  return { run, busy, shown };
}
