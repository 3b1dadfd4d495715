package dev.strata.projections;

import dev.strata.eventstore.RecordedEvent;

/**
 * A read model and the code that keeps it: a name, a generation, key and value codecs, and a handler that turns
 * each event into writes. Register it with {@link ProjectionPipelineBuilder#add}; query it with
 * {@link ProjectionPipeline#readModel(Projection)}.
 *
 * <p>The handler is called once per event (per generation being written: during a rebuild's last phase, once for
 * the serving generation and once for the new one) on a pipeline thread. It must keep no state outside the read
 * model, because that state would not survive a restart, would not be rebuilt, and is shared by partitions.
 *
 * <p>{@link #generation()} is the generation this code writes. When it is higher than the generation stored for
 * the projection, the pipeline rebuilds the read model into the new generation while the stored one keeps answering,
 * and switches when the new one has caught up.
 *
 * @param <K> the read model's key type
 * @param <V> the read model's value type
 */
public interface Projection<K, V> {

    /** The name: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, unique in a pipeline. */
    String name();

    /** The generation this code writes, from 1; bump it to rebuild after a change of the handler's output. */
    default long generation() {
        return 1;
    }

    KeyCodec<K> keyCodec();

    ValueCodec<V> valueCodec();

    /**
     * Turns one event into writes on the read model. Throwing marks the event as poison: its writes are rolled
     * back and the projection's {@link PoisonPolicy} decides what happens next.
     */
    void handle(DecodedEvent event, ProjectionContext<K, V> context);

    /**
     * The event's key: events with one key are handled in order by one partition (see
     * {@link ProjectionOptions#partitions()}) and are parked together (see {@link PoisonPolicy#PARK}). The stream
     * name by default. Must be a pure function of the event.
     */
    default String keyOf(RecordedEvent event) {
        return event.stream();
    }

    /** A projection from a handler lambda: generation 1, keyed by stream. */
    static <K, V> Projection<K, V> of(String name, KeyCodec<K> keyCodec, ValueCodec<V> valueCodec,
                                      ProjectionHandler<K, V> handler) {
        return new Projection<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyCodec<K> keyCodec() {
                return keyCodec;
            }

            @Override
            public ValueCodec<V> valueCodec() {
                return valueCodec;
            }

            @Override
            public void handle(DecodedEvent event, ProjectionContext<K, V> context) {
                handler.handle(event, context);
            }

            @Override
            public String toString() {
                return "projection " + name;
            }
        };
    }
}
