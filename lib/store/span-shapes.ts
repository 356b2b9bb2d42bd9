import type { MessagingSpan } from '@/lib/model/span';
import type { SeriesDims } from '@/lib/model/series';
import { type Row, num, strOrNull } from './queries/read-helpers';

/** The low-cardinality part of a span, stored once in span_shapes (see schema.ts). */
export interface SpanShape {
  service: string;
  name: string;
  kind: number;
  system: string;
  operationType: string | null;
  operationName: string | null;
  destination: string | null;
  consumerGroup: string | null;
  statusCode: number;
  errorType: string | null;
  deadLetter: boolean;
}

export function shapeOf(s: MessagingSpan): SpanShape {
  return {
    service: s.service,
    name: s.name,
    kind: s.kind,
    system: s.system,
    operationType: s.operationType,
    operationName: s.operationName,
    destination: s.destination,
    consumerGroup: s.consumerGroup,
    statusCode: s.statusCode,
    errorType: s.errorType,
    deadLetter: s.deadLetter,
  };
}

/** A shape read back from its columns: a span_shapes row, or a span joined to its shape. */
export function shapeOfRow(r: Row): SpanShape {
  return {
    service: r.service as string,
    name: r.name as string,
    kind: num(r.kind),
    system: r.system as string,
    operationType: strOrNull(r.operation_type),
    operationName: strOrNull(r.operation_name),
    destination: strOrNull(r.destination),
    consumerGroup: strOrNull(r.consumer_group),
    statusCode: num(r.status_code),
    errorType: strOrNull(r.error_type),
    deadLetter: r.dead_letter === true,
  };
}

export function shapeKey(s: SpanShape | MessagingSpan): string {
  return `${s.service}\u0000${s.name}\u0000${s.kind}\u0000${s.system}\u0000${s.operationType}\u0000${s.operationName}\u0000${s.destination}\u0000${s.consumerGroup}\u0000${s.statusCode}\u0000${s.errorType}\u0000${s.deadLetter}`;
}

/** Whether two spans have the same shape: the fields of shapeKey, compared without building it. */
export function sameShape(a: MessagingSpan, b: MessagingSpan): boolean {
  return (
    a.service === b.service &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.system === b.system &&
    a.operationType === b.operationType &&
    a.operationName === b.operationName &&
    a.destination === b.destination &&
    a.consumerGroup === b.consumerGroup &&
    a.statusCode === b.statusCode &&
    a.errorType === b.errorType &&
    a.deadLetter === b.deadLetter
  );
}

/**
 * When a sender ignores the semconv advice that span names be low-cardinality
 * (ids in names), the shape dictionary would grow without bound; past its cap
 * spans get this generic shape name instead (the attributes keep everything).
 */
export function genericShape(s: MessagingSpan): SpanShape {
  return {
    ...shapeOf(s),
    name: `${s.operationName ?? s.operationType ?? 'messaging'} ${s.destination ?? ''}`.trim(),
  };
}

/** The rollup series a span of this shape feeds, by kind (spans source). */
export function spanSeriesDims(
  shape: SpanShape,
  kind: 'publish' | 'delivery' | 'receive' | 'process' | 'pathway',
  pathwayHash: string | null = null,
): SeriesDims | null {
  if (shape.destination === null) return null;
  return {
    kind,
    source: 'spans',
    service: shape.service,
    system: shape.system,
    destination: shape.destination,
    consumerGroup: kind === 'publish' ? null : shape.consumerGroup,
    pathwayHash,
    errorType: null,
  };
}
