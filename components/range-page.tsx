import type { ReactElement } from 'react';
import { BadTimeRange } from '@/components/bad-time-range';
import { Forbidden } from '@/components/layout/forbidden';
import type { TimeRange } from '@/lib/analytics/time-range';
import { pageAccess } from '@/lib/auth/page-access';
import { pageRange } from '@/lib/ui/page-range';
import { type SearchParams, firstValues } from '@/lib/ui/search-params';

/**
 * How every page over a time range starts: the server's viewer check (sign-in
 * first when nobody is signed in), then the range from the address. Either
 * refusal is the page's whole answer.
 */
export async function openRangePage(
  title: string,
  path: string,
  searchParams: SearchParams,
): Promise<{ params: Record<string, string>; range: TimeRange } | { refusal: ReactElement }> {
  const { denied } = await pageAccess(path);
  if (denied) return { refusal: <Forbidden title={title} reason={denied} /> };
  const params = await firstValues(searchParams);
  const parsed = pageRange(params);
  if ('error' in parsed)
    return { refusal: <BadTimeRange title={title} message={parsed.error} href={path} /> };
  return { params, range: parsed.range };
}
