package dev.strata.relay.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One combined (broker + controller) KRaft node from Kafka's own test kit, in this JVM: what {@code mvn verify} runs
 * the relay against, no Docker needed. {@link #stopBroker()} / {@link #startBroker()} shut the broker half down and
 * start it again in place, on the same port and log directories (the controller half stays up), as Kafka's own
 * {@code ClusterInstance.shutdownBroker/startBroker} do.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final Path directory;
    private final KafkaClusterTestKit kit;

    private EmbeddedKafka(Path directory, KafkaClusterTestKit kit) {
        this.directory = directory;
        this.kit = kit;
    }

    /** A broker with the default 9 s broker session. */
    public static EmbeddedKafka start(Path directory) throws Exception {
        return start(directory, false);
    }

    /**
     * {@code forRestarts}: a 2 s broker session, so a restarted broker is accepted by the controller after ~1.3 s
     * instead of ~8 s. Only for tests that restart the broker: on a loaded machine a 2 s session can expire.
     */
    public static EmbeddedKafka start(Path directory, boolean forRestarts) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(directory)
                .setClusterId(Uuid.randomUuid().toString())
                // the kit defaults to the unstable latestTesting() metadata version; use what a 4.3 broker ships with
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                .setDeleteOnClose(false)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false");
        if (forRestarts) {
            builder.setConfigProp("broker.session.timeout.ms", "2000");
            builder.setConfigProp("broker.heartbeat.interval.ms", "500");
        }
        KafkaClusterTestKit kit = builder.build();
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the formatter prints two lines
        try {
            kit.format();
        } finally {
            System.setOut(out);
        }
        kit.startup();
        kit.waitForReadyBrokers();
        return new EmbeddedKafka(directory, kit);
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private BrokerServer broker() {
        return kit.brokers().values().iterator().next();
    }

    /** Controlled shutdown of the broker role; clients see connection refused until {@link #startBroker()}. */
    public void stopBroker() {
        broker().shutdown();
    }

    /** Starts the same broker again, same port, same logs; returns when it is ready. */
    public void startBroker() throws Exception {
        broker().startup();
        kit.waitForReadyBrokers();
    }

    @Override
    public void close() throws Exception {
        try {
            kit.close();
        } finally {
            deleteTree(directory);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
