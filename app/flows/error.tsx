'use client';

import { PageError, type SegmentErrorProps } from '@/components/page-error';

export default function FlowsError(props: SegmentErrorProps) {
  return (
    <PageError
      {...props}
      what="Flows"
      hint="Check the time range in the address bar (ISO-8601 or relative, like 15m)."
    />
  );
}
