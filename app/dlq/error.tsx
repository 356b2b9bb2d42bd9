'use client';

import { PageError, type SegmentErrorProps } from '@/components/page-error';

export default function DlqError(props: SegmentErrorProps) {
  return (
    <PageError {...props} what="Dead letters" hint="A broker may be unreachable: the Lag page shows which." />
  );
}
