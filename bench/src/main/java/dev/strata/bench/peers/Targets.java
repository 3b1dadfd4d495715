package dev.strata.bench.peers;

import dev.strata.bench.load.AppendLoad;
import dev.strata.bench.load.AppendTarget;
import dev.strata.bench.load.Folders;
import dev.strata.bench.load.Payload;
import dev.strata.bench.server.RawHttpTarget;
import dev.strata.bench.workloads.AppendCell;
import dev.strata.eventstore.Durability;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every append target by name, each opened fresh for a run (a new store folder, table or topic) and cleaned up
 * when closed. The names are what {@code strata bench append --target} accepts and what the report shows.
 */
public final class Targets {

    public static final String STRATA_FSYNC = "strata-fsync";
    public static final String STRATA_OS = "strata-os";
    public static final String STRATA_SERVER = "strata-server-fsync";
    public static final String STRATA_SERVER_HTTP = "strata-server-http-fsync";
    public static final String AXON = "axon-jdbc";
    public static final String POSTGRES = "postgres-table";
    public static final String POSTGRES_ASYNC = "postgres-table-async";
    public static final String KAFKA = "kafka-producer";
    public static final String RAW_FSYNC = "raw-fsync";
    public static final String RAW_CHRONICLE = "raw-chronicle";
    public static final String RAW_ROCKSDB = "raw-rocksdb";

    public static final List<String> NAMES = List.of(STRATA_FSYNC, STRATA_OS, STRATA_SERVER, STRATA_SERVER_HTTP, AXON, POSTGRES, POSTGRES_ASYNC, KAFKA, RAW_FSYNC,
            RAW_CHRONICLE, RAW_ROCKSDB);

    /** Partitions of each Kafka topic: the records of one stream (one key) stay in order in one partition. */
    public static final int KAFKA_PARTITIONS = 4;

    private static final AtomicInteger FOLDERS = new AtomicInteger();

    private Targets() {
    }

    /** Opens the target called {@code name}, with its data under {@code work}. */
    public static AppendCell.TargetOpener opener(String name, SharedServers servers, Path work) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("target must be one of " + NAMES + " but was " + name);
        }
        return load -> open(name, servers, work, load);
    }

    private static AppendTarget open(String name, SharedServers servers, Path work, AppendLoad load) {
        Payload payload = Payload.of(load.eventSize());
        Path folder = Folders.fresh(work, name + "-" + FOLDERS.incrementAndGet());
        AppendTarget target = switch (name) {
            case STRATA_FSYNC -> StrataTarget.embedded(folder, Durability.FSYNC, payload);
            case STRATA_OS -> StrataTarget.embedded(folder, Durability.OS, payload);
            case STRATA_SERVER -> StrataTarget.overServer(folder, Durability.FSYNC, payload);
            case STRATA_SERVER_HTTP -> new RawHttpTarget(folder, Durability.FSYNC, payload);
            case AXON -> new AxonJdbcTarget(servers.postgres(), load.concurrency(), payload);
            case POSTGRES -> new PostgresTableTarget(servers.postgres(), true, load.concurrency(), payload);
            case POSTGRES_ASYNC -> new PostgresTableTarget(servers.postgres(), false, load.concurrency(), payload);
            case KAFKA -> new KafkaProducerTarget(servers.kafka(), servers.newTopic(), KAFKA_PARTITIONS, payload);
            case RAW_FSYNC -> new FsyncGroupCommitTarget(folder.resolve("log"), payload);
            case RAW_CHRONICLE -> new ChronicleAppendTarget(folder, payload);
            case RAW_ROCKSDB -> new RocksDbBatchTarget(folder, payload);
            default -> throw new IllegalArgumentException("unknown target " + name);
        };
        return new Cleaning(target, folder);
    }

    /** Closes the target, then deletes its folder. */
    private record Cleaning(AppendTarget target, Path folder) implements AppendTarget {

        @Override
        public String name() {
            return target.name();
        }

        @Override
        public String durability() {
            return target.durability();
        }

        @Override
        public boolean checksExpectedVersion() {
            return target.checksExpectedVersion();
        }

        @Override
        public int maxConcurrency() {
            return target.maxConcurrency();
        }

        @Override
        public Session session(int thread) {
            return target.session(thread);
        }

        @Override
        public void close() {
            try {
                target.close();
            } finally {
                Folders.delete(folder);
            }
        }
    }
}
