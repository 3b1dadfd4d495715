package dev.strata.eventstore.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StateCacheTest {

    record Versioned(long version, String state) {
    }

    @Test
    void evictsTheLeastRecentlyUsed() {
        StateCache<Versioned> cache = new StateCache<>(3, Versioned::version);
        cache.put("a", new Versioned(0, "a0"));
        cache.put("b", new Versioned(0, "b0"));
        cache.put("c", new Versioned(0, "c0"));
        assertThat(cache.get("a")).isNotNull(); // a is now the most recently used
        cache.put("d", new Versioned(0, "d0"));
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isNotNull();
        assertThat(cache.get("c")).isNotNull();
        assertThat(cache.get("d")).isNotNull();
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void neverReplacesANewerEntryByAnOlderOne() {
        StateCache<Versioned> cache = new StateCache<>(10, Versioned::version);
        cache.put("a", new Versioned(5, "five"));
        cache.put("a", new Versioned(4, "four"));
        assertThat(cache.get("a").state()).isEqualTo("five");
        cache.put("a", new Versioned(5, "five again"));
        assertThat(cache.get("a").state()).isEqualTo("five again");
        cache.put("a", new Versioned(6, "six"));
        assertThat(cache.get("a").state()).isEqualTo("six");
        cache.remove("a");
        assertThat(cache.get("a")).isNull();
    }

    @Test
    void aLargeCacheIsStripedAndStillBounded() {
        StateCache<Versioned> cache = new StateCache<>(10_000, Versioned::version);
        for (int i = 0; i < 50_000; i++) {
            cache.put("stream-" + i, new Versioned(i, "s"));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(10_000).isGreaterThan(9_000);
        assertThat(cache.get("stream-49999")).isNotNull();
        assertThat(cache.get("stream-0")).isNull();
    }
}
