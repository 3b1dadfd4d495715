package dev.strata.eventstore.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class NameBasedIdsTest {

    @Test
    void matchesTheRfcAlgorithm() {
        // uuid5(NAMESPACE_DNS, "python.org") as Python's uuid module (and RFC 9562 implementations) compute it.
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(NameBasedIds.v5(dns, "python.org")).isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
        UUID id = NameBasedIds.v5(dns, "x");
        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
    }
}
