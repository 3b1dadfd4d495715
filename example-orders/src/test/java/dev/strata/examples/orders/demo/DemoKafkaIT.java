package dev.strata.examples.orders.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cli.Strata;
import dev.strata.relay.testkit.EmbeddedKafka;
import dev.strata.relay.testkit.KafkaRecords;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata demo --kafka BOOTSTRAP} against a real (in-process KRaft) broker: the order events arrive as CloudEvents. */
class DemoKafkaIT {

    @TempDir
    Path temp;

    @Test
    void theRelayPublishesTheOrderEventsToKafka() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(temp.resolve("kafka"))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine strata = Strata.commandLine();
            strata.setOut(new PrintWriter(out, true));
            strata.setErr(new PrintWriter(err, true));

            int exit = strata.execute("demo", "--data", temp.resolve("data").toString(), "--durability", "OS",
                    "--kafka", kafka.bootstrapServers());

            assertThat(exit).as(out + "\n" + err).isZero();
            assertThat(out.toString()).contains("to kafka " + kafka.bootstrapServers());
            List<String> orders = Pattern.compile("Order ([0-9a-f]{12}): ").matcher(out.toString()).results()
                    .map(match -> "order-" + match.group(1)).toList();
            assertThat(orders).hasSize(2);

            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(), Set.of("order"), 4,
                    Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                    orders.get(0), orders.get(0), orders.get(1), orders.get(1));
            assertThat(records).extracting(record -> header(record, "ce_type"))
                    .containsExactlyInAnyOrder("OrderPlaced", "OrderConfirmed", "OrderPlaced", "OrderCancelled");
            assertThat(records).extracting(record -> header(record, "ce_subject")).containsExactlyInAnyOrderElementsOf(
                    records.stream().map(ConsumerRecord::key).toList());
            assertThat(records).allSatisfy(record -> assertThat(header(record, "ce_correlationid")).isEqualTo(record.key().substring(6)));
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
