'use client';

import dynamic from 'next/dynamic';
import type { ChartProps } from './lag-chart-impl';

// recharts is only needed once a group is opened: load it then, not with the page.
const Chart = dynamic(() => import('./lag-chart-impl'), {
  ssr: false,
  loading: () => <div className="skeleton" style={{ height: 260 }} aria-hidden="true" />,
});

/** A time-series chart of lag (loaded lazily on the client). */
export function LagChart(props: ChartProps) {
  return <Chart {...props} />;
}
