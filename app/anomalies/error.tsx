'use client';

import { PageError, type SegmentErrorProps } from '@/components/page-error';

export default function AnomaliesError(props: SegmentErrorProps) {
  return <PageError {...props} what="Anomalies" />;
}
