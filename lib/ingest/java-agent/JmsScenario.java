import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * JMS (Jakarta, 3.x) on an ActiveMQ Artemis broker embedded in this JVM: no
 * standalone server to download, start and stop for one scenario, and the
 * client still speaks to a real Artemis broker (through its in-VM acceptor).
 */
final class JmsScenario {
  private JmsScenario() {}

  static void run(String queueName, int messages) throws Exception {
    EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
    ConfigurationImpl configuration = new ConfigurationImpl();
    configuration.setPersistenceEnabled(false);
    configuration.setSecurityEnabled(false);
    // Nothing is persisted, but the broker still locks a data directory: one of its own per run,
    // outside the working tree, so two runs at once never wait on each other's lock.
    Path instance = Files.createTempDirectory("signalbox-artemis-");
    configuration.setBrokerInstance(instance.toFile());
    configuration.addAcceptorConfiguration("in-vm", "vm://0");
    broker.setConfiguration(configuration);
    broker.start();
    try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://0");
        Connection connection = factory.createConnection()) {
      Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      Queue queue = session.createQueue(queueName);
      Semaphore delivered = new Semaphore(0);
      MessageConsumer consumer = session.createConsumer(queue);
      consumer.setMessageListener(
          message -> {
            try {
              message.acknowledge();
            } catch (jakarta.jms.JMSException e) {
              throw new IllegalStateException(e);
            }
            delivered.release();
          });
      connection.start();
      // A session is single-threaded and the listener owns this one: the producer gets its own.
      Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer producer = producerSession.createProducer(queue);
      // One message at a time: the in-VM broker may run the next delivery on the listener thread
      // while the previous process span is still current there, and the agent then suppresses the
      // nested CONSUMER span (its default span-suppression strategy), losing that message's span.
      for (int i = 0; i < messages; i++) {
        producer.send(producerSession.createTextMessage("order " + i));
        if (!delivered.tryAcquire(30, TimeUnit.SECONDS))
          throw new IllegalStateException("jms: message " + i + " not delivered from " + queueName);
        // Its process span ends when the listener returns, just after the release above.
        Thread.sleep(50);
      }
      // The agent ends a listener's process span after the listener returns: give the last one
      // time to end before the JVM exits.
      Thread.sleep(200);
    } finally {
      broker.stop();
      try (Stream<Path> paths = Files.walk(instance)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
