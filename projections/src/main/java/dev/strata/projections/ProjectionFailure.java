package dev.strata.projections;

import java.util.UUID;

/** The event a projection stopped on, and why. */
public record ProjectionFailure(String projection, long generation, int partition, long position, UUID eventId,
                                String stream, String type, String error) {

    /** One line for logs and the command line. */
    public String describe() {
        return "projection " + projection + " (generation " + generation + ", partition " + partition + ") failed on "
                + type + " " + stream + " at position " + position + " (event " + eventId + "): " + error;
    }
}
