'use client';

import { PageError, type SegmentErrorProps } from '@/components/page-error';

export default function LagError(props: SegmentErrorProps) {
  return <PageError {...props} what="Lag" />;
}
