package dev.strata.examples.orders;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.EventReader;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.model.Decider;
import dev.strata.eventstore.model.EventTypes;
import java.util.Iterator;
import java.util.stream.Stream;

/** A stream's state folded from its events with the service's decider: what the services answer queries about themselves with. */
public final class CurrentState {

    private CurrentState() {
    }

    public static <E, S> S of(EventReader store, String stream, Decider<?, E, S> decider, EventTypes<E> types) {
        S state = decider.initialState();
        try (Stream<RecordedEvent> events = store.readStream(stream, 0, Direction.FORWARD, Integer.MAX_VALUE)) {
            Iterator<RecordedEvent> it = events.iterator();
            while (it.hasNext()) {
                state = decider.fold(state, types.decode(it.next()));
            }
        }
        return state;
    }
}
