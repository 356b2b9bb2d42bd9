import type { MetricPoint } from '@/lib/model/metric';
import type { OtlpEncoding } from './otlp-encoding';
import { decodeMetricsJson } from './otlp-json-metrics';
import { decodeMetricsProtobuf } from './otlp-proto-metrics';

export function decodeMetrics(body: Uint8Array, encoding: OtlpEncoding): MetricPoint[] {
  return encoding === 'protobuf'
    ? decodeMetricsProtobuf(body)
    : decodeMetricsJson(Buffer.from(body).toString('utf8'));
}
