'use client';

import { PageError, type SegmentErrorProps } from '@/components/page-error';

export default function AlertsError(props: SegmentErrorProps) {
  return <PageError {...props} what="Alerts" />;
}
