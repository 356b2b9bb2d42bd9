'use client';

import { useEffect, useState } from 'react';
import type { WhoAmI } from '@/app/api/me/route';

let asked: Promise<WhoAmI | null> | null = null;

/** GET /api/me, once per page load, shared by the banner and the user menu; null until it answers. */
export function useWhoAmI(): WhoAmI | null {
  const [me, setMe] = useState<WhoAmI | null>(null);
  useEffect(() => {
    asked ??= fetch('/api/me')
      .then((response) => (response.ok ? (response.json() as Promise<WhoAmI>) : null))
      .catch(() => null);
    let live = true;
    void asked.then((answer) => live && setMe(answer));
    return () => {
      live = false;
    };
  }, []);
  return me;
}
