package dev.strata.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** The report's sections, in report order: their titles and what they compare. */
public final class Sections {

    public record Info(String title, String description) {
    }

    public static final String PEERS_SINGLE = "peers-single";
    public static final String PEERS_BATCH = "peers-batch";
    public static final String LATENCY = "latency";
    public static final String PIPELINED = "pipelined";
    public static final String SERVER = "server";
    public static final String READ = "read";
    public static final String SUBSCRIBE = "subscribe";
    public static final String PROJECT = "project";
    public static final String SAGA = "saga";
    public static final String RELAY = "relay";
    public static final String JMH = "jmh";

    private static final Map<String, Info> INFO = new LinkedHashMap<>();

    static {
        INFO.put(PEERS_SINGLE, new Info("Appends of single events, side by side",
                "Every system gets the same load: 200-byte JSON events over 10,000 streams (Zipf), one event per append, "
                        + "each appender thread waiting for its acknowledgement, exact expected versions where the system checks "
                        + "them (Kafka and the raw limits do not). Throughput in events/s. Strata's ratio is to the raw limit under "
                        + "it with the same durability (raw-fsync for FSYNC, raw-chronicle for OS); every other system's is to "
                        + "strata-fsync, measured in the same run."));
        INFO.put(PEERS_BATCH, new Info("Appends of batches, side by side",
                "As above, with several events per append: one atomic append, one transaction (PostgreSQL table), one unit of "
                        + "work (Axon), or n records acknowledged together (Kafka). Batch sizes follow what each system is used "
                        + "with (Axon 10, PostgreSQL 100). Ratios as above, to strata-fsync at the same batch size where it ran."));
        INFO.put(LATENCY, new Info("Latency at a fixed rate (coordinated omission corrected)",
                "Each system is offered the same fixed rate of single-event appends from 16 threads; latency runs from when "
                        + "each append was due on the schedule to its acknowledgement (HdrHistogram), so a stall is charged to "
                        + "every append queued behind it. Microseconds; medians over runs of each percentile. The figure column "
                        + "is the rate achieved: below the offered rate means the system could not keep up (appends it never sent count "
                        + "with what they had waited by the end). The high percentiles rest on few samples: see the samples column."));
        INFO.put(PIPELINED, new Info("Strata's append path beside a raw Chronicle append",
                "One appender keeping about 4096 events in flight (appendAsync: 4096 single-event appends, or 41 appends of 100), OS durability, exact expected versions, "
                        + "200-byte events over 10,000 streams; beside one thread appending the same bytes to a raw Chronicle "
                        + "queue (one excerpt per append) in the same run, and beside the Kafka producer pipelining the same "
                        + "records (acks=all, idempotent; no version check)."));
        INFO.put(SERVER, new Info("Strata over HTTP (server on loopback)",
                "The same append load (FSYNC, 16 threads, 1 and 100 events per append, exact expected versions as HTTP "
                        + "preconditions) to a Strata server in this process, beside the embedded store in the same run: through "
                        + "the Java remote client (dev.strata.eventstore.remote, java.net.http), and through raw keep-alive "
                        + "HTTP/1.1 connections (one per thread, as issue 8's HttpLoadGenerator does), which leaves the cores to "
                        + "the server. Client, server and load share the machine's cores. The subscription figures over SSE are in "
                        + "the subscribers' section."));
        INFO.put(READ, new Info("Reads",
                "A store filled with 200-byte events: the whole global log read with readAll (every event decoded) beside a "
                        + "raw Chronicle tail copying every excerpt of the same log, and whole-stream reads of streams picked "
                        + "with the same Zipf spread (events/s)."));
        INFO.put(SUBSCRIBE, new Info("Catch-up subscribers while appending",
                "K subscribers to the global log start from position 0 of a pre-filled store while appenders keep appending: "
                        + "appends/s with the subscribers running (the store's row), events/s delivered per subscriber over the run "
                        + "(the subscriber row), and the live delivery lag once caught up (commit timestamp to delivery: the "
                        + "subscriber row's latency, microseconds; none if no subscriber caught up before the end)."));
        INFO.put(PROJECT, new Info("Projections",
                "The projection pipeline (tail, decode, apply, commit rows and checkpoint in one WriteBatch) with 1 and 3 "
                        + "projections, upserts and read-modify-writes, beside a raw RocksDB WriteBatch loop of the same writes in "
                        + "the same run; and an offline rebuild timed end to end."));
        INFO.put(SAGA, new Info("Sagas",
                "Saga completions per second for a 3-step saga whose participants are local calls (issue 6's "
                        + "SagaThroughputBenchmark): 2,000 sagas started at once per operation, so the saga log's appends share "
                        + "group commits; the saga view follows in the background. OS and FSYNC durability. JMH, one fork; the "
                        + "runs are the measurement iterations. Steps/s = 3 x sagas/s."));
        INFO.put(RELAY, new Info("Relay to Kafka",
                "Issue 7's RelayThroughput on the suite's broker: a raw Kafka producer (acks=all, idempotent, lz4, linger 5 ms) "
                        + "sending exactly the records the relay makes (same keys, values and CloudEvents headers), then the relay "
                        + "publishing a pre-filled store from position 0 (read, map, publish, move the checkpoint after the ack), "
                        + "each warmed up then measured, in the same run. Events acknowledged by the broker per second."));
        INFO.put(JMH, new Info("JMH micro-benchmarks of the hot paths",
                "JMH 1.37, one fork with the Chronicle flags (JmhMain); the runs are the measurement iterations. Higher is better "
                        + "for throughput units (ops/us, ops/s)."));
    }

    private Sections() {
    }

    public static Info info(String id) {
        return INFO.getOrDefault(id, new Info(id, ""));
    }

    /** Report order of a section (unknown ones last). */
    public static int order(String id) {
        int i = 0;
        for (String known : INFO.keySet()) {
            if (known.equals(id)) {
                return i;
            }
            i++;
        }
        return i;
    }
}
