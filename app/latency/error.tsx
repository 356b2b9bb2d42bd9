'use client';

import { PageError, type SegmentErrorProps } from '@/components/page-error';

export default function LatencyError(props: SegmentErrorProps) {
  return (
    <PageError
      {...props}
      what="Latency"
      hint="Check the time range in the address bar (ISO-8601 or relative, like 15m)."
    />
  );
}
