package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** strata verify, dump and stats on real stores: output, exit codes, one-line errors. */
class StoreCommandsTest {

    @TempDir
    Path temp;

    private Path data;

    @BeforeEach
    void writeStore() {
        data = temp.resolve("data");
        try (EventStore store = EventStore.builder().directory(data).durability(Durability.OS).open()) {
            for (int i = 0; i < 30; i++) {
                store.append((i % 2 == 0 ? "order-" : "payment-") + (i % 5), ExpectedVersion.any(),
                        EventData.json("Happened", "{\"i\":" + i + "}"));
            }
        }
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CommandLine commandLine = Strata.commandLine();
            commandLine.setOut(new PrintWriter(System.out, true));
            commandLine.setErr(new PrintWriter(System.err, true));
            int exit = commandLine.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void verifyOfACleanStoreSaysOkAndExitsZero() {
        Run run = run("verify", "--data", data.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("OK: 30 events in 30 records, 10 streams, positions 0..29");
    }

    @Test
    void verifyOfADamagedStoreNamesTheDamageAndExitsOne() throws Exception {
        Path cycle;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(data.resolve("log"), "*.cq4")) {
            cycle = files.iterator().next();
        }
        byte[] needle = "\"i\":17".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Files.readAllBytes(cycle);
        int at = indexOf(bytes, needle);
        try (RandomAccessFile file = new RandomAccessFile(cycle.toFile(), "rw")) {
            file.seek(at + needle.length - 1);
            file.write('8');
        }

        Run run = run("verify", "--data", data.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).startsWith("DAMAGED").contains("checksum mismatch");
    }

    @Test
    void verifyOfAFolderThatIsNoStoreIsAUsageError() {
        Run run = run("verify", "--data", temp.resolve("nothing").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("must be a Strata store");
    }

    @Test
    void dumpPrintsCloudEventsOnePerLine() {
        Run stream = run("dump", "--data", data.toString(), "--stream", "order-0");
        Run category = run("dump", "--data", data.toString(), "--category", "payment", "--limit", "4");
        Run from = run("dump", "--data", data.toString(), "--from", "25");

        JsonFormat format = new JsonFormat();
        List<CloudEvent> events = Arrays.stream(stream.out().split("\n"))
                .map(line -> format.deserialize(line.getBytes(StandardCharsets.UTF_8))).toList();
        assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.getSubject()).isEqualTo("order-0"));
        assertThat(events).extracting(e -> e.getExtension("streamversion")).containsExactly("0", "1", "2");
        assertThat(category.out().split("\n")).hasSize(4).allSatisfy(line -> assertThat(line).contains("\"subject\":\"payment-"));
        assertThat(from.out().split("\n")).hasSize(5);
        assertThat(from.out().split("\n")[0]).contains("\"position\":\"25\"");
    }

    @Test
    void dumpAndStatsWorkBesideARunningWriter() {
        try (EventStore writer = EventStore.builder().directory(data).durability(Durability.OS).open()) {
            writer.append("order-9", ExpectedVersion.any(), EventData.json("Later", "{}"));
            Run dump = run("dump", "--data", data.toString(), "--from", "30");
            Run stats = run("stats", "--data", data.toString());

            assertThat(dump.exit()).isZero();
            assertThat(dump.out()).contains("\"subject\":\"order-9\"");
            assertThat(stats.out()).contains("events:        31").contains("streams:       11").contains("durability:    OS");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
