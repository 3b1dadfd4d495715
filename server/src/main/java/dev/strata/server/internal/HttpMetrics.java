package dev.strata.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The server's meters, with Prometheus-friendly names (scraped at {@code /metrics} beside the store's own):
 *
 * <pre>
 * strata_http_requests_seconds{route,method,status}   count, sum and histogram buckets of request latency
 * strata_http_appends_total                           appends acknowledged (rate() = appends/s)
 * strata_http_appended_events_total                   events in them (rate() = events/s)
 * strata_http_subscriptions_open                      open Server-Sent Events subscriptions
 * strata_http_subscriptions_lag_max                   positions the furthest-behind subscriber is behind the head
 * strata_http_rate_limited_total                      requests answered 429
 * strata_http_auth_failures_total                     requests answered 401
 * </pre>
 *
 * Tags are bounded: the route's name (not the URL), a known method or "other", the status code.
 */
public final class HttpMetrics {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final Counter appends;
    private final Counter appendedEvents;
    private final Counter rateLimited;
    private final Counter authFailures;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.appends = Counter.builder("strata.http.appends").description("Appends acknowledged over HTTP").register(registry);
        this.appendedEvents = Counter.builder("strata.http.appended.events").description("Events in appends acknowledged over HTTP")
                .register(registry);
        this.rateLimited = Counter.builder("strata.http.rate.limited").description("Requests refused with 429").register(registry);
        this.authFailures = Counter.builder("strata.http.auth.failures").description("Requests refused with 401").register(registry);
    }

    void subscriptionGauges(Supplier<Number> open, Supplier<Number> maxLag) {
        Gauge.builder("strata.http.subscriptions.open", open).description("Open Server-Sent Events subscriptions").register(registry);
        Gauge.builder("strata.http.subscriptions.lag.max", maxLag)
                .description("Positions between the head and the furthest-behind subscriber's last event").register(registry);
    }

    /** Wraps the exchange's callback so that its completion records the request's latency and status. */
    Callback timed(Route route, Request request, Response response, Callback callback, long startNanos) {
        String routeName = route == null ? "unmatched" : route.meterName();
        String method = METHODS.contains(request.getMethod()) ? request.getMethod() : "other";
        return new Callback() {
            @Override
            public void succeeded() {
                record(response.getStatus());
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                record(response.isCommitted() ? response.getStatus() : 500);
                callback.failed(failure);
            }

            private void record(int status) {
                timer(routeName, method, status).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
    }

    private Timer timer(String route, String method, int status) {
        String key = route + ' ' + method + ' ' + status;
        return timers.computeIfAbsent(key, k -> Timer.builder("strata.http.requests")
                .description("HTTP requests by route, method and status")
                .tags("route", route, "method", method, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
    }

    void appended(int events) {
        appends.increment();
        appendedEvents.increment(events);
    }

    void rateLimited() {
        rateLimited.increment();
    }

    void authFailed() {
        authFailures.increment();
    }
}
