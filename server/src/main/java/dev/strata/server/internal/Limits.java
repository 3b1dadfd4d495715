package dev.strata.server.internal;

import java.time.Duration;

/**
 * What one request may take: a body of {@code maxBodyBytes} (413 above), a read page of {@code maxPageEvents} events
 * (a larger {@code limit} is capped, {@code Link rel="next"} goes on) and about {@code maxPageBytes} bytes; a page
 * without {@code limit} has {@code defaultPageEvents}. Subscriptions hear a heartbeat after {@code heartbeat} of silence.
 */
public record Limits(int maxBodyBytes, int maxPageEvents, int defaultPageEvents, int maxPageBytes, Duration heartbeat) {
}
