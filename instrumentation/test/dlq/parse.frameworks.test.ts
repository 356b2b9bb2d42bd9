import { describe, expect, it } from 'vitest';
import { parseDeadLetter } from '../../src/dlq/parse.js';

const DOTNET_STACK = [
  '   at Billing.SubmitOrderConsumer.Consume(ConsumeContext`1 context) in /src/Billing/SubmitOrderConsumer.cs:line 27',
  '   at MassTransit.DependencyInjection.ScopeConsumerFactory`1.Send[TMessage](ConsumeContext`1 context, IPipe`1 next)',
].join('\n');

describe('parseDeadLetter: MassTransit MT-Fault-* headers', () => {
  // As amqplib delivers a message MassTransit moved to `submit-order_error`.
  const headers = {
    'MT-Reason': 'fault',
    'MT-Fault-ExceptionType': 'System.InvalidOperationException',
    'MT-Fault-Message': 'Order 42 is already submitted',
    'MT-Fault-StackTrace': DOTNET_STACK,
    'MT-Fault-Timestamp': '2026-11-21T10:00:00.1234567Z',
    'MT-Fault-InputAddress': 'rabbitmq://localhost/shop/submit-order?bind=true',
    'MT-Fault-MessageType': 'urn:message:Contracts:SubmitOrder',
    'MT-Fault-ConsumerType': 'Billing.SubmitOrderConsumer',
    'MT-Fault-RetryCount': 4,
    'MT-Fault-RedeliveryCount': 0,
    'MT-Host-MachineName': 'billing-7f9c',
  };

  it('reads the exception, the input queue, time and retries', () => {
    const failure = parseDeadLetter({ system: 'rabbitmq', destination: 'submit-order_error', headers });
    expect(failure).toMatchObject({
      dialect: 'masstransit',
      reason: 'error',
      errorType: 'System.InvalidOperationException',
      errorMessage: 'Order 42 is already submitted',
      stackTrace: DOTNET_STACK,
      source: { system: 'rabbitmq', destination: 'submit-order' },
      attempts: 5,
      lastFailedAt: '2026-11-21T10:00:00.123Z',
    });
    expect(failure.details).toMatchObject({
      'masstransit.input_address': 'rabbitmq://localhost/shop/submit-order?bind=true',
      'masstransit.consumer_type': 'Billing.SubmitOrderConsumer',
      'masstransit.message_type': 'urn:message:Contracts:SubmitOrder',
      'masstransit.redelivery_count': '0',
      'masstransit.host_machine': 'billing-7f9c',
    });
  });

  it('names the input queue from the error queue when the address is missing', () => {
    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: 'submit-order_skipped',
      headers: { 'MT-Reason': 'skip' },
    });
    expect(failure.reason).toBe('skip');
    expect(failure.source.destination).toBe('submit-order');
  });
});

describe('parseDeadLetter: NServiceBus error-forwarding headers', () => {
  it('reads the failed queue, the endpoint, exception and the NServiceBus time format', () => {
    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: 'error',
      headers: {
        'NServiceBus.MessageId': '2bd4c1f6-0e4b-4f4e-9c3a-b1a8011c8e7d',
        'NServiceBus.FailedQ': 'Sales@SALES-HOST-1',
        'NServiceBus.ProcessingEndpoint': 'Sales',
        'NServiceBus.ProcessingMachine': 'SALES-HOST-1',
        'NServiceBus.TimeOfFailure': '2026-11-21 10:00:00:250000 Z',
        'NServiceBus.ExceptionInfo.ExceptionType': 'System.TimeoutException',
        'NServiceBus.ExceptionInfo.InnerExceptionType': 'System.Net.Sockets.SocketException',
        'NServiceBus.ExceptionInfo.Message': 'The operation has timed out.',
        'NServiceBus.ExceptionInfo.Source': 'Sales',
        'NServiceBus.ExceptionInfo.StackTrace':
          'System.TimeoutException: The operation has timed out.\n   at Sales.PlaceOrderHandler.Handle(PlaceOrder message, IMessageHandlerContext context)',
        'NServiceBus.Retries': '2',
      },
    });
    expect(failure).toMatchObject({
      dialect: 'nservicebus',
      reason: 'error',
      errorType: 'System.TimeoutException',
      errorMessage: 'The operation has timed out.',
      source: {
        destination: 'Sales',
        messageId: '2bd4c1f6-0e4b-4f4e-9c3a-b1a8011c8e7d',
        consumerGroup: 'Sales',
      },
      lastFailedAt: '2026-11-21T10:00:00.250Z',
    });
    expect(failure.details).toMatchObject({
      'nservicebus.inner_exception_type': 'System.Net.Sockets.SocketException',
      'nservicebus.delayed_retries': '2',
    });
  });

  it('does not take an ordinary NServiceBus message for a failure', () => {
    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: 'error',
      headers: { 'NServiceBus.MessageId': 'x', 'NServiceBus.ContentType': 'application/json' },
    });
    expect(failure.dialects).toEqual([]);
  });
});

describe('parseDeadLetter: Azure Service Bus dead-letter properties', () => {
  it('maps broker reasons to the shared vocabulary and names the entity from the sub-queue path', () => {
    const failure = parseDeadLetter({
      system: 'servicebus',
      destination: 'orders/$DeadLetterQueue',
      headers: {
        DeadLetterReason: 'MaxDeliveryCountExceeded',
        DeadLetterErrorDescription: 'Message could not be consumed after 10 delivery attempts.',
        DeliveryCount: 10,
        'Diagnostic-Id': '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    });
    expect(failure).toMatchObject({
      dialect: 'azure-servicebus',
      reason: 'delivery_limit',
      errorMessage: 'Message could not be consumed after 10 delivery attempts.',
      source: { system: 'servicebus', destination: 'orders' },
      attempts: 10,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(failure.details['azure.dead_letter_reason']).toBe('MaxDeliveryCountExceeded');
  });

  it('keeps an application reason as free text', () => {
    const failure = parseDeadLetter({
      system: 'servicebus',
      destination: 'orders/$deadletterqueue',
      headers: { DeadLetterReason: 'InvalidPayload', DeadLetterErrorDescription: 'missing field "sku"' },
    });
    expect(failure.reason).toBe('InvalidPayload');
    expect(
      parseDeadLetter({
        system: 'servicebus',
        destination: 'q',
        headers: { DeadLetterReason: 'TTLExpiredException' },
      }).reason,
    ).toBe('expired');
  });
});
