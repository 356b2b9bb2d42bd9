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
//
// Written the way a careful hand-instrumentation would be, so the floor is
// the SDK's cost and not this file's: each attribute set is one object
// literal (V8 turns objects whose dotted keys are added one by one into slow
// dictionaries, which the SDK then copies per span), and no object spread
// (slow on such objects in Node 20: ~0.8 µs per publish options copy).

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
  const creation = new WeakMap();
  return {
    send(queue, options, publish) {
      const span = tracer.startSpan(`send ${queue}`, {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation.name': 'send',
          'messaging.operation.type': 'send',
          'messaging.destination.name': queue,
          'messaging.message.id': options.messageId,
          'messaging.rabbitmq.destination.routing_key': queue,
        },
      });
      const headers = {};
      const ctx = trace.setSpan(context.active(), span);
      propagation.inject(ctx, headers, setter);
      const withHeaders = Object.assign({}, options);
      withHeaders.headers = headers;
      try {
        return context.with(ctx, publish, undefined, withHeaders);
      } finally {
        span.end();
      }
    },
    process(queue, msg, handler) {
      if (!msg) return handler(msg); // consumer cancelled
      const producer = trace.getSpanContext(
        propagation.extract(ROOT_CONTEXT, msg.properties.headers, getter),
      );
      const span = tracer.startSpan(`process ${queue}`, {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation.name': 'process',
          'messaging.operation.type': 'process',
          'messaging.destination.name': queue,
          'messaging.message.id': msg.properties.messageId,
          'messaging.rabbitmq.destination.routing_key': msg.fields.routingKey,
          'messaging.rabbitmq.message.delivery_tag': msg.fields.deliveryTag,
        },
        links: producer ? [{ context: producer }] : [],
      });
      creation.set(msg, producer);
      try {
        return context.with(trace.setSpan(context.active(), span), handler, undefined, msg);
      } finally {
        span.end();
      }
    },
    ack(msg, ack) {
      const producer = creation.get(msg);
      const span = tracer.startSpan(`ack ${msg.fields.routingKey}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation.name': 'ack',
          'messaging.operation.type': 'settle',
          'messaging.destination.name': msg.fields.routingKey,
          'messaging.rabbitmq.message.delivery_tag': msg.fields.deliveryTag,
        },
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
  return {
    async send(topic, messages, send) {
      const ambient = context.active();
      const links = [];
      const sent = messages.map((message) => {
        const create = tracer.startSpan(
          `create ${topic}`,
          {
            kind: SpanKind.PRODUCER,
            attributes: {
              'messaging.system': 'kafka',
              'messaging.operation.name': 'create',
              'messaging.operation.type': 'create',
              'messaging.destination.name': topic,
              'messaging.kafka.message.key': message.key,
            },
          },
          ambient,
        );
        const headers = {};
        propagation.inject(trace.setSpan(ambient, create), headers, setter);
        links.push({ context: create.spanContext() });
        create.end();
        const copy = Object.assign({}, message);
        copy.headers = headers;
        return copy;
      });
      const span = tracer.startSpan(
        `send ${topic}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.name': 'send',
            'messaging.operation.type': 'send',
            'messaging.destination.name': topic,
            'messaging.batch.message_count': messages.length,
          },
          links,
        },
        ambient,
      );
      try {
        return await context.with(trace.setSpan(ambient, span), send, undefined, sent);
      } finally {
        span.end();
      }
    },
    async process(groupId, payload, handler) {
      const { topic, partition, message } = payload;
      const producer = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, message.headers, getter));
      const span = tracer.startSpan(`process ${topic}`, {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.name': 'process',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': groupId,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.kafka.message.key': message.key?.toString(),
        },
        links: producer ? [{ context: producer }] : [],
      });
      try {
        return await context.with(trace.setSpan(context.active(), span), handler, undefined, payload);
      } finally {
        span.end();
      }
    },
  };
}
