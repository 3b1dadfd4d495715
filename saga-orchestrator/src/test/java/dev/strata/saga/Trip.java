package dev.strata.saga;

import java.util.ArrayList;
import java.util.List;

/** A test saga's state: the trip id and what its steps did, in order. */
public record Trip(String tripId, List<String> done) {

    public Trip {
        done = List.copyOf(done);
    }

    public static Trip named(String id) {
        return new Trip(id, List.of());
    }

    public Trip with(String item) {
        List<String> next = new ArrayList<>(done);
        next.add(item);
        return new Trip(tripId, next);
    }
}
