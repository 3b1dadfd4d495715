package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.remote.ProblemType;
import dev.strata.eventstore.remote.RemoteEventStore;
import dev.strata.eventstore.remote.RemoteStoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token buckets per token or per client address: 429 with Retry-After in seconds once a bucket is empty. */
class RateLimitTest {

    @TempDir
    Path directory;

    @Test
    void theLimitIsValidated() {
        assertThatThrownBy(() -> new RateLimit(0, 1)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> new RateLimit(1, 0)).isInstanceOf(ValidationException.class);
        assertThat(RateLimit.perSecond(0.5).burst()).isEqualTo(1);
        assertThat(RateLimit.perSecond(100).burst()).isEqualTo(100);
    }

    @Test
    void withoutAuthEachClientAddressHasItsOwnBucket() throws Exception {
        try (StrataServer server = StrataServer.builder().dataDirectory(directory.resolve("store")).port(0)
                .durability(Durability.OS).rateLimit(new RateLimit(0.01, 3)).start()) {
            int port = server.port();
            for (int i = 0; i < 3; i++) {
                assertThat(RawHttp.get(port, "/all").status()).isEqualTo(200);
            }
            RawHttp.Reply limited = RawHttp.get(port, "/all");
            assertThat(limited.status()).isEqualTo(429);
            // 0.01 requests/s: the next token is 100 s away (a little less if this machine is slow between requests)
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(90, 100);
            assertThat(limited.header("Content-Type")).startsWith(ProblemType.MEDIA_TYPE);
            assertThat(limited.text()).contains(ProblemType.RATE_LIMITED.uri()).contains("\"retryAfter\":" + limited.header("Retry-After"));

            assertThat(RawHttp.sendFrom("127.0.0.2", port, "GET /all HTTP/1.1\r\nHost: x", null).status())
                    .as("another address").isEqualTo(200);
            for (int i = 0; i < 10; i++) {
                assertThat(RawHttp.get(port, "/health").status()).as("health is never limited").isEqualTo(200);
            }
            try (RemoteEventStore remote = RemoteEventStore.connect(server.uri())) {
                assertThatThrownBy(remote::headPosition).isInstanceOfSatisfying(RemoteStoreException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(100)));
                });
            }
            assertThat(server.meterRegistry().get("strata.http.rate.limited").counter().count()).isEqualTo(2);
        }
    }

    @Test
    void withAuthEachTokenHasItsOwnBucket() throws Exception {
        String a = "token-a-0123456789abcdef";
        String b = "token-b-0123456789abcdef";
        try (StrataServer server = StrataServer.builder().dataDirectory(directory.resolve("store")).port(0)
                .durability(Durability.OS).rateLimit(new RateLimit(0.01, 2))
                .accessTokens(AccessTokens.parse(List.of("a " + a + " read:*", "b " + b + " read:*"), "inline")).start()) {
            int port = server.port();
            assertThat(RawHttp.get(port, "/all", "Authorization: Bearer " + a).status()).isEqualTo(200);
            assertThat(RawHttp.get(port, "/all", "Authorization: Bearer " + a).status()).isEqualTo(200);
            RawHttp.Reply limited = RawHttp.get(port, "/all", "Authorization: Bearer " + a);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(90, 100);
            assertThat(RawHttp.get(port, "/all", "Authorization: Bearer " + b).status()).isEqualTo(200);
        }
    }
}
