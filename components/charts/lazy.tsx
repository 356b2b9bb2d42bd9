'use client';

import dynamic from 'next/dynamic';

// recharts is the heaviest dependency; pages load it only when a chart is on
// screen, so it never counts against a page's first-load JavaScript.
const placeholder = (height: number) =>
  function ChartLoading() {
    return <div className="skeleton" style={{ height }} aria-hidden="true" />;
  };

export const LazyLatencyChart = dynamic(() => import('./latency-chart').then((m) => m.LatencyChart), {
  ssr: false,
  loading: placeholder(240),
});
export const LazyThroughputChart = dynamic(
  () => import('./throughput-chart').then((m) => m.ThroughputChart),
  {
    ssr: false,
    loading: placeholder(220),
  },
);
export const LazyHistogramChart = dynamic(() => import('./histogram-chart').then((m) => m.HistogramChart), {
  ssr: false,
  loading: placeholder(220),
});
