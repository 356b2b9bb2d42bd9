import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Plain client programs for the OpenTelemetry Java agent to instrument: each
 * scenario sends MESSAGES messages through a real broker and consumes them in
 * the same JVM (one JVM start per run: start-up is the slow part). Names are
 * "java-<scenario>-<run>" so the test knows them without any output.
 *
 * usage: java -javaagent:... AgentScenarios RUN MESSAGES SCENARIO...
 *   SCENARIO: kafka | rabbit-default | rabbit-exchange | sqs | nats | jms | rabbit-consume:QUEUE
 */
public final class AgentScenarios {
  private static final long TIMEOUT_S = 30;

  public static void main(String[] args) throws Exception {
    String run = args[0];
    int messages = Integer.parseInt(args[1]);
    for (int i = 2; i < args.length; i++) {
      String scenario = args[i];
      if (scenario.equals("kafka")) kafka("java-kafka-" + run, messages);
      else if (scenario.equals("rabbit-default")) rabbitDefault("java-rabbit-" + run, messages);
      else if (scenario.equals("rabbit-exchange")) rabbitExchange(run, messages);
      else if (scenario.equals("sqs")) sqs("java-sqs-" + run, messages);
      else if (scenario.equals("nats")) nats("java-nats-" + run, messages);
      else if (scenario.equals("jms")) JmsScenario.run("java-jms-" + run, messages);
      else if (scenario.startsWith("rabbit-consume:"))
        rabbitConsume(scenario.substring("rabbit-consume:".length()), messages);
      else throw new IllegalArgumentException("unknown scenario " + scenario);
      System.out.println("done " + scenario);
    }
    // Client libraries leave non-daemon threads behind (Artemis keeps its pool for a minute);
    // exit now. The agent's shutdown hook still flushes every span.
    System.exit(0);
  }

  static void kafka(String topic, int messages) throws Exception {
    Properties common = new Properties();
    common.put("bootstrap.servers", "127.0.0.1:9092");
    Properties producerProps = new Properties();
    producerProps.putAll(common);
    producerProps.put("key.serializer", StringSerializer.class.getName());
    producerProps.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
      for (int i = 0; i < messages; i++)
        producer.send(new ProducerRecord<>(topic, "order-" + i, "order " + i)).get();
    }
    Properties consumerProps = new Properties();
    consumerProps.putAll(common);
    consumerProps.put("group.id", topic + "-group");
    consumerProps.put("auto.offset.reset", "earliest");
    consumerProps.put("enable.auto.commit", "false");
    consumerProps.put("key.deserializer", StringDeserializer.class.getName());
    consumerProps.put("value.deserializer", StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
      consumer.subscribe(List.of(topic));
      int seen = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
      while (seen < messages && System.nanoTime() < deadline) {
        // Iterating the records is what makes the agent start a process span per record.
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) seen++;
      }
      consumer.commitSync();
      if (seen < messages) throw new IllegalStateException("kafka: consumed " + seen + " of " + messages);
    }
  }

  static Connection rabbitConnection() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri("amqp://guest:guest@127.0.0.1:5672");
    return factory.newConnection();
  }

  /** Consumes MESSAGES from queue and acks each one. */
  static void consumeAndAck(Channel channel, String queue, int messages) throws Exception {
    CountDownLatch delivered = new CountDownLatch(messages);
    channel.basicConsume(
        queue,
        false,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws java.io.IOException {
            getChannel().basicAck(envelope.getDeliveryTag(), false);
            delivered.countDown();
          }
        });
    if (!delivered.await(TIMEOUT_S, TimeUnit.SECONDS))
      throw new IllegalStateException("rabbitmq: not all messages delivered from " + queue);
  }

  static void rabbitDefault(String queue, int messages) throws Exception {
    try (Connection connection = rabbitConnection(); Channel channel = connection.createChannel()) {
      channel.queueDeclare(queue, false, false, true, null);
      for (int i = 0; i < messages; i++)
        channel.basicPublish("", queue, null, ("order " + i).getBytes(StandardCharsets.UTF_8));
      consumeAndAck(channel, queue, messages);
    }
  }

  static void rabbitExchange(String run, int messages) throws Exception {
    String exchange = "java-exchange-" + run;
    String queue = "java-exchange-queue-" + run;
    String routingKey = "orders.created";
    try (Connection connection = rabbitConnection(); Channel channel = connection.createChannel()) {
      channel.exchangeDeclare(exchange, "direct", false, true, null);
      channel.queueDeclare(queue, false, false, true, null);
      channel.queueBind(queue, exchange, routingKey);
      for (int i = 0; i < messages; i++)
        channel.basicPublish(exchange, routingKey, null, ("order " + i).getBytes(StandardCharsets.UTF_8));
      consumeAndAck(channel, queue, messages);
    }
  }

  /** The Java side of Node publisher → RabbitMQ → Java consumer: the queue exists already. */
  static void rabbitConsume(String queue, int messages) throws Exception {
    try (Connection connection = rabbitConnection(); Channel channel = connection.createChannel()) {
      consumeAndAck(channel, queue, messages);
    }
  }

  static void sqs(String queueName, int messages) throws Exception {
    try (SqsClient sqs =
        SqsClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:9324"))
            .region(Region.of("elasticmq"))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .build()) {
      String url = sqs.createQueue(b -> b.queueName(queueName)).queueUrl();
      for (int i = 0; i < messages; i++) {
        String body = "order " + i;
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
      }
      int seen = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
      while (seen < messages && System.nanoTime() < deadline) {
        List<Message> batch =
            sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
        // Iterating the received list is what makes the agent start a process span per message.
        for (Message message : batch) {
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
          seen++;
        }
      }
      sqs.deleteQueue(b -> b.queueUrl(url));
      if (seen < messages) throw new IllegalStateException("sqs: consumed " + seen + " of " + messages);
    }
  }

  static void nats(String subject, int messages) throws Exception {
    try (io.nats.client.Connection nc = Nats.connect("nats://127.0.0.1:4222")) {
      CountDownLatch delivered = new CountDownLatch(messages);
      Dispatcher dispatcher = nc.createDispatcher(message -> delivered.countDown());
      dispatcher.subscribe(subject);
      nc.flush(Duration.ofSeconds(5));
      for (int i = 0; i < messages; i++)
        nc.publish(subject, ("order " + i).getBytes(StandardCharsets.UTF_8));
      if (!delivered.await(TIMEOUT_S, TimeUnit.SECONDS))
        throw new IllegalStateException("nats: not all messages delivered on " + subject);
    }
  }
}
