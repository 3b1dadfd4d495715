package dev.strata.projections;

import java.time.Instant;
import java.util.UUID;

/** An event parked by {@link PoisonPolicy#PARK}: not applied yet, waiting for a retry. */
public record ParkedEvent(String projection, long generation, String key, long position, UUID eventId, String stream,
                          String type, String error, Instant parkedAt) {
}
