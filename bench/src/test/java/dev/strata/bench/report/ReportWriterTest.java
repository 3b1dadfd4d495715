package dev.strata.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bench.load.Latency;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path folder;

    private static SuiteResult result(boolean quick) {
        Assembly assembly = new Assembly();
        for (int run = 0; run < 3; run++) {
            assembly.newRun();
            assembly.add(new Figure(Sections.PEERS_SINGLE, "16 threads, 1 event/append", "strata-fsync", "on disk: fdatasync", 100_000 + run,
                    "events/s", "raw-fsync", new Latency(10, 100, 200, 300, 400, 500, 600, 150), null));
            assembly.add(new Figure(Sections.PEERS_SINGLE, "16 threads, 1 event/append", "raw-fsync", "on disk: write+fdatasync", 200_000,
                    "events/s", null, null, null));
            assembly.add(new Figure(Sections.PEERS_SINGLE, "16 threads, 1 event/append", "axon-jdbc", "on disk: PostgreSQL <fsync=on>", 2_000,
                    "events/s", "strata-fsync", null, run == 1 ? "3 errors" : null));
            assembly.add(new Figure(Sections.LATENCY, "16 threads, 1,000 appends/s", "postgres-table", "on disk", 1000, "events/s", null,
                    new Latency(5000, 300 + run, 500, 2000, 9000, 12000, 15000, 400), null));
            assembly.add(new Figure(Sections.JMH, "CloudEventsBenchmark", "writeStrata", "-", 1.5 + run, "ops/us", null, null, null));
        }
        Map<String, String> postgres = new LinkedHashMap<>();
        postgres.put("fsync", "on");
        postgres.put("synchronous_commit", "on");
        Environment environment = new Environment(Instant.parse("2026-11-27T12:00:00Z").toString(), 842, "abc123", "strata bench all",
                quick, 3, "OpenJDK 17", "", "Linux", "Some CPU", 2, 24_000, "0.1 0.2 0.3 -> 0.4 0.5 0.6",
                postgres, "Kafka 4.3.1", "Axon 4.13.0",
                List.of("saga: not in this build yet"));
        return new SuiteResult(environment, assembly.sections());
    }

    @Test
    void writesTablesChartsAndTheHonestBits() throws Exception {
        ReportWriter.write(result(false), folder);
        String md = Files.readString(folder.resolve("RESULTS.md"));
        assertThat(md).doesNotContain("SMOKE RUN");
        assertThat(md).contains("from commit `abc123`", "strata bench all", "Some CPU (2 cores)", "fsync=on, synchronous_commit=on");
        assertThat(md).contains("**median of 3 runs**");
        // median 100,001 (min 100,000, max 100,002), ratio to raw-fsync 0.50 computed per run
        assertThat(md).contains("| 16 threads, 1 event/append | strata-fsync | 100,001 | 100,000 | 100,002 | events/s | 0.50 (0.50-0.50) of raw-fsync |");
        assertThat(md).contains("axon-jdbc **(!)**", "run 2: 3 errors");
        assertThat(md).contains("| 16 threads, 1,000 appends/s | postgres-table | 1,000 | 5,000 | 301 | 500 | 2,000 | 9,000 | 12,000 | 15,000 |");
        assertThat(md).contains("- saga: not in this build yet");
        assertThat(md).contains("| axon-jdbc | on disk: PostgreSQL <fsync=on> |");
        assertThat(md).contains("![Appends of single events, side by side](charts/peers-single-throughput.svg)");
        assertThat(md).contains("charts/latency-latency.svg");
        assertThat(folder.resolve("charts/peers-single-throughput.svg")).exists();
        assertThat(folder.resolve("charts/peers-single-latency.svg")).as("max-rate latency is not charted").doesNotExist();
        assertThat(folder.resolve("charts/latency-latency.svg")).exists();
        try (var charts = Files.list(folder.resolve("charts"))) {
            for (Path chart : charts.toList()) {
                String svg = Files.readString(chart);
                // well-formed XML, with the names escaped
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
                assertThat(svg).startsWith("<svg");
            }
        }
    }

    @Test
    void aQuickRunIsLabelledAsASmokeRunAndOldChartsGo() throws Exception {
        Files.createDirectories(folder.resolve("charts"));
        Files.writeString(folder.resolve("charts/stale.svg"), "<svg/>");
        ReportWriter.write(result(true), folder);
        assertThat(Files.readString(folder.resolve("RESULTS.md"))).contains("SMOKE RUN", "NOT results");
        assertThat(folder.resolve("charts/stale.svg")).doesNotExist();
    }

    @Test
    void theJsonResultReadsBackAsWritten() {
        SuiteResult written = result(false);
        written.write(folder.resolve("results.json"));
        SuiteResult read = SuiteResult.read(folder.resolve("results.json"));
        assertThat(read).isEqualTo(written);
    }
}
