package dev.strata.bench.load;

import dev.strata.bench.load.StreamPicker.Distribution;
import java.time.Duration;

/**
 * What an append run does.
 *
 * @param streams      how many streams the appends spread over; they are split among the appender threads (thread
 *                     {@code t} owns streams {@code t, t + concurrency, ...}) so an expected version is never stale by
 *                     accident: every conflict is one the workload injected on purpose
 * @param distribution which of its streams a thread appends to next (Zipf or uniform)
 * @param zipfExponent the Zipf exponent (ignored for uniform)
 * @param eventSize    bytes of JSON data per event
 * @param batchSize    events per append (one atomic append, one transaction, one unit of work)
 * @param concurrency  appender threads
 * @param inFlight     appends each thread keeps in flight (1: wait for each acknowledgement before the next)
 * @param conflictRate fraction of appends sent with a stale expected version (0 to 1), for targets that check versions
 * @param rate         fixed rate in appends per second over all threads, or 0 to append as fast as acknowledged; at a
 *                     fixed rate latency is measured from when each append was due (coordinated omission corrected)
 * @param warmup       time run before measuring
 * @param measure      time measured
 * @param seed         seeds each thread's random source (thread t uses seed + t)
 */
public record AppendLoad(int streams, Distribution distribution, double zipfExponent, int eventSize, int batchSize,
                         int concurrency, int inFlight, double conflictRate, double rate, Duration warmup,
                         Duration measure, long seed) {

    public AppendLoad {
        require(streams >= 1, "streams", streams, ">= 1");
        require(distribution != null, "distribution", null, "set");
        require(eventSize >= Payload.MIN_SIZE, "eventSize", eventSize, ">= " + Payload.MIN_SIZE);
        require(batchSize >= 1, "batchSize", batchSize, ">= 1");
        require(concurrency >= 1, "concurrency", concurrency, ">= 1");
        require(streams >= concurrency, "streams", streams, ">= concurrency (" + concurrency + "): each thread owns its streams");
        require(inFlight >= 1, "inFlight", inFlight, ">= 1");
        require(conflictRate >= 0 && conflictRate <= 1, "conflictRate", conflictRate, "between 0 and 1");
        require(rate >= 0, "rate", rate, ">= 0");
        require(warmup != null && !warmup.isNegative(), "warmup", warmup, ">= 0");
        require(measure != null && measure.toNanos() > 0, "measure", measure, "> 0");
    }

    /** 200-byte events over 10,000 Zipf streams, one event per append, one thread, 1 s warm-up, 3 s measured. */
    public static AppendLoad defaults() {
        return new AppendLoad(10_000, Distribution.ZIPF, 0.99, 200, 1, 1, 1, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(3), 42);
    }

    public AppendLoad withBatchSize(int events) {
        return new AppendLoad(streams, distribution, zipfExponent, eventSize, events, concurrency, inFlight, conflictRate, rate, warmup, measure, seed);
    }

    public AppendLoad withConcurrency(int threads) {
        return new AppendLoad(streams, distribution, zipfExponent, eventSize, batchSize, threads, inFlight, conflictRate, rate, warmup, measure, seed);
    }

    public AppendLoad withInFlight(int appends) {
        return new AppendLoad(streams, distribution, zipfExponent, eventSize, batchSize, concurrency, appends, conflictRate, rate, warmup, measure, seed);
    }

    public AppendLoad withRate(double appendsPerSecond) {
        return new AppendLoad(streams, distribution, zipfExponent, eventSize, batchSize, concurrency, inFlight, conflictRate, appendsPerSecond, warmup, measure, seed);
    }

    public AppendLoad withConflictRate(double fraction) {
        return new AppendLoad(streams, distribution, zipfExponent, eventSize, batchSize, concurrency, inFlight, fraction, rate, warmup, measure, seed);
    }

    public AppendLoad withTimes(Duration warm, Duration measured) {
        return new AppendLoad(streams, distribution, zipfExponent, eventSize, batchSize, concurrency, inFlight, conflictRate, rate, warm, measured, seed);
    }

    public AppendLoad withStreams(int count, Distribution spread) {
        return new AppendLoad(count, spread, zipfExponent, eventSize, batchSize, concurrency, inFlight, conflictRate, rate, warmup, measure, seed);
    }

    public AppendLoad withEventSize(int bytes) {
        return new AppendLoad(streams, distribution, zipfExponent, bytes, batchSize, concurrency, inFlight, conflictRate, rate, warmup, measure, seed);
    }

    /** The streams thread {@code thread} owns: {@code thread, thread + concurrency, ...} below {@link #streams}. */
    public int streamsOf(int thread) {
        return (streams - thread + concurrency - 1) / concurrency;
    }

    /** Nanoseconds between two appends of one thread at the fixed rate (0 when not at a fixed rate). */
    public long intervalNanos() {
        return rate == 0 ? 0 : Math.round(concurrency * 1e9 / rate);
    }

    /** One line, e.g. {@code 200 B x 1/append, 10000 zipf streams, 16 threads x 1 in flight, conflicts 1%, max rate}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d B x %d/append, %d %s streams, %d thread%s x %d in flight, conflicts %s, %s",
                eventSize, batchSize, streams, distribution.name().toLowerCase(java.util.Locale.ROOT), concurrency,
                concurrency == 1 ? "" : "s", inFlight, conflictRate == 0 ? "none" : (conflictRate * 100) + "%",
                rate == 0 ? "max rate" : String.format(java.util.Locale.ROOT, "fixed %.0f appends/s", rate));
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(field + " must be " + rule + " but was " + value);
        }
    }
}
