// The `sdk-floor` variant: the spans Signalbox emits for the benchmark's
// workload, made by hand around the bare client with the least work an
// instrumentation can do: same names, kinds, semconv attributes and links,
// context injected and extracted with the registered propagator, but no
// metrics, no pathway header and no safety nets. What this costs over `bare`
// is what the SDK itself charges for the spans the conventions require.
//
// amqplib, per message: PRODUCER `send {queue}`, CONSUMER `process {queue}`
// linked to it, CLIENT `ack {queue}`. kafkajs, per `send` of N messages: a
// PRODUCER `create {topic}` per message + one CLIENT `send {topic}` linking
// to them; per message consumed: CONSUMER `process {topic}` linked to its
// create span.

const setter = { set: (carrier, key, value) => (carrier[key] = value) };
const getter = {
  keys: (carrier) => Object.keys(carrier ?? {}),
  get: (carrier, key) => {
    const value = carrier?.[key];
    return value === undefined ? undefined : String(value);
  },
};

export function amqpFloor(api) {
  const { context, propagation, trace, ROOT_CONTEXT, SpanKind } = api;
  const tracer = trace.getTracer('sdk-floor');
  const base = (queue, operation, type) => ({
    'messaging.system': 'rabbitmq',
    'messaging.operation.name': operation,
    'messaging.operation.type': type,
    'messaging.destination.name': queue,
  });
  const creation = new WeakMap();
  return {
    send(queue, options, publish) {
      const attributes = base(queue, 'send', 'send');
      attributes['messaging.message.id'] = options.messageId;
      attributes['messaging.rabbitmq.destination.routing_key'] = queue;
      const span = tracer.startSpan(`send ${queue}`, { kind: SpanKind.PRODUCER, attributes });
      const headers = {};
      const ctx = trace.setSpan(context.active(), span);
      propagation.inject(ctx, headers, setter);
      try {
        return context.with(ctx, () => publish({ ...options, headers }));
      } finally {
        span.end();
      }
    },
    process(queue, msg, handler) {
      if (!msg) return handler(msg); // consumer cancelled
      const producer = trace.getSpanContext(
        propagation.extract(ROOT_CONTEXT, msg.properties.headers, getter),
      );
      const attributes = base(queue, 'process', 'process');
      attributes['messaging.message.id'] = msg.properties.messageId;
      attributes['messaging.rabbitmq.destination.routing_key'] = msg.fields.routingKey;
      attributes['messaging.rabbitmq.message.delivery_tag'] = msg.fields.deliveryTag;
      const span = tracer.startSpan(`process ${queue}`, {
        kind: SpanKind.CONSUMER,
        attributes,
        links: producer ? [{ context: producer }] : [],
      });
      creation.set(msg, producer);
      try {
        return context.with(trace.setSpan(context.active(), span), () => handler(msg));
      } finally {
        span.end();
      }
    },
    ack(msg, ack) {
      const attributes = base(msg.fields.routingKey, 'ack', 'settle');
      attributes['messaging.rabbitmq.message.delivery_tag'] = msg.fields.deliveryTag;
      const producer = creation.get(msg);
      const span = tracer.startSpan(`ack ${msg.fields.routingKey}`, {
        kind: SpanKind.CLIENT,
        attributes,
        links: producer ? [{ context: producer }] : [],
      });
      try {
        return context.with(trace.setSpan(context.active(), span), ack);
      } finally {
        span.end();
      }
    },
  };
}

export function kafkaFloor(api) {
  const { context, propagation, trace, ROOT_CONTEXT, SpanKind } = api;
  const tracer = trace.getTracer('sdk-floor');
  const base = (topic, operation, type) => ({
    'messaging.system': 'kafka',
    'messaging.operation.name': operation,
    'messaging.operation.type': type,
    'messaging.destination.name': topic,
  });
  return {
    async send(topic, messages, send) {
      const ambient = context.active();
      const links = [];
      const sent = messages.map((message) => {
        const attributes = base(topic, 'create', 'create');
        attributes['messaging.kafka.message.key'] = message.key;
        const create = tracer.startSpan(`create ${topic}`, { kind: SpanKind.PRODUCER, attributes }, ambient);
        const headers = {};
        propagation.inject(trace.setSpan(ambient, create), headers, setter);
        links.push({ context: create.spanContext() });
        create.end();
        return { ...message, headers };
      });
      const attributes = base(topic, 'send', 'send');
      attributes['messaging.batch.message_count'] = messages.length;
      const span = tracer.startSpan(`send ${topic}`, { kind: SpanKind.CLIENT, attributes, links }, ambient);
      try {
        return await context.with(trace.setSpan(ambient, span), () => send(sent));
      } finally {
        span.end();
      }
    },
    async process(groupId, payload, handler) {
      const { topic, partition, message } = payload;
      const producer = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, message.headers, getter));
      const attributes = base(topic, 'process', 'process');
      attributes['messaging.consumer.group.name'] = groupId;
      attributes['messaging.destination.partition.id'] = String(partition);
      attributes['messaging.kafka.offset'] = Number(message.offset);
      attributes['messaging.kafka.message.key'] = message.key?.toString();
      const span = tracer.startSpan(`process ${topic}`, {
        kind: SpanKind.CONSUMER,
        attributes,
        links: producer ? [{ context: producer }] : [],
      });
      try {
        return await context.with(trace.setSpan(context.active(), span), () => handler(payload));
      } finally {
        span.end();
      }
    },
  };
}
