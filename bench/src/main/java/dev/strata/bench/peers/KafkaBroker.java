package dev.strata.bench.peers;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker in this process: one combined KRaft node (broker + controller) from Kafka 4.3's own test kit,
 * on loopback, with its log in {@code directory}. Replication factor 1, so {@code acks=all} means the one broker
 * has the record in its page cache (Kafka does not fsync each write by default).
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit kit;

    private KafkaBroker(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    public static KafkaBroker start(Path directory) {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(directory)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build();
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the formatter prints to stdout
            try {
                kit.format();
            } finally {
                System.setOut(out);
            }
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaBroker(kit);
        } catch (Exception e) {
            throw new IllegalStateException("the in-process Kafka broker did not start", e);
        }
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException("the in-process Kafka broker did not stop cleanly", e);
        }
    }
}
