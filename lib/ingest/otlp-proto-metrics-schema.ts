/**
 * The metrics part of the OTLP protobuf schema (opentelemetry-proto v1,
 * opentelemetry/proto/metrics/v1/metrics.proto and the collector's
 * metrics_service.proto) as a protobufjs descriptor fragment; otlp-proto-schema
 * merges it with the common types. Field numbers are the wire contract;
 * otlp-decode-metrics.test.ts round-trips real SDK metrics through the
 * official serializer to guard them. `proto3_optional` marks the fields whose
 * presence matters (sum, min, max): absent is not zero.
 */
const optional = { proto3_optional: true };

export const metricsDescriptor = {
  NumberDataPoint: {
    oneofs: { value: { oneof: ['asDouble', 'asInt'] } },
    fields: {
      attributes: { rule: 'repeated', type: 'KeyValue', id: 7 },
      startTimeUnixNano: { type: 'fixed64', id: 2 },
      timeUnixNano: { type: 'fixed64', id: 3 },
      asDouble: { type: 'double', id: 4 },
      asInt: { type: 'sfixed64', id: 6 },
      flags: { type: 'uint32', id: 8 },
    },
  },
  HistogramDataPoint: {
    fields: {
      attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
      startTimeUnixNano: { type: 'fixed64', id: 2 },
      timeUnixNano: { type: 'fixed64', id: 3 },
      count: { type: 'fixed64', id: 4 },
      sum: { type: 'double', id: 5, options: optional },
      bucketCounts: { rule: 'repeated', type: 'fixed64', id: 6 },
      explicitBounds: { rule: 'repeated', type: 'double', id: 7 },
      flags: { type: 'uint32', id: 10 },
      min: { type: 'double', id: 11, options: optional },
      max: { type: 'double', id: 12, options: optional },
    },
  },
  ExponentialHistogramBuckets: {
    fields: {
      offset: { type: 'sint32', id: 1 },
      bucketCounts: { rule: 'repeated', type: 'uint64', id: 2 },
    },
  },
  ExponentialHistogramDataPoint: {
    fields: {
      attributes: { rule: 'repeated', type: 'KeyValue', id: 1 },
      startTimeUnixNano: { type: 'fixed64', id: 2 },
      timeUnixNano: { type: 'fixed64', id: 3 },
      count: { type: 'fixed64', id: 4 },
      sum: { type: 'double', id: 5, options: optional },
      scale: { type: 'sint32', id: 6 },
      zeroCount: { type: 'fixed64', id: 7 },
      positive: { type: 'ExponentialHistogramBuckets', id: 8 },
      negative: { type: 'ExponentialHistogramBuckets', id: 9 },
      flags: { type: 'uint32', id: 10 },
      min: { type: 'double', id: 12, options: optional },
      max: { type: 'double', id: 13, options: optional },
      zeroThreshold: { type: 'double', id: 14 },
    },
  },
  ValueAtQuantile: {
    fields: { quantile: { type: 'double', id: 1 }, value: { type: 'double', id: 2 } },
  },
  SummaryDataPoint: {
    fields: {
      attributes: { rule: 'repeated', type: 'KeyValue', id: 7 },
      startTimeUnixNano: { type: 'fixed64', id: 2 },
      timeUnixNano: { type: 'fixed64', id: 3 },
      count: { type: 'fixed64', id: 4 },
      sum: { type: 'double', id: 5 },
      quantileValues: { rule: 'repeated', type: 'ValueAtQuantile', id: 6 },
      flags: { type: 'uint32', id: 8 },
    },
  },
  Gauge: { fields: { dataPoints: { rule: 'repeated', type: 'NumberDataPoint', id: 1 } } },
  Sum: {
    fields: {
      dataPoints: { rule: 'repeated', type: 'NumberDataPoint', id: 1 },
      aggregationTemporality: { type: 'int32', id: 2 },
      isMonotonic: { type: 'bool', id: 3 },
    },
  },
  Histogram: {
    fields: {
      dataPoints: { rule: 'repeated', type: 'HistogramDataPoint', id: 1 },
      aggregationTemporality: { type: 'int32', id: 2 },
    },
  },
  ExponentialHistogram: {
    fields: {
      dataPoints: { rule: 'repeated', type: 'ExponentialHistogramDataPoint', id: 1 },
      aggregationTemporality: { type: 'int32', id: 2 },
    },
  },
  Summary: { fields: { dataPoints: { rule: 'repeated', type: 'SummaryDataPoint', id: 1 } } },
  Metric: {
    oneofs: { data: { oneof: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] } },
    fields: {
      name: { type: 'string', id: 1 },
      description: { type: 'string', id: 2 },
      unit: { type: 'string', id: 3 },
      gauge: { type: 'Gauge', id: 5 },
      sum: { type: 'Sum', id: 7 },
      histogram: { type: 'Histogram', id: 9 },
      exponentialHistogram: { type: 'ExponentialHistogram', id: 10 },
      summary: { type: 'Summary', id: 11 },
    },
  },
  ScopeMetrics: {
    fields: {
      scope: { type: 'InstrumentationScope', id: 1 },
      metrics: { rule: 'repeated', type: 'Metric', id: 2 },
    },
  },
  ResourceMetrics: {
    fields: {
      resource: { type: 'Resource', id: 1 },
      scopeMetrics: { rule: 'repeated', type: 'ScopeMetrics', id: 2 },
    },
  },
  ExportMetricsServiceRequest: {
    fields: { resourceMetrics: { rule: 'repeated', type: 'ResourceMetrics', id: 1 } },
  },
  ExportMetricsPartialSuccess: {
    fields: { rejectedDataPoints: { type: 'int64', id: 1 }, errorMessage: { type: 'string', id: 2 } },
  },
  ExportMetricsServiceResponse: {
    fields: { partialSuccess: { type: 'ExportMetricsPartialSuccess', id: 1 } },
  },
};
