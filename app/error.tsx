'use client';

import { PageError, type SegmentErrorProps } from '@/components/page-error';

/** Any page whose data could not be loaded: what happened and a retry, never a stack trace. */
export default function RootError(props: SegmentErrorProps) {
  return <PageError {...props} what="This page" hint="Other pages may still work." />;
}
