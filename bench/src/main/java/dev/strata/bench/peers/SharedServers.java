package dev.strata.bench.peers;

import dev.strata.bench.load.Folders;
import dev.strata.bench.load.Payload;
import dev.strata.bench.load.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The servers the peers need, started on first use and shared by every run of a suite: one embedded PostgreSQL
 * (durable settings, checked with SHOW) and one in-process Kafka broker, warmed up once before its first figure
 * (a broker on loopback takes about 10 s to reach its rate: STACK.md trap 12). Closed together at the end.
 */
public final class SharedServers implements AutoCloseable {

    private final Path work;
    private final Duration kafkaWarmup;
    private final Progress progress;
    private PostgresServer postgres;
    private KafkaBroker kafka;
    private int topics;

    public SharedServers(Path work, Duration kafkaWarmup, Progress progress) {
        this.work = work;
        this.kafkaWarmup = kafkaWarmup;
        this.progress = progress;
    }

    public synchronized PostgresServer postgres() {
        if (postgres == null) {
            long start = System.nanoTime();
            postgres = PostgresServer.start();
            progress.report(String.format(Locale.ROOT, "  PostgreSQL %s started in %.1f s: %s", postgres.version(),
                    (System.nanoTime() - start) / 1e9, postgres.settings()));
        }
        return postgres;
    }

    public synchronized KafkaBroker kafka() {
        if (kafka == null) {
            long start = System.nanoTime();
            kafka = KafkaBroker.start(Folders.fresh(work, "kafka"));
            progress.report(String.format(Locale.ROOT, "  Kafka broker started in %.1f s at %s; warming up for %d s", (System.nanoTime() - start) / 1e9,
                    kafka.bootstrapServers(), kafkaWarmup.toSeconds()));
            KafkaProducerTarget.warmUp(kafka, Payload.of(200), kafkaWarmup.toMillis());
        }
        return kafka;
    }

    /** A topic name not used before by this suite. */
    public synchronized String newTopic() {
        return "bench-" + (++topics);
    }

    /** What PostgreSQL reported, or an empty map if it was never started. */
    public synchronized Map<String, String> postgresSettings() {
        return postgres == null ? Map.of() : postgres.settings();
    }

    @Override
    public synchronized void close() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
